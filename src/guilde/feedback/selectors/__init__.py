"""Reads on feedback: querysets already filtered to what the viewer may see, constant queries per page.

One job per module; everything is re-exported here so `selectors.<name>` keeps working.
"""

from __future__ import annotations

from guilde.feedback.selectors._common import MAX_PAGE_SIZE, PAGE_SIZE, _inbox_queryset
from guilde.feedback.selectors.config import (
    active_criteria,
    get_policy,
    priority_weights,
    product_areas,
    rubric,
    segments,
)
from guilde.feedback.selectors.detail import (
    SimilarItem,
    attach_answers,
    duplicate_original,
    duplicates_of,
    feedback_for,
    feedback_to_support,
    history_of,
    my_submissions,
    opportunities_of,
    similar_feedback,
    supporters_of,
)
from guilde.feedback.selectors.export import export_rows
from guilde.feedback.selectors.opportunities import (
    OPPORTUNITY_CHOICES_LIMIT,
    RoadmapCard,
    linked_feedback,
    open_opportunities,
    opportunity_choices,
    opportunity_for,
    opportunity_ranking,
    roadmap,
)
from guilde.feedback.selectors.triage import (
    AGE_BUCKETS,
    SORTS,
    InboxFilters,
    InboxPage,
    _search_ids,
    decode_cursor,
    encode_cursor,
    filtered_feedback,
    inbox,
    inbox_counts,
    submitter_teams,
)
from guilde.feedback.selectors.visibility import (
    account_choices,
    account_for,
    sees_confidential,
    visible_accounts,
    visible_feedback,
)
from guilde.feedback.selectors.workspace import import_job_for, import_jobs, saved_views

__all__ = [
    "AGE_BUCKETS",
    "MAX_PAGE_SIZE",
    "OPPORTUNITY_CHOICES_LIMIT",
    "PAGE_SIZE",
    "SORTS",
    "InboxFilters",
    "InboxPage",
    "RoadmapCard",
    "SimilarItem",
    "_inbox_queryset",
    "_search_ids",
    "account_choices",
    "account_for",
    "active_criteria",
    "attach_answers",
    "decode_cursor",
    "duplicate_original",
    "duplicates_of",
    "encode_cursor",
    "export_rows",
    "feedback_for",
    "feedback_to_support",
    "filtered_feedback",
    "get_policy",
    "history_of",
    "import_job_for",
    "import_jobs",
    "inbox",
    "inbox_counts",
    "linked_feedback",
    "my_submissions",
    "open_opportunities",
    "opportunities_of",
    "opportunity_choices",
    "opportunity_for",
    "opportunity_ranking",
    "priority_weights",
    "product_areas",
    "roadmap",
    "rubric",
    "saved_views",
    "sees_confidential",
    "segments",
    "similar_feedback",
    "submitter_teams",
    "supporters_of",
    "visible_accounts",
    "visible_feedback",
]
