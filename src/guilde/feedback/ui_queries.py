"""Small reads (and one write) the pages need that the domain layer does not offer yet.

Kept apart from selectors.py/services.py/imports.py (owned by the domain work) so both can move
in parallel; each function here is a candidate to move into those modules.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.feedback import imports, selectors
from guilde.feedback.enums import FeedbackStatus, ImportStatus, OpportunityStatus
from guilde.feedback.models import Feedback, ImportJob, Opportunity
from guilde.feedback.rules import can_triage
from guilde.feedback.services import validate_feedback_data

OPPORTUNITY_CHOICES_LIMIT = 200


def feedback_to_support(*, pk: int) -> Feedback:
    """Any feedback a colleague may add a customer to (suggestions span the whole base)."""
    feedback = Feedback.objects.filter(pk=pk).only("id", "title", "status", "duplicate_of_id").first()
    if feedback is None:
        raise Http404
    return feedback


def duplicate_original(*, viewer: Any, pk: int) -> Feedback | None:
    return selectors.visible_feedback(viewer).filter(pk=pk).first()


def inbox_counts(*, now: Any = None) -> dict[str, int]:
    """New feedback, and new feedback past the processing SLA: two indexed counts."""
    now = now or timezone.now()
    policy = selectors.get_policy()
    new = Feedback.objects.filter(status=FeedbackStatus.NEW)
    return {
        "new": new.count(),
        "overdue": new.filter(received_at__lt=now - timedelta(days=policy.processing_sla_days)).count(),
        "sla_days": policy.processing_sla_days,
    }


def open_opportunities() -> QuerySet[Opportunity]:
    """Opportunities feedback can still be linked to (validation set of the pickers)."""
    return Opportunity.objects.exclude(status=OpportunityStatus.SHIPPED).order_by("-priority_score", "id")


def opportunity_choices() -> list[tuple[Any, str]]:
    """What the pickers list: the best-ranked open opportunities, titles only."""
    rows = open_opportunities().values_list("pk", "title")[:OPPORTUNITY_CHOICES_LIMIT]
    return [("", "—"), *rows]


@transaction.atomic
def update_import_mapping(*, actor: Any, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Stores the column mapping chosen on the mapping page (before the job runs)."""
    if not can_triage(actor):
        raise PermissionDenied
    if job.status not in {ImportStatus.PENDING, ImportStatus.INVALID, ImportStatus.FAILED}:
        raise ValidationError({"mapping": _("This import has already run.")})
    headers = set(imports.headers_of(job))
    cleaned = {k: v for k, v in mapping.items() if k in imports.FIELDS}
    unknown = [v for v in cleaned.values() if v and v not in headers]
    if unknown:
        raise ValidationError(
            {"mapping": _("These columns are not in the file: %(columns)s") % {"columns": ", ".join(unknown)}}
        )
    job.mapping = cleaned
    job.save(update_fields=["mapping", "updated_at"])
    return job


def preview_with_errors(job: ImportJob, *, rows: int = 10) -> list[dict[str, Any]]:
    """The first rows as they will be read, each with the problems the import would report."""
    resolver = imports._Resolver()
    policy = selectors.get_policy()
    mapping = imports.mapping_for(job)
    sample: list[tuple[int, dict[str, str]]] = []
    for line, row in imports._rows(job):
        sample.append((line, imports.map_row(row, mapping)))
        if len(sample) >= rows:
            break
    resolver.load_accounts({m.get("account", "") for _line, m in sample})
    result = []
    for line, mapped in sample:
        data, problems = imports._to_data(mapped, job, resolver)
        if mapped.get("account") and data.account is None:
            data.contact_name = data.contact_name or mapped["account"]
        errors = validate_feedback_data(data, policy=policy)
        if mapped.get("account"):
            errors.pop("account", None)
        problems += [f"{name}: {message}" for name, messages in errors.items() for message in messages]
        result.append({"line": line, "values": mapped, "errors": problems})
    return result


def attach_answers(items: list[Feedback]) -> list[Feedback]:
    """Adds `closing_answer` (product's answer or the decline reason) to listed feedback, in one query
    (list selectors defer those long text columns)."""
    closed = [f.pk for f in items if f.loop_closed_at]
    answers: dict[int, str] = {}
    if closed:
        for pk, answer, reason in Feedback.objects.filter(pk__in=closed).values_list("pk", "answer", "decline_reason"):
            answers[pk] = reason if reason else answer
    for f in items:
        f.closing_answer = answers.get(f.pk, "")  # type: ignore[attr-defined]
    return items
