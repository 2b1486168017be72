"""Runs an import job end to end: validate, then commit all-or-nothing."""

from __future__ import annotations

import csv
import tempfile

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import ImportStatus
from guilde.feedback.imports.validation import _validate_pass
from guilde.feedback.imports.writing import _commit_pass
from guilde.feedback.models import ImportJob


def run_import_job(*, job_id: int) -> str:
    """Validates, then commits all-or-nothing. Returns the final status."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, started_at=timezone.now(), processed_rows=0, errors=[]
    )
    # The validated rows wait in a temporary file between the two passes (deleted on close).
    with tempfile.TemporaryFile(prefix="guilde-import-") as spool:
        try:
            total, errors, unknown_accounts = _validate_pass(job, spool)
        except (UnicodeDecodeError, csv.Error) as exc:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.INVALID,
                errors=[
                    {
                        "row": 0,
                        "errors": [str(_("The file could not be read as UTF-8 CSV: %(error)s") % {"error": exc})],
                    }
                ],
                finished_at=timezone.now(),
            )
            return ImportStatus.INVALID
        if errors:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.INVALID,
                total_rows=total,
                processed_rows=total,
                errors=errors,
                finished_at=timezone.now(),
            )
            return ImportStatus.INVALID
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.IMPORTING, total_rows=total, processed_rows=total
        )
        try:
            with transaction.atomic():
                created, skipped = _commit_pass(job, unknown_accounts, spool)
        except Exception as exc:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED,
                errors=[{"row": 0, "errors": [str(_("Nothing was imported: %(error)s") % {"error": exc})]}],
                finished_at=timezone.now(),
            )
            raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, created_count=created, skipped_count=skipped, finished_at=timezone.now()
    )
    return ImportStatus.DONE
