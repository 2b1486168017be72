"""Inputs for the capacity planner, and the plan itself."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from guilde.community.models import Member, Pillar
from guilde.initiatives import planner
from guilde.initiatives.enums import (
    ACTIVE_STATUSES,
    PLEDGEABLE,
)
from guilde.initiatives.models import (
    Absence,
    Initiative,
    PlanStamp,
    Pledge,
)
from guilde.initiatives.selectors._common import pillars, today
from guilde.initiatives.selectors.signals import (
    OverworkSignal,
    SinglePersonSignal,
    overwork_signals,
    single_person_signals,
)


@dataclass
class PlanInputs:
    volunteers: list[planner.Volunteer]
    pledges: list[planner.PlannedPledge]
    initiatives: list[planner.PlannedInitiative]
    pillars: list[Pillar]
    rows: dict[int, Initiative]


def _volunteers(monday0: date) -> list[planner.Volunteer]:
    """Active volunteers with their tags and coming absences, as plain values (a thousand in a large
    community: no model instance per member, tag or absence). Four queries."""
    active = Q(is_volunteer=True, user__is_active=True)
    tags: dict[int, set[str]] = {}
    for relation in (Member.skills.through, Member.interests.through):
        linked = relation.objects.filter(member__is_volunteer=True, member__user__is_active=True)
        for member_id, name in linked.values_list("member_id", "tag__name"):
            tags.setdefault(member_id, set()).add(name.lower())
    away: dict[int, list[tuple[date, date]]] = {}
    absences = Absence.objects.filter(end__gte=monday0, member__is_volunteer=True, member__user__is_active=True)
    for member_id, start, end in absences.order_by("start", "id").values_list("member_id", "start", "end"):
        away.setdefault(member_id, []).append((start, end))
    rows = Member.objects.filter(active).order_by("search_name", "pk")
    return [
        planner.Volunteer(
            id=pk,
            name=full_name or email,
            weekly_minutes=minutes,
            tags=frozenset(tags.get(pk, ())),
            absences=tuple(away.get(pk, ())),
        )
        for pk, full_name, email, minutes in rows.values_list("pk", "user__full_name", "user__email", "weekly_minutes")
    ]


def _active() -> QuerySet[Initiative]:
    return Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES)


def _rows(active: QuerySet[Initiative]) -> dict[int, Initiative]:
    """The fields the plan and its page read (a few hundred rows in a large community)."""
    return {
        i.pk: i
        for i in active.only(
            "pk", "title", "pillar_id", "effort_hours", "spent_minutes", "target_date", "rank", "value", "version"
        )
    }


def plan_inputs(*, on: date | None = None) -> PlanInputs:
    """The planner's inputs from the database, in a constant number of queries."""
    day = on or today()
    monday0 = planner.week_start(day)
    volunteers = _volunteers(monday0)
    pledges = [
        planner.PlannedPledge(
            member_id=member_id, initiative_id=initiative_id, minutes_per_week=minutes, start=start, end=end
        )
        for member_id, initiative_id, minutes, start, end in Pledge.objects.filter(
            end__gte=monday0,
            member__is_volunteer=True,
            initiative__is_archived=False,
            initiative__status__in=PLEDGEABLE,
        ).values_list("member_id", "initiative_id", "minutes_per_week", "start", "end")
    ]
    active = _active()
    rows = _rows(active)
    skills: dict[int, set[str]] = {}
    for initiative_id, name in Initiative.skills.through.objects.filter(initiative__in=active).values_list(
        "initiative_id", "tag__name"
    ):
        skills.setdefault(initiative_id, set()).add(name.lower())
    planned = [
        planner.PlannedInitiative(
            id=i.pk,
            title=i.title,
            pillar_id=i.pillar_id,
            remaining_minutes=i.remaining_minutes,
            target_date=i.target_date,
            rank=i.rank,
            value=i.value,
            effort_hours=i.effort_hours,
            tags=frozenset(skills.get(i.pk, ())),
        )
        for i in rows.values()
    ]
    return PlanInputs(volunteers=volunteers, pledges=pledges, initiatives=planned, pillars=list(pillars()), rows=rows)


def capacity_plan(
    *,
    on: date | None = None,
    horizon_weeks: int = planner.DEFAULT_HORIZON_WEEKS,
    what_if: planner.WhatIf | None = None,
    remedies_until: int | None = None,
    inputs: PlanInputs | None = None,
) -> tuple[planner.Plan, PlanInputs]:
    """The plan as it stands, or with a what-if applied (never saved).

    `remedies_until` limits the remedies to the first initiatives (see `planner.plan`); `inputs`
    reuses those read for the same day (a what-if is planned next to the real plan).
    """
    day = on or today()
    inputs = inputs or plan_inputs(on=day)
    volunteers, pledges, planned = inputs.volunteers, inputs.pledges, inputs.initiatives
    if what_if is not None and not what_if.is_empty:
        volunteers, pledges, planned = planner.apply_what_if(
            volunteers=volunteers, pledges=pledges, initiatives=planned, what_if=what_if, today=day
        )
    result = planner.plan(
        today=day,
        volunteers=volunteers,
        pledges=pledges,
        initiatives=planned,
        pillar_ids=[p.pk for p in inputs.pillars],
        horizon_weeks=horizon_weeks,
        remedies_until=remedies_until,
    )
    return result, inputs


