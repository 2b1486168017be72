"""Thin views: permission, form, one service call, message, redirect or htmx partial.

Split by job; every public name is re-exported here."""

from guilde.initiatives.views.boards import board
from guilde.initiatives.views.challenges import (
    challenge_comment,
    challenge_comment_delete,
    challenge_comment_edit,
    challenge_create,
    challenge_decline,
    challenge_detail,
    challenge_edit,
    challenge_list,
    challenge_merge,
    challenge_vote,
)
from guilde.initiatives.views.commitments import absence_delete, my_commitments
from guilde.initiatives.views.home import home_section, member_section
from guilde.initiatives.views.initiatives import (
    initiative_archive,
    initiative_create,
    initiative_delete,
    initiative_detail,
    initiative_edit,
    initiative_list,
    initiative_move,
)
from guilde.initiatives.views.planning import (
    MAX_WEEKS,
    MIN_WEEKS,
    planner_deprioritise,
    planner_reprioritise,
    planner_view,
)
from guilde.initiatives.views.pledges import initiative_check_in, initiative_pledge, pledge_withdraw

__all__ = [
    "MAX_WEEKS",
    "MIN_WEEKS",
    "absence_delete",
    "board",
    "challenge_comment",
    "challenge_comment_delete",
    "challenge_comment_edit",
    "challenge_create",
    "challenge_decline",
    "challenge_detail",
    "challenge_edit",
    "challenge_list",
    "challenge_merge",
    "challenge_vote",
    "home_section",
    "initiative_archive",
    "initiative_check_in",
    "initiative_create",
    "initiative_delete",
    "initiative_detail",
    "initiative_edit",
    "initiative_list",
    "initiative_move",
    "initiative_pledge",
    "member_section",
    "my_commitments",
    "planner_deprioritise",
    "planner_reprioritise",
    "planner_view",
    "pledge_withdraw",
]
