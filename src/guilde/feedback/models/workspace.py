"""Per-user workspace: saved inbox views and CSV import jobs."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guilde.core.models import TimeStampedModel
from guilde.feedback.enums import ImportPreset, ImportStatus, SourceChannel


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
