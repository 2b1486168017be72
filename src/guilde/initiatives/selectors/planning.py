"""Inputs for the capacity planner, and the plan itself."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from guilde.community.models import Member, Pillar
from guilde.initiatives import planner
from guilde.initiatives.enums import (
    ACTIVE_STATUSES,
    PLEDGEABLE,
)
from guilde.initiatives.models import (
    Absence,
    Initiative,
    Pledge,
)
from guilde.initiatives.selectors._common import pillars, today


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
    active = Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES)
    # The fields the plan and its page read (a few hundred rows in a large community), skills as names.
    rows = {
        i.pk: i
        for i in active.only(
            "pk", "title", "pillar_id", "effort_hours", "spent_minutes", "target_date", "rank", "value", "version"
        )
    }
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
