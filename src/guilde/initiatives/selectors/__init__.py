"""Reads on challenges, initiatives and pledges: already narrowed to what the viewer may see,
with their relations loaded, so every page costs a constant number of queries.

Split by job; every public name is re-exported here."""

from guilde.initiatives.selectors._common import (
    CHECK_IN_EVERY_DAYS,
    OVERWORK_RATIO,
    OVERWORK_WEEKS,
    OVERWORK_WINDOW,
    PAGE_SIZE,
    pillars,
    today,
)
from guilde.initiatives.selectors.board_columns import Column, board
from guilde.initiatives.selectors.challenge_queries import (
    challenge_comment_for,
    challenge_for,
    challenge_page,
    challenges,
    editable_challenge,
    open_challenges,
)
from guilde.initiatives.selectors.initiative_queries import (
    contributions_for,
    editable_initiative,
    has_history,
    initiative_for,
    initiative_page,
    initiatives,
)
from guilde.initiatives.selectors.planning import (
    PlanInputs,
    PlanPage,
    capacity_plan,
    forget_stored_plans,
    plan_inputs,
    plan_token,
    stored_plan,
)
from guilde.initiatives.selectors.pledge_queries import (
    absence_for,
    absences,
    commitments,
    member_of,
    next_check_in_due,
    pledge_for_change,
    pledged_by_week,
    pledged_minutes_between,
)
from guilde.initiatives.selectors.signals import (
    OverworkSignal,
    SinglePersonSignal,
    due_check_ins,
    overwork_signals,
    single_person_signals,
)

__all__ = [
    "CHECK_IN_EVERY_DAYS",
    "OVERWORK_RATIO",
    "OVERWORK_WEEKS",
    "OVERWORK_WINDOW",
    "PAGE_SIZE",
    "Column",
    "OverworkSignal",
    "PlanInputs",
    "PlanPage",
    "SinglePersonSignal",
    "absence_for",
    "absences",
    "board",
    "capacity_plan",
    "challenge_comment_for",
    "challenge_for",
    "challenge_page",
    "challenges",
    "commitments",
    "contributions_for",
    "due_check_ins",
    "editable_challenge",
    "editable_initiative",
    "forget_stored_plans",
    "has_history",
    "initiative_for",
    "initiative_page",
    "initiatives",
    "member_of",
    "next_check_in_due",
    "open_challenges",
    "overwork_signals",
    "pillars",
    "plan_inputs",
    "plan_token",
    "pledge_for_change",
    "pledged_by_week",
    "pledged_minutes_between",
    "single_person_signals",
    "stored_plan",
    "today",
]
