"""Rows of a filtered inbox view for the CSV export."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guilde.feedback.models import Feedback
from guilde.feedback.selectors.triage import SORTS, InboxFilters, filtered_feedback


def export_rows(*, viewer: Any, filters: InboxFilters, chunk_size: int = 2000) -> QuerySet[Feedback]:
    """Everything matching a filtered view, for the CSV export (iterate with .iterator())."""
    order, _key, _desc = SORTS.get(filters.sort, SORTS["newest"])
    return (
        filtered_feedback(viewer, filters)
        .select_related("account", "product_area", "segment", "submitter")
        .order_by(*order)
    )
