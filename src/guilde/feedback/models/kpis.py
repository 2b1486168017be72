"""The pre-aggregated tables behind the KPIs page (written by guilde.feedback.aggregates only)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiStat(models.Model):
    """Pre-aggregated feedback counts behind the KPIs page, kept by guilde.feedback.aggregates.

    `grain` "d" rows hold one day, "m" rows one month (`day` is then the 1st), both in the
    TIME_ZONE setting's calendar. `dimension` "event" counts what happened that day (received,
    processed, resolved, declined, and the processed/resolved ones that missed the SLA);
    the other dimensions (all, source, area, team, quality) count the feedback *received* that
    day by its current state, keyed by the dimension's value.
    """

    grain = models.CharField(max_length=1)
    day = models.DateField()
    dimension = models.CharField(max_length=8)
    key = models.CharField(max_length=120, blank=True, default="")
    received = models.IntegerField(default=0)
    processed = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    declined = models.IntegerField(default=0)
    processed_late = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("KPI aggregate")
        verbose_name_plural = _("KPI aggregates")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "grain", "day", "key"], name="fb_kpi_stat_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.dimension}={self.key}"


class KpiLeadTime(models.Model):
    """Lead-time histogram per day/month of the event (processed or resolved), log-spaced buckets
    (see guilde.feedback.aggregates.bucket_of): median and 90th percentile of 1M feedbacks in a
    few thousand rows."""

    grain = models.CharField(max_length=1)
    day = models.DateField()
    kind = models.CharField(max_length=8)
    bucket = models.SmallIntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("KPI lead-time bucket")
        verbose_name_plural = _("KPI lead-time buckets")
        constraints = [
            models.UniqueConstraint(fields=["kind", "grain", "day", "bucket"], name="fb_kpi_lead_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.kind}#{self.bucket}"
