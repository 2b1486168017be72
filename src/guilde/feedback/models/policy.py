"""How feedback is judged and ranked: the useful-feedback rubric and the policy (SLAs, wording, weights)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.feedback.enums import CriterionKind, FeedbackStatus
from guilde.feedback.rules import can_configure, is_signed_in

DEFAULT_REQUIRED_FIELDS = ["title", "problem", "source"]


class QualityCriterion(TimeStampedModel, RulesModel):
    """One line of the useful-feedback rubric; `kind` names the automatic check that scores it."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    kind = models.CharField(_("check"), max_length=40, choices=CriterionKind.choices)
    label_en = models.CharField(_("label (English)"), max_length=160)
    label_fr = models.CharField(_("label (French)"), max_length=160, blank=True)
    hint_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    hint_fr = models.CharField(_("hint (French)"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("quality criterion")
        verbose_name_plural = _("quality criteria")
        ordering = ["position", "id"]
        rules_permissions = {"view": is_signed_in, "add": can_configure, "change": can_configure}

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return (self.label_fr or self.label_en) if translation.get_language() == "fr" else self.label_en

    @property
    def hint(self) -> str:
        return (self.hint_fr or self.hint_en) if translation.get_language() == "fr" else self.hint_en


class FeedbackPolicy(TimeStampedModel, RulesModel):
    """The useful-feedback definition and the prioritisation weights: one row (pk=1), product ops own it."""

    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    processing_sla_days = models.PositiveSmallIntegerField(_("processing SLA (days)"), default=7)
    resolution_sla_days = models.PositiveSmallIntegerField(_("resolution SLA (days)"), default=90)
    quality_bar = models.PositiveSmallIntegerField(
        _("quality bar (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    # {"processed": {"en": "Qualified", "fr": "Qualifié"}, …}: wording only, never the workflow.
    status_labels = models.JSONField(_("custom status labels"), default=dict, blank=True)
    # Priority drivers (see guilde.feedback.scoring.priority_score).
    weight_accounts = models.PositiveSmallIntegerField(_("weight: distinct accounts"), default=30)
    weight_arr = models.PositiveSmallIntegerField(_("weight: ARR at stake"), default=30)
    weight_segments = models.PositiveSmallIntegerField(_("weight: segments"), default=10)
    weight_recency = models.PositiveSmallIntegerField(_("weight: recency"), default=10)
    weight_strategic_fit = models.PositiveSmallIntegerField(_("weight: strategic fit"), default=20)
    accounts_cap = models.PositiveIntegerField(_("accounts for a full score"), default=20)
    arr_cap = models.DecimalField(
        _("ARR for a full score"), max_digits=16, decimal_places=2, default=Decimal(1_000_000)
    )
    recency_half_life_days = models.PositiveSmallIntegerField(_("recency half-life (days)"), default=90)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("feedback policy")
        verbose_name_plural = _("feedback policies")
        rules_permissions = {"view": is_signed_in, "change": can_configure}

    def __str__(self) -> str:
        return str(_("Feedback policy"))

    def status_label(self, status: str) -> str:
        custom = (self.status_labels or {}).get(status) or {}
        lang = translation.get_language() or "en"
        label = custom.get(lang[:2]) or custom.get("en")
        return str(label or FeedbackStatus(status).label)
