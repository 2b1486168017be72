"""Writes on challenges, initiatives, pledges, check-ins and absences.

Keyword-only, the acting user first, one transaction each. They raise `PermissionDenied` when
the actor may not, `ValidationError({field: message})` on bad input, `ConcurrentEditError` when
someone changed the row since the actor loaded it.

Split by job; every public name is re-exported here."""

from guilde.initiatives.services._common import (
    INITIATIVE_FIELDS,
    MAX_ABSENCE_DAYS,
    MAX_CHECK_IN_MINUTES,
    MAX_EFFORT_HOURS,
    MAX_PLEDGE_WEEKS,
    format_minutes,
)
from guilde.initiatives.services.challenges import (
    comment_challenge,
    decline_challenge,
    delete_challenge_comment,
    edit_challenge_comment,
    merge_challenge,
    raise_challenge,
    toggle_vote,
    update_challenge,
)
from guilde.initiatives.services.check_ins import check_in, declare_absence, delete_absence
from guilde.initiatives.services.digest import send_digest
from guilde.initiatives.services.initiatives import (
    archive_initiative,
    create_initiative,
    delete_initiative,
    move_initiative,
    reprioritise_initiative,
    update_initiative,
)
from guilde.initiatives.services.plan_stamp import touch_plan
from guilde.initiatives.services.pledges import check_pledge_fits, pledge, withdraw_pledge

__all__ = [
    "INITIATIVE_FIELDS",
    "MAX_ABSENCE_DAYS",
    "MAX_CHECK_IN_MINUTES",
    "MAX_EFFORT_HOURS",
    "MAX_PLEDGE_WEEKS",
    "archive_initiative",
    "check_in",
    "check_pledge_fits",
    "comment_challenge",
    "create_initiative",
    "declare_absence",
    "decline_challenge",
    "delete_absence",
    "delete_challenge_comment",
    "delete_initiative",
    "edit_challenge_comment",
    "format_minutes",
    "merge_challenge",
    "move_initiative",
    "pledge",
    "raise_challenge",
    "reprioritise_initiative",
    "send_digest",
    "toggle_vote",
    "touch_plan",
    "update_challenge",
    "update_initiative",
    "withdraw_pledge",
]
