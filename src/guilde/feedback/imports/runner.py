"""Runs an import job end to end: every row checked and written in one transaction, all or nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.accounts.preferences import as_seen_by
from guilde.feedback.enums import ImportStatus
from guilde.feedback.imports import progress
from guilde.feedback.imports._common import account_names
from guilde.feedback.imports.parsing import _Resolver
from guilde.feedback.imports.validation import Report, validated_chunks
from guilde.feedback.imports.writing import _import_pass
from guilde.feedback.models import ImportJob
from guilde.feedback.services import FeedbackData


class _Invalid(Exception):
    """Some rows are bad: everything written so far is rolled back."""


def run_import_job(*, job_id: int) -> str:
    """Checks and writes every row; commits only when all are valid. Returns the final status.

    In the language and timezone of whoever started it, as their own request would: the report's
    messages are stored as text, and a file's dates without a timezone are in theirs.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with as_seen_by(job.created_by):
        return _run(job)


def _run(job: ImportJob) -> str:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, started_at=timezone.now(), processed_rows=0, errors=[]
    )
    report = Report()
    chunks: Iterator[list[FeedbackData]] = iter(())
    try:
        # A first quick read (outside the transaction, so the total shows at once): the rows to
        # expect, and the accounts to look up before the writing starts.
        total, names = account_names(job)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
        resolver = _Resolver()
        chunks = validated_chunks(job, resolver, report)
        with transaction.atomic():
            created, skipped = _import_pass(job, names, resolver, chunks, report)
            if report.errors:
                raise _Invalid
    except _Invalid:
        # Rolled back already (on SQLite, other writers wait no more); the rest of the file is
        # read outside the transaction. (It decodes: the first read went through it all.)
        for _valid in chunks:
            pass
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.INVALID,
            total_rows=report.rows,
            processed_rows=report.rows,
            errors=report.final_errors(),
            finished_at=timezone.now(),
        )
        return ImportStatus.INVALID
    except (UnicodeDecodeError, csv.Error) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.INVALID,
            errors=[
                {"row": 0, "errors": [str(_("The file could not be read as UTF-8 CSV: %(error)s") % {"error": exc})]}
            ],
            finished_at=timezone.now(),
        )
        return ImportStatus.INVALID
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            errors=[{"row": 0, "errors": [str(_("Nothing was imported: %(error)s") % {"error": exc})]}],
            finished_at=timezone.now(),
        )
        raise
    finally:
        progress.clear(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        total_rows=report.rows,
        processed_rows=report.rows,
        created_count=created,
        skipped_count=skipped,
        finished_at=timezone.now(),
    )
    return ImportStatus.DONE
