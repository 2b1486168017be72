"""Import jobs: upload, preview, queueing for the worker."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import ImportPreset, ImportStatus, SourceChannel
from guilde.feedback.imports._common import _rows
from guilde.feedback.imports.presets import FIELDS, PRESET_SOURCES, headers_of, map_row, mapping_for
from guilde.feedback.models import ImportJob
from guilde.feedback.rules import can_triage

MAX_FILE_BYTES = 200 * 1024 * 1024


@transaction.atomic
def create_import_job(
    *,
    actor: Any,
    file: UploadedFile,
    preset: str = ImportPreset.GUILDE,
    mapping: dict[str, str] | None = None,
    default_source: str = "",
) -> ImportJob:
    """Stores the uploaded file and the column mapping; nothing is validated or imported yet."""
    if not can_triage(actor):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if preset not in ImportPreset.values:
        errors["preset"] = _("Unknown format.")
    if file.size and file.size > MAX_FILE_BYTES:
        errors["file"] = _("The file is larger than 200 MB.")
    source = default_source or PRESET_SOURCES.get(preset, SourceChannel.SUPPORT_TICKET)
    if source not in SourceChannel.values:
        errors["default_source"] = _("Unknown source.")
    if errors:
        raise ValidationError(errors)
    job = ImportJob(
        created_by=actor,
        original_name=(file.name or "")[:255],
        preset=preset,
        mapping={k: v for k, v in (mapping or {}).items() if k in FIELDS},
        default_source=source,
    )
    job.file.save(file.name or "import.csv", file, save=False)
    job.save()
    try:
        headers = headers_of(job)
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from exc
    missing = [
        column for field, column in mapping_for(job).items() if field in {"title", "problem"} and column not in headers
    ]
    if missing:
        raise ValidationError(
            {"mapping": _("These columns are not in the file: %(columns)s") % {"columns": ", ".join(missing)}}
        )
    return job


def preview(job: ImportJob, *, rows: int = 5) -> dict[str, Any]:
    """The file's columns, the mapping, and its first rows as they will be read."""
    mapping = mapping_for(job)
    sample = []
    for _line, row in _rows(job):
        sample.append(map_row(row, mapping))
        if len(sample) >= rows:
            break
    return {"headers": headers_of(job), "mapping": mapping, "rows": sample}


def start_import(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queues the job for the background worker."""
    if not can_triage(actor):
        raise PermissionDenied
    if job.status not in {ImportStatus.PENDING, ImportStatus.INVALID, ImportStatus.FAILED}:
        raise ValidationError({"status": _("This import has already run.")})
    from guilde.feedback.tasks import run_import

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING, errors=[], processed_rows=0)
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    job.refresh_from_db()
    return job
