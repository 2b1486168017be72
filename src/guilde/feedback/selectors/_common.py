"""Shared pieces of the feedback selectors: page sizes and the list queryset shape."""

from __future__ import annotations

from django.db.models import QuerySet

from guilde.feedback.models import Feedback

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _inbox_queryset(qs: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return qs.select_related("account", "product_area", "segment", "submitter").defer(
        "problem", "evidence", "links", "decline_reason", "answer"
    )
