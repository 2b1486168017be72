"""Checking an import's rows: every row validated, the good ones handed on chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.imports import progress
from guilde.feedback.imports._common import CHUNK, _mapped_rows
from guilde.feedback.imports.parsing import _Resolver, _to_data
from guilde.feedback.imports.presets import mapping_for
from guilde.feedback.models import Feedback, ImportJob
from guilde.feedback.services import FeedbackData, validate_feedback_data

MAX_REPORTED_ERRORS = 500


@dataclass
class Report:
    """What the checking found: rows read, per-row errors (at most `MAX_REPORTED_ERRORS`)."""

    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    not_reported: int = 0

    def add(self, line: int, problems: list[str]) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"row": line, "errors": problems})
        else:
            self.not_reported += 1

    def final_errors(self) -> list[dict[str, Any]]:
        if not self.not_reported:
            return self.errors
        more = str(_("…and %(count)s more bad rows.") % {"count": self.not_reported})
        return [*self.errors, {"row": None, "errors": [more]}]


@cache
def _feedback_fields() -> dict[str, Any]:
    return {f.name: f for f in Feedback._meta.get_fields() if hasattr(f, "verbose_name")}


def problem_texts(field_errors: dict[str, list[str]]) -> list[str]:
    """ "title: This field is required." — each field named as the feedback's form names it, in the
    active language (the labels are lazy: the field list is read once per process)."""
    fields = _feedback_fields()
    return [
        str(
            _("%(field)s: %(problem)s")
            % {"field": fields[name].verbose_name if name in fields else name, "problem": message}
        )
        for name, messages in field_errors.items()
        for message in messages
    ]


def validated_chunks(job: ImportJob, resolver: _Resolver, report: Report) -> Iterator[list[FeedbackData]]:
    """Checks every row of the file, a chunk at a time; after each, yields its valid rows (cleaned
    by the checks), or an empty list once any row has failed (`report.errors`): the caller stops
    writing then, and may read on to the end for a report naming every bad row. No database
    access: `resolver` already knows every account the file names (the caller's connection is
    busy writing meanwhile). Progress goes to `imports.progress` after each chunk.
    """
    policy = selectors.get_policy()
    zone = timezone.get_current_timezone()
    chunk: list[tuple[int, dict[str, str]]] = []

    def check() -> list[FeedbackData]:
        valid: list[FeedbackData] = []
        for line, mapped in chunk:
            data, problems = _to_data(mapped, job, resolver, zone)
            field_errors = validate_feedback_data(data, policy=policy)
            problems += problem_texts(field_errors)
            if problems:
                report.add(line, problems)
            elif not report.errors:
                valid.append(data)
        chunk.clear()
        return valid if not report.errors else []

    for line, mapped in _mapped_rows(job, mapping_for(job)):
        report.rows += 1
        chunk.append((line, mapped))
        if len(chunk) >= CHUNK:
            valid = check()
            progress.report(job.pk, report.rows)
            yield valid
    if chunk:
        yield check()
