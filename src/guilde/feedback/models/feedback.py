"""A piece of customer feedback, the customers supporting it, and its status history."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.feedback.enums import FeedbackStatus, Impact, Language, SourceChannel
from guilde.feedback.models.catalogue import CustomerAccount, ProductArea, Segment
from guilde.feedback.models.opportunities import Opportunity
from guilde.feedback.rules import can_submit, can_triage, can_view_feedback


class Feedback(TimeStampedModel, RulesModel):
    """One piece of customer feedback. Account figures are snapshotted at submission for fast filters."""

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), help_text=_("What the customer cannot do, and why it matters to them."))
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("A quote, a ticket, a recording."))
    links = models.JSONField(_("links"), default=list, blank=True)
    account = models.ForeignKey(
        CustomerAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedbacks",
        verbose_name=_("customer account"),
        db_index=False,
    )
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    # Snapshot of the account at submission (confidential like the account's own figures).
    segment = models.ForeignKey(
        Segment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("segment"),
        db_index=False,
    )
    plan = models.CharField(_("plan"), max_length=60, blank=True)
    arr = models.DecimalField(_("ARR"), max_digits=14, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    impact = models.CharField(_("impact"), max_length=10, choices=Impact.choices, blank=True)
    product_area = models.ForeignKey(
        ProductArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedbacks",
        verbose_name=_("product area"),
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=20, choices=SourceChannel.choices)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_feedbacks",
        db_index=False,
        verbose_name=_("submitted by"),
    )
    submitter_team = models.CharField(_("submitter's team"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("quality score"), default=0)
    quality_missing = models.JSONField(_("missing for a useful feedback"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    answer = models.TextField(_("product answer"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
        db_index=False,  # fb_duplicate_of_idx: partial, the few duplicates only
    )
    opportunities = models.ManyToManyField(
        Opportunity,
        through="FeedbackOpportunity",
        related_name="feedbacks",
        blank=True,
        verbose_name=_("opportunities"),
    )
    supporter_count = models.PositiveIntegerField(_("supporters"), default=0, editable=False)
    external_id = models.CharField(_("external ID"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    loop_closed_at = models.DateTimeField(_("loop closed"), null=True, blank=True)
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("last changed by"),
        # No page reads feedback by who changed it last; only deleting a user looks it up (a scan,
        # ~0.7 s at 1M rows), while every insert would pay for the index (see the migration 0005).
        db_index=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedbacks")
        ordering = ["-received_at", "-id"]
        rules_permissions = {"view": can_view_feedback, "add": can_submit, "change": can_triage}
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="feedback_source_external_id_uniq"
            ),
            models.CheckConstraint(condition=Q(quality_score__lte=100), name="feedback_quality_score_lte_100"),
        ]
        # Every inbox filter and sort ends with (received_at, id) or (arr, id) so keyset pages
        # are index range scans at any depth.
        # Each index costs every insert a B-tree update (the CSV import writes 100,000 rows into
        # 1M): columns that are mostly empty — and always empty on a new feedback — are indexed
        # on their non-null rows only. Every query on them compares them to a value (=, IN, a
        # range), which rules NULL out, so SQLite and PostgreSQL both use the partial index.
        indexes = [
            models.Index(fields=["received_at", "id"], name="fb_received_idx"),
            models.Index(fields=["status", "received_at", "id"], name="fb_status_received_idx"),
            models.Index(fields=["product_area", "status", "received_at", "id"], name="fb_area_status_idx"),
            models.Index(
                fields=["segment", "status", "arr", "id"],
                name="fb_segment_status_arr_idx",
                condition=Q(segment__isnull=False),
            ),
            models.Index(fields=["status", "arr", "id"], name="fb_status_arr_idx"),
            models.Index(fields=["arr", "id"], name="fb_arr_idx"),
            models.Index(fields=["source", "status", "received_at", "id"], name="fb_source_status_idx"),
            models.Index(fields=["submitter_team", "status", "received_at", "id"], name="fb_team_status_idx"),
            models.Index(
                fields=["account", "received_at", "id"],
                name="fb_account_received_idx",
                condition=Q(account__isnull=False),
            ),
            models.Index(fields=["submitter", "received_at", "id"], name="fb_submitter_received_idx"),
            models.Index(fields=["status", "quality_score", "id"], name="fb_status_quality_idx"),
            models.Index(fields=["quality_score", "id"], name="fb_quality_idx"),
            models.Index(fields=["processed_at"], name="fb_processed_at_idx", condition=Q(processed_at__isnull=False)),
            models.Index(fields=["resolved_at"], name="fb_resolved_at_idx", condition=Q(resolved_at__isnull=False)),
            models.Index(fields=["declined_at"], name="fb_declined_at_idx", condition=Q(declined_at__isnull=False)),
            models.Index(fields=["duplicate_of"], name="fb_duplicate_of_idx", condition=Q(duplicate_of__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feedback:detail", args=[self.pk])

    @property
    def mrr(self) -> Decimal:
        return (self.arr / 12).quantize(Decimal("0.01"))


class FeedbackSupporter(models.Model):
    """A customer (and the colleague who added them) backing an existing feedback instead of duplicating it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="supporters")
    account = models.ForeignKey(
        CustomerAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="supported_feedbacks"
    )
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "account"],
                condition=Q(account__isnull=False),
                name="feedback_supporter_account_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "feedback"], name="fb_supporter_user_idx"),
            models.Index(fields=["account", "feedback"], name="fb_supporter_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account or self.user} → {self.feedback_id}"


class StatusChange(models.Model):
    """One row per status change: the KPIs (lead times, throughput) are computed from these."""

    # fb_change_feedback_idx (feedback, at) serves every lookup by feedback: no index of its own.
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="history", db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_status = models.CharField(_("from"), max_length=12, choices=FeedbackStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=FeedbackStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]
        # Only the history of one feedback is read (the KPIs come from the feedback rows and the
        # aggregates), so (to_status, at) is not indexed: 3M rows, updated by every import.
        indexes = [models.Index(fields=["feedback", "at"], name="fb_change_feedback_idx")]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.from_status} → {self.to_status}"
