"""Opportunities (problems worth solving, ranked by priority) and their links to the feedback backing them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.feedback.enums import OpportunityStatus
from guilde.feedback.models.catalogue import ProductArea
from guilde.feedback.rules import can_triage, can_view_opportunity


class Opportunity(TimeStampedModel, RulesModel):
    """A problem worth solving, backed by feedback; ranked by a stored, explainable priority score."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("roadmap status"), max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.CANDIDATE
    )
    product_area = models.ForeignKey(
        ProductArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("product area")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_opportunities",
        verbose_name=_("owner"),
    )
    strategic_fit = models.PositiveSmallIntegerField(
        _("strategic fit (1-5)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    effort = models.PositiveSmallIntegerField(
        _("effort (person-weeks)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(520)]
    )
    # Drivers kept up to date by the services when links change, so ranking 20,000 is one indexed read.
    feedback_count = models.PositiveIntegerField(_("feedbacks"), default=0, editable=False)
    account_count = models.PositiveIntegerField(_("distinct accounts"), default=0, editable=False)
    segment_count = models.PositiveIntegerField(_("segments"), default=0, editable=False)
    arr_at_stake = models.DecimalField(
        _("ARR at stake"), max_digits=16, decimal_places=2, default=Decimal(0), editable=False
    )
    last_feedback_at = models.DateTimeField(_("latest feedback"), null=True, blank=True, editable=False)
    priority_score = models.DecimalField(
        _("priority score"), max_digits=8, decimal_places=2, default=Decimal(0), editable=False
    )
    score_breakdown = models.JSONField(_("score breakdown"), default=dict, blank=True, editable=False)
    release_note = models.TextField(
        _("answer to customers"), blank=True, help_text=_("Sent to every submitter when the opportunity ships.")
    )
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    last_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("last changed by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-priority_score", "id"]
        rules_permissions = {"view": can_view_opportunity, "add": can_triage, "change": can_triage}
        indexes = [
            models.Index(fields=["-priority_score", "id"], name="fb_opp_rank_idx"),
            models.Index(fields=["status", "-priority_score", "id"], name="fb_opp_status_rank_idx"),
            models.Index(fields=["product_area", "-priority_score"], name="fb_opp_area_rank_idx"),
            # The roadmap's Shipped column: most recently shipped first.
            models.Index(fields=["status", "-shipped_at", "-id"], name="fb_opp_status_shipped_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feedback:opportunity", args=[self.pk])


class FeedbackOpportunity(models.Model):
    """The link between a feedback and an opportunity it backs."""

    # By name: the feedback module imports this one (for Feedback.opportunities).
    feedback = models.ForeignKey("feedback.Feedback", on_delete=models.CASCADE, related_name="opportunity_links")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="feedback_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("linked"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "opportunity"], name="feedback_opportunity_uniq"),
        ]
        indexes = [models.Index(fields=["opportunity", "feedback"], name="fb_link_opp_idx")]

    def __str__(self) -> str:
        return f"{self.feedback_id} ↔ {self.opportunity_id}"
