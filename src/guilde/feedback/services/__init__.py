"""Writes on feedback. Keyword-only, the acting user passed as `actor`, one transaction each.

They raise PermissionDenied when the actor may not act, ValidationError({field: message}) on bad
input, and ConcurrentEditError (a ValidationError with code "conflict") when the row changed since
the actor loaded it.
"""

from __future__ import annotations

from guilde.feedback.services._common import MAX_BULK
from guilde.feedback.services.accounts import save_account
from guilde.feedback.services.definition import (
    DEFAULT_CRITERIA,
    DEFAULT_REQUIRED_FIELDS,
    DEFAULT_SEGMENTS,
    POLICY_FIELDS,
    WEIGHT_FIELDS,
    delete_criterion,
    delete_view,
    ensure_default_definition,
    save_criterion,
    save_product_area,
    save_segment,
    save_view,
    update_policy,
)
from guilde.feedback.services.intake import (
    MAX_LINKS,
    FeedbackData,
    build_feedback,
    submit_feedback,
    support_feedback,
    update_feedback,
    update_import_mapping,
    validate_feedback_data,
)
from guilde.feedback.services.opportunities import (
    OPPORTUNITY_FIELDS,
    bulk_link,
    create_opportunity,
    link_to_opportunity,
    set_roadmap_status,
    ship_opportunity,
    unlink_from_opportunity,
    update_opportunity,
)
from guilde.feedback.services.scores import (
    preview_quality,
    quality_input,
    recompute_all_priorities,
    recompute_quality,
    refresh_opportunities,
)
from guilde.feedback.services.triage import (
    STATUS_FIELDS,
    TITLE_FOR_STATUS,
    VERB_FOR_STATUS,
    bulk_assign_area,
    bulk_change_status,
    change_status,
    mark_duplicate,
    merge_feedback,
)

__all__ = [
    "DEFAULT_CRITERIA",
    "DEFAULT_REQUIRED_FIELDS",
    "DEFAULT_SEGMENTS",
    "MAX_BULK",
    "MAX_LINKS",
    "OPPORTUNITY_FIELDS",
    "POLICY_FIELDS",
    "STATUS_FIELDS",
    "TITLE_FOR_STATUS",
    "VERB_FOR_STATUS",
    "WEIGHT_FIELDS",
    "FeedbackData",
    "build_feedback",
    "bulk_assign_area",
    "bulk_change_status",
    "bulk_link",
    "change_status",
    "create_opportunity",
    "delete_criterion",
    "delete_view",
    "ensure_default_definition",
    "link_to_opportunity",
    "mark_duplicate",
    "merge_feedback",
    "preview_quality",
    "quality_input",
    "recompute_all_priorities",
    "recompute_quality",
    "refresh_opportunities",
    "save_account",
    "save_criterion",
    "save_product_area",
    "save_segment",
    "save_view",
    "set_roadmap_status",
    "ship_opportunity",
    "submit_feedback",
    "support_feedback",
    "unlink_from_opportunity",
    "update_feedback",
    "update_import_mapping",
    "update_opportunity",
    "update_policy",
    "validate_feedback_data",
]
