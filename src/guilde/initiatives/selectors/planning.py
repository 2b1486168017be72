"""Inputs for the capacity planner, and the plan itself."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch

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
    members: dict[int, Member]
    rows: dict[int, Initiative]


def _tag_names(tags: Any) -> frozenset[str]:
    return frozenset(tag.name.lower() for tag in tags)


def plan_inputs(*, on: date | None = None) -> PlanInputs:
    """The planner's inputs from the database, in a constant number of queries."""
    day = on or today()
    monday0 = planner.week_start(day)
    members = list(
        Member.objects.filter(is_volunteer=True, user__is_active=True)
        .select_related("user")
        .prefetch_related(
            "skills",
            "interests",
            Prefetch("absences", queryset=Absence.objects.filter(end__gte=monday0), to_attr="upcoming_absences"),
        )
    )
    volunteers = [
        planner.Volunteer(
            id=m.pk,
            name=m.user.full_name or m.user.email,
            weekly_minutes=m.weekly_minutes,
            tags=_tag_names(m.skills.all()) | _tag_names(m.interests.all()),
            absences=tuple((a.start, a.end) for a in m.upcoming_absences),
        )
        for m in members
    ]
    pledges = [
        planner.PlannedPledge(
            member_id=p.member_id,
            initiative_id=p.initiative_id,
            minutes_per_week=p.minutes_per_week,
            start=p.start,
            end=p.end,
        )
        for p in Pledge.objects.filter(
            end__gte=monday0,
            member__is_volunteer=True,
            initiative__is_archived=False,
            initiative__status__in=PLEDGEABLE,
        ).only("member_id", "initiative_id", "minutes_per_week", "start", "end")
    ]
    rows = {
        i.pk: i
        for i in Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES)
        .select_related("pillar", "lead")
        .prefetch_related("skills")
    }
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
            tags=_tag_names(i.skills.all()),
        )
        for i in rows.values()
    ]
    return PlanInputs(
        volunteers=volunteers,
        pledges=pledges,
        initiatives=planned,
        pillars=list(pillars()),
        members={m.pk: m for m in members},
        rows=rows,
    )


def capacity_plan(
    *, on: date | None = None, horizon_weeks: int = planner.DEFAULT_HORIZON_WEEKS, what_if: planner.WhatIf | None = None
) -> tuple[planner.Plan, PlanInputs]:
    """The plan as it stands, or with a what-if applied (never saved)."""
    day = on or today()
    inputs = plan_inputs(on=day)
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
    )
    return result, inputs
