"""One feedback (detail page, supporters, duplicates), my submissions and similar feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from guilde.core.search import similar
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import FEEDBACK_SEARCH_INDEX, Feedback, FeedbackSupporter, Opportunity, StatusChange
from guilde.feedback.selectors._common import PAGE_SIZE
from guilde.feedback.selectors.triage import InboxFilters, InboxPage, inbox
from guilde.feedback.selectors.visibility import visible_feedback


def feedback_for(*, viewer: Any, pk: int) -> Feedback:
    """A feedback with what its page needs; 404 when missing or not visible, alike."""
    feedback = (
        visible_feedback(viewer)
        .select_related("account__owner", "account__segment", "product_area", "segment", "submitter", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if feedback is None:
        raise Http404
    return feedback


def history_of(feedback: Feedback) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(feedback=feedback).select_related("actor").order_by("at", "id")


def supporters_of(feedback: Feedback) -> QuerySet[FeedbackSupporter]:
    return FeedbackSupporter.objects.filter(feedback=feedback).select_related("account__segment", "user")


def opportunities_of(feedback: Feedback) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(feedback_links__feedback=feedback).order_by("-priority_score", "id")


def duplicates_of(feedback: Feedback) -> QuerySet[Feedback]:
    return Feedback.objects.filter(duplicate_of=feedback).only("id", "title", "status", "received_at")


def my_submissions(*, viewer: Any, cursor: str = "", page_size: int = PAGE_SIZE) -> InboxPage:
    if not getattr(viewer, "is_authenticated", False):
        return InboxPage(items=[], next_cursor=None, filters=InboxFilters())
    filters = InboxFilters(submitter=viewer.pk)
    return inbox(viewer=viewer, filters=filters, cursor=cursor, page_size=page_size)


@dataclass(frozen=True)
class SimilarItem:
    """What anyone may see of a similar feedback: enough to recognise it and add a customer to it."""

    pk: int
    title: str
    status: str
    supporter_count: int
    received_at: datetime
    product_area: str
    can_open: bool


def similar_feedback(*, viewer: Any, text: str, exclude_pk: int | None = None, limit: int = 5) -> list[SimilarItem]:
    """Feedback similar to `text` (title + problem being typed), by index, never by scanning.

    Titles and statuses are not confidential, so stakeholders see suggestions across the whole
    base (that is what stops duplicates); they open only those they may see.
    """
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return []
    qs = Feedback.objects.exclude(status=FeedbackStatus.DUPLICATE).select_related("product_area")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    rows = similar(
        qs.only("id", "title", "status", "supporter_count", "received_at", "product_area"),
        FEEDBACK_SEARCH_INDEX,
        text,
        limit=limit,
    )
    if not rows:
        return []
    openable = set(visible_feedback(viewer).filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True))
    return [
        SimilarItem(
            pk=r.pk,
            title=r.title,
            status=r.status,
            supporter_count=r.supporter_count,
            received_at=r.received_at,
            product_area=r.product_area.name if r.product_area else "",
            can_open=r.pk in openable,
        )
        for r in rows
    ]


def feedback_to_support(*, pk: int) -> Feedback:
    """Any feedback a colleague may add a customer to (suggestions span the whole base)."""
    feedback = Feedback.objects.filter(pk=pk).only("id", "title", "status", "duplicate_of_id").first()
    if feedback is None:
        raise Http404
    return feedback


def duplicate_original(*, viewer: Any, pk: int) -> Feedback | None:
    return visible_feedback(viewer).filter(pk=pk).first()


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
