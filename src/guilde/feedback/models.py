from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.core.search import SearchIndex
from guilde.feedback.enums import (
    CriterionKind,
    FeedbackStatus,
    Impact,
    ImportPreset,
    ImportStatus,
    Language,
    OpportunityStatus,
    SourceChannel,
)
from guilde.feedback.rules import (
    can_configure,
    can_submit,
    can_triage,
    can_view_account,
    can_view_feedback,
    can_view_opportunity,
    is_product_side,
    is_signed_in,
)

DEFAULT_REQUIRED_FIELDS = ["title", "problem", "source"]


class _Bilingual:
    name_en: str
    name_fr: str

    @property
    def name(self) -> str:
        return (self.name_fr or self.name_en) if translation.get_language() == "fr" else self.name_en


class ProductArea(_Bilingual, TimeStampedModel, RulesModel):
    """A part of the product feedback is filed against; configured by product ops."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")
        ordering = ["position", "name_en", "id"]
        rules_permissions = {"view": is_signed_in, "add": can_configure, "change": can_configure}

    def __str__(self) -> str:
        return self.name


class Segment(_Bilingual, TimeStampedModel, RulesModel):
    """A customer segment (SMB, mid-market, enterprise…); configured by product ops."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["position", "name_en", "id"]
        rules_permissions = {"view": is_product_side, "add": can_configure, "change": can_configure}

    def __str__(self) -> str:
        return self.name


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


class CustomerAccount(TimeStampedModel, RulesModel):
    """A customer. ARR and segment are confidential: product side and the account owner only."""

    name = models.CharField(_("name"), max_length=200)
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("segment")
    )
    plan = models.CharField(_("plan"), max_length=60, blank=True)
    arr = models.DecimalField(_("ARR"), max_digits=14, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
        verbose_name=_("account owner"),
    )
    # Lower-cased name for index-backed prefix search (50,000 accounts).
    search_name = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        ordering = ["search_name", "id"]
        rules_permissions = {"view": can_view_account, "add": can_triage, "change": can_triage}
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="feedback_account_external_id_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["search_name", "id"], name="fb_account_search_idx"),
            models.Index(fields=["owner", "search_name"], name="fb_account_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_name = self.name.casefold()[:200]
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)


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


class FeedbackOpportunity(models.Model):
    """The link between a feedback and an opportunity it backs."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="opportunity_links")
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


class SavedView(TimeStampedModel):
    """A named inbox query (filters and sort as a query string) a person comes back to."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_feedback_views")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="feedback_saved_view_name_uniq")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('feedback:inbox')}?{self.query}"


class ImportJob(TimeStampedModel):
    """A CSV import: validated in full first, then committed all-or-nothing by the background worker."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="feedback_imports"
    )
    file = models.FileField(_("file"), upload_to="feedback/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    preset = models.CharField(_("format"), max_length=20, choices=ImportPreset.choices, default=ImportPreset.GUILDE)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    default_source = models.CharField(
        _("source when the file has none"),
        max_length=20,
        choices=SourceChannel.choices,
        default=SourceChannel.SUPPORT_TICKET,
    )
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    skipped_count = models.PositiveIntegerField(_("already imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""

    @property
    def progress_percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


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


#: The full-text index over feedback, installed by migration 0002 (see guilde.core.search).
FEEDBACK_SEARCH_INDEX = SearchIndex(table="feedback_feedback", columns=("title", "problem"), trigram_column="title")