# Stored plans ------------------------------------------------------------------------------------
#
# The planner page shows the same plan until something it reads changes: computing it takes a
# large community's thousand volunteers, their pledges and absences and a few hundred initiatives
# through `planner.plan`. So each process keeps the plans it computed, with remedies for every
# initiative (any page of the plan shows the same items, see `planner.plan`), under the token of
# `PlanStamp` they were computed for: every write the plan reads changes the token
# (`services.touch_plan`, `initiatives.plan_signals`), and the next page computes the plan again.
# The initiatives' planned values and the pillars are read on every page anyway: a change to them
# that bypassed the token (a raw SQL write) is caught there; any other such write shows after at
# most `STORED_PLAN_SECONDS`. The what-if plan is always computed.

STORED_PLANS = 8
STORED_PLAN_SECONDS = 300
_stored: "OrderedDict[tuple[Any, ...], tuple[float, Any]]" = OrderedDict()
_stored_lock = threading.Lock()


def _recall(key: tuple[Any, ...]) -> Any:
    with _stored_lock:
        stored_at, value = _stored.get(key, (0.0, None))
    return value if time.monotonic() - stored_at < STORED_PLAN_SECONDS else None


def _remember(key: tuple[Any, ...], value: Any) -> None:
    with _stored_lock:
        _stored[key] = (time.monotonic(), value)
        while len(_stored) > STORED_PLANS:
            _stored.popitem(last=False)


def _planned(row: Initiative) -> tuple[Any, ...]:
    return (row.title, row.pillar_id, row.remaining_minutes, row.target_date, row.rank, row.value, row.effort_hours)


@dataclass(frozen=True)
class StoredPlan:
    plan: planner.Plan
    volunteer_count: int
    # What each initiative and the pillars were when the plan was computed.
    planned: dict[int, tuple[Any, ...]]
    pillar_ids: tuple[int, ...]

    def holds(self, rows: dict[int, Initiative], pillar_ids: tuple[int, ...]) -> bool:
        return pillar_ids == self.pillar_ids and {pk: _planned(row) for pk, row in rows.items()} == self.planned


@dataclass(frozen=True)
class PlanPage:
    """The plan as it stands (remedies for every initiative) and what its page shows beside it; the
    burnout signals when asked for (`care`), empty otherwise."""

    plan: planner.Plan
    rows: dict[int, Initiative]
    pillars: list[Pillar]
    volunteer_count: int
    overwork: list[OverworkSignal] = field(default_factory=list)
    single: list[SinglePersonSignal] = field(default_factory=list)


def plan_token() -> int:
    """The token plans are stored under; one indexed read."""
    return PlanStamp.objects.filter(pk=1).values_list("token", flat=True).first() or 0


def forget_stored_plans() -> None:
    with _stored_lock:
        _stored.clear()


def stored_plan(
    *, horizon_weeks: int = planner.DEFAULT_HORIZON_WEEKS, on: date | None = None, care: bool = False
) -> PlanPage:
    """The plan as it stands, computed once per change (see above), and with `care` the burnout signals
    (`overwork_signals`, `single_person_signals`), kept the same way. Three queries when stored.

    Equal to `capacity_plan(horizon_weeks=…)` with the initiatives' current rows and the pillars."""
    day = on or today()
    # Read before the rows: nothing is stored under a token older than what it was computed from.
    token = plan_token()
    rows = _rows(_active())
    pillar_list = list(pillars())
    key = ("plan", token, day, horizon_weeks)
    stored = _recall(key)
    if stored is None or not stored.holds(rows, tuple(p.pk for p in pillar_list)):
        inputs = plan_inputs(on=day)
        result, _inputs = capacity_plan(on=day, horizon_weeks=horizon_weeks, inputs=inputs)
        stored = StoredPlan(
            plan=result,
            volunteer_count=len(inputs.volunteers),
            planned={pk: _planned(row) for pk, row in inputs.rows.items()},
            pillar_ids=tuple(p.pk for p in inputs.pillars),
        )
        rows, pillar_list = inputs.rows, inputs.pillars
        _remember(key, stored)
    overwork: list[OverworkSignal] = []
    single: list[SinglePersonSignal] = []
    if care:
        care_key = ("care", token, day)
        signals = _recall(care_key)
        if signals is None:
            signals = (overwork_signals(on=day), single_person_signals(on=day))
            _remember(care_key, signals)
        overwork, single = signals
    return PlanPage(
        plan=stored.plan,
        rows=rows,
        pillars=pillar_list,
        volunteer_count=stored.volunteer_count,
        overwork=overwork,
        single=single,
    )
