"""The capacity planner's arithmetic as first written: a week-by-week loop over every pledge and volunteer.

Kept to check that `guilde.initiatives.planner.plan`, rewritten to scale to a large community,
gives exactly the same plans (tests/initiatives/test_planner_scale.py). Not used by the app.
"""

# ruff: noqa
# mypy: ignore-errors

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction

from guilde.initiatives.planner import (
    DEFAULT_HORIZON_WEEKS,
    MAX_SEARCH_WEEKS,
    InitiativePlan,
    PillarLoad,
    Plan,
    PlannedInitiative,
    PlannedPledge,
    Suggestion,
    Volunteer,
    WeekLoad,
    _presence,
    _spread,
    priority_key,
    week_start,
    weeks_end,
)


def _active(pledge: PlannedPledge, monday: date, *, open_ended: bool = False) -> bool:
    return pledge.start <= monday + timedelta(days=6) and (open_ended or pledge.end >= monday)


def plan(
    *,
    today: date,
    volunteers: Iterable[Volunteer],
    pledges: Iterable[PlannedPledge],
    initiatives: Iterable[PlannedInitiative],
    pillar_ids: Sequence[int] = (),
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
) -> Plan:
    """Demand against capacity per week and per pillar, and each initiative's fit with remedies.

    `pledges` are every live pledge of the volunteers (also to initiatives outside the plan, such
    as ideas), since they all take from the volunteer's time; only those to `initiatives` supply them.
    """
    volunteers = list(volunteers)
    pledges = list(pledges)
    ordered = sorted(initiatives, key=priority_key)
    by_id = {v.id: v for v in volunteers}
    monday0 = week_start(today)
    weeks = [monday0 + timedelta(weeks=index) for index in range(horizon_weeks)]

    def delivered(pledge: PlannedPledge, monday: date, *, open_ended: bool = False) -> int:
        if not _active(pledge, monday, open_ended=open_ended):
            return 0
        return int(pledge.minutes_per_week * _presence(by_id.get(pledge.member_id), monday))

    def last_week_index(item: PlannedInitiative) -> int | None:
        """Index of the target date's week; None when there is no date; -1 when it has passed."""
        if item.target_date is None:
            return None
        if item.target_date < today:
            return -1
        return (week_start(item.target_date) - monday0).days // 7

    # Free minutes per volunteer and week, from their commitment, presence and every pledge.
    search_weeks = max(horizon_weeks, MAX_SEARCH_WEEKS)
    all_weeks = [monday0 + timedelta(weeks=index) for index in range(search_weeks)]
    free: dict[int, list[int]] = {}
    for volunteer in volunteers:
        own = [p for p in pledges if p.member_id == volunteer.id]
        free[volunteer.id] = [
            max(
                0,
                int(volunteer.weekly_minutes * _presence(volunteer, monday)) - sum(delivered(p, monday) for p in own),
            )
            for monday in all_weeks
        ]

    free_volunteers = sorted(
        ((v, free[v.id][0]) for v in volunteers if v.id >= 0 and free[v.id][0] > 0),
        key=lambda pair: (-pair[1], pair[0].name),
    )
    results: list[InitiativePlan] = []
    demand_by_week = [0] * horizon_weeks
    pledged_by_week = [0] * horizon_weeks
    pillar_loads = {pk: PillarLoad(pk, [0] * horizon_weeks, [0] * horizon_weeks) for pk in pillar_ids}
    for position, item in enumerate(ordered, start=1):
        own = [p for p in pledges if p.initiative_id == item.id]
        last = last_week_index(item)
        supply = [sum(delivered(p, monday) for p in own) for monday in all_weeks]
        available = 0 if last is None or last < 0 else sum(supply[: last + 1])
        if last is None:
            available = sum(supply)
            demand = _spread(item.remaining_minutes, horizon_weeks)
        elif last < 0:
            demand = [item.remaining_minutes] + [0] * (horizon_weeks - 1)
        else:
            demand = _spread(item.remaining_minutes, last + 1)[:horizon_weeks]
        demand += [0] * (horizon_weeks - len(demand))
        pace = sum(p.minutes_per_week for p in own if p.end >= today)
        result = InitiativePlan(
            id=item.id,
            title=item.title,
            pillar_id=item.pillar_id,
            priority=position,
            needed_minutes=item.remaining_minutes,
            available_minutes=available,
            target_date=item.target_date,
            deadline=None if last is None or last < 0 else weeks_end(monday0, last),
            pace_minutes_per_week=pace,
        )
        if result.too_ambitious:
            result.earliest_date = _earliest_date(item, own, all_weeks, delivered)
            result.suggestions = _suggest(item, result, last, volunteers, free, own, all_weeks)
        results.append(result)
        loads = pillar_loads.setdefault(
            item.pillar_id, PillarLoad(item.pillar_id, [0] * horizon_weeks, [0] * horizon_weeks)
        )
        for index in range(horizon_weeks):
            demand_by_week[index] += demand[index]
            pledged_by_week[index] += supply[index]
            loads.demand[index] += demand[index]
            loads.pledged[index] += supply[index]

    capacity = [sum(int(v.weekly_minutes * _presence(v, monday)) for v in volunteers) for monday in weeks]
    week_loads = [
        WeekLoad(start=monday, demand=demand_by_week[i], pledged=pledged_by_week[i], capacity=capacity[i])
        for i, monday in enumerate(weeks)
    ]
    return Plan(
        today=today,
        weeks=weeks,
        week_loads=week_loads,
        pillar_loads=pillar_loads,
        initiatives=results,
        free_volunteers=free_volunteers,
    )


def _earliest_date(item, own, all_weeks, delivered) -> date | None:  # type: ignore[no-untyped-def]
    """The end of the first week by which current pledges, kept up at the same pace, deliver the effort."""
    total = 0
    for index, monday in enumerate(all_weeks):
        total += sum(delivered(p, monday, open_ended=True) for p in own)
        if total >= item.remaining_minutes:
            return weeks_end(all_weeks[0], index)
    return None


def _suggest(item, result, last, volunteers, free, own, all_weeks) -> list[Suggestion]:  # type: ignore[no-untyped-def]
    """Volunteers whose free minutes close the gap, matching skills first; their minutes are then taken."""
    if last is None or last < 0:
        return []
    pledged_ids = {p.member_id for p in own}
    candidates = []
    for volunteer in volunteers:
        if volunteer.id in pledged_ids or volunteer.id < 0:
            continue
        matching = tuple(sorted(item.tags & volunteer.tags))
        if item.tags and not matching:
            continue
        by_target = sum(free[volunteer.id][: last + 1])
        if by_target <= 0:
            continue
        candidates.append((len(matching), by_target, volunteer, matching))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2].name))
    gap = result.gap_minutes
    suggestions: list[Suggestion] = []
    for _count, by_target, volunteer, matching in candidates:
        if gap <= 0:
            break
        take = min(gap, by_target)
        weekly = max(free[volunteer.id][: last + 1])
        suggestions.append(
            Suggestion(
                member_id=volunteer.id,
                name=volunteer.name,
                free_minutes_per_week=weekly,
                minutes_by_target=take,
                matching_tags=matching,
            )
        )
        remaining = take
        for index in range(last + 1):
            used = min(remaining, free[volunteer.id][index])
            free[volunteer.id][index] -= used
            remaining -= used
            if remaining <= 0:
                break
        gap -= take
    return suggestions
