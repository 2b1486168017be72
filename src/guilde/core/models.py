from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every domain model: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PeriodicRun(models.Model):
    """When a periodic job was last enqueued; the row is the lock that lets several schedulers run."""

    name = models.CharField(max_length=120, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name


class DataStamp(models.Model):
    """One row whose `version` rises after every write: the key that invalidates cached pages.

    Web processes each keep their own page cache, so the signal that data changed has to live
    where they all read it: here, one tiny row read once per cached page.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data stamp")
        verbose_name_plural = _("data stamps")

    def __str__(self) -> str:
        return str(self.version)
