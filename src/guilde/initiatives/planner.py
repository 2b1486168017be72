"""The capacity planner: volunteers' real time against what the initiatives need, week by week.

Pure: no database, no request. `selectors.plan_inputs` builds the inputs from the rows and
`plan()` does the arithmetic, so hand-built scenarios test it exactly.

The model, in minutes (integers, so results are exact):

- A week runs Monday to Sunday; week 0 is the one containing `today`.
- A volunteer's capacity in a week is their weekly commitment, reduced by the working days
  (Monday to Friday) of that week they declared absent: 2 absent days out of 5 leave 3/5.
- A pledge is active in every week its period touches, and delivers its minutes in that week
  scaled by its volunteer's presence.
- An initiative needs its remaining effort (estimate minus time already spent) by the end of
  the week of its target date. What its pledges deliver up to then is what is available: if
  that is less, it is **too ambitious for current capacity**.
- Initiatives are considered in priority order (product ops' rank, then value per hour of
  effort, then the nearest date). Volunteers' unpledged minutes are offered to the
  too-ambitious ones in that order, so two initiatives are never promised the same hour.
"""

import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

DEFAULT_HORIZON_WEEKS = 12
# How far the "move the date" remedy looks for a feasible date.
MAX_SEARCH_WEEKS = 104
WORKDAYS = 5
WHAT_IF_VOLUNTEER_ID = -1


@dataclass(frozen=True)
class Volunteer:
    id: int
    name: str
    weekly_minutes: int
    tags: frozenset[str] = frozenset()
    absences: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class PlannedPledge:
    member_id: int
    initiative_id: int
    minutes_per_week: int
    start: date
    end: date


@dataclass(frozen=True)
class PlannedInitiative:
    id: int
    title: str
    pillar_id: int
    remaining_minutes: int
    target_date: date | None
    rank: int = 100
    value: int = 3
    effort_hours: int = 1
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WhatIf:
    """A change to try without saving: a volunteer joins an initiative, or its estimate changes."""

    initiative_id: int
    add_minutes_per_week: int = 0
    add_member_id: int | None = None
    add_name: str = ""
    effort_hours: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.add_minutes_per_week and self.effort_hours is None


@dataclass(frozen=True)
class Suggestion:
    """A volunteer with free time (and, where the initiative lists skills, a matching one)."""

    member_id: int
    name: str
    free_minutes_per_week: int
    minutes_by_target: int
    matching_tags: tuple[str, ...]


@dataclass
class InitiativePlan:
    id: int
    title: str
    pillar_id: int
    priority: int
    needed_minutes: int
    available_minutes: int
    target_date: date | None
    deadline: date | None
    pace_minutes_per_week: int
    earliest_date: date | None = None
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        # Without a target date nothing can be late.
        return self.target_date is None or self.available_minutes >= self.needed_minutes

    @property
    def too_ambitious(self) -> bool:
        return not self.fits

    @property
    def overdue(self) -> bool:
        return self.deadline is None and self.target_date is not None and self.needed_minutes > 0

    @property
    def gap_minutes(self) -> int:
        return max(0, self.needed_minutes - self.available_minutes)

    @property
    def split_minutes(self) -> int:
        """The first part that fits: the whole hours current pledges deliver by the target date."""
        return 0 if self.fits else (self.available_minutes // 60) * 60

    @property
    def suggested_minutes(self) -> int:
        return sum(s.minutes_by_target for s in self.suggestions)

    @property
    def fits_with_suggestions(self) -> bool:
        return self.fits or (
            bool(self.suggestions) and self.available_minutes + self.suggested_minutes >= self.needed_minutes
        )

    @property
    def coverage_pct(self) -> int:
        """Available over needed, in 5 % steps for the `w-pct-*` classes."""
        if self.needed_minutes <= 0:
            return 100
        pct = min(100, 100 * self.available_minutes // self.needed_minutes)
        return pct - pct % 5

    @property
    def reason(self) -> str:
        values = {"needed": hours(self.needed_minutes), "available": hours(self.available_minutes)}
        if self.target_date is None:
            return _("needs %(needed)s, no target date; %(available)s a week at current pledges") % {
                "needed": values["needed"],
                "available": hours(self.pace_minutes_per_week),
            }
        values["date"] = short_date(self.target_date)
        if self.overdue:
            return _("needs %(needed)s and the target date (%(date)s) has passed") % values
        return _("needs %(needed)s by %(date)s, %(available)s available at current pledges") % values


@dataclass(frozen=True)
class WeekLoad:
    start: date
    demand: int
    pledged: int
    capacity: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.pledged)

    @property
    def over(self) -> bool:
        return self.demand > self.pledged


@dataclass
class PillarLoad:
    pillar_id: int
    demand: list[int]
    pledged: list[int]

    @property
    def total_demand(self) -> int:
        return sum(self.demand)

    @property
    def total_pledged(self) -> int:
        return sum(self.pledged)

    @property
    def over(self) -> bool:
        return self.total_demand > self.total_pledged


@dataclass
class Plan:
    today: date
    weeks: list[date]
    week_loads: list[WeekLoad]
    pillar_loads: dict[int, PillarLoad]
    initiatives: list[InitiativePlan]
    free_volunteers: list[tuple[Volunteer, int]]

    @property
    def too_ambitious(self) -> list[InitiativePlan]:
        return [item for item in self.initiatives if item.too_ambitious]

    def initiative(self, pk: int) -> InitiativePlan | None:
        return next((item for item in self.initiatives if item.id == pk), None)

    @property
    def total_demand(self) -> int:
        return sum(week.demand for week in self.week_loads)

    @property
    def total_capacity(self) -> int:
        return sum(week.capacity for week in self.week_loads)

    @property
    def total_pledged(self) -> int:
        return sum(week.pledged for week in self.week_loads)


def hours(minutes: int) -> str:
    """Minutes as hours for people: "12 h", "1.5 h" (localised decimal separator)."""
    value = Fraction(minutes, 60)
    text = number_format(int(value)) if value.denominator == 1 else number_format(round(float(value), 1), 1)
    return _("%(hours)s h") % {"hours": text}


def short_date(value: date) -> str:
    return date_format(value, "j N Y")


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _presence(volunteer: Volunteer | None, monday: date) -> Fraction:
    """The share of a week's working days the volunteer is there."""
    if volunteer is None or not volunteer.absences:
        return Fraction(1)
    friday = monday + timedelta(days=WORKDAYS - 1)
    absent = set()
    for start, end in volunteer.absences:
        first, last = max(start, monday), min(end, friday)
        day = first
        while day <= last:
            absent.add(day)
            day += timedelta(days=1)
    return Fraction(WORKDAYS - len(absent), WORKDAYS)


def _spread(total: int, weeks: int) -> list[int]:
    """`total` over `weeks` as evenly as integers allow, the remainder on the first weeks."""
    if weeks <= 0:
        return []
    base, extra = divmod(total, weeks)
    return [base + (1 if index < extra else 0) for index in range(weeks)]


def priority_key(item: PlannedInitiative) -> tuple:
    return (item.rank, -Fraction(item.value, max(1, item.effort_hours)), item.target_date or date.max, item.id)


def apply_what_if(
    *,
    volunteers: Sequence[Volunteer],
    pledges: Sequence[PlannedPledge],
    initiatives: Sequence[PlannedInitiative],
    what_if: WhatIf,
    today: date,
) -> tuple[list[Volunteer], list[PlannedPledge], list[PlannedInitiative]]:
    """The inputs with the what-if applied; nothing is saved anywhere."""
    volunteers, pledges, initiatives = list(volunteers), list(pledges), list(initiatives)
    target = next((item for item in initiatives if item.id == what_if.initiative_id), None)
    if target is None:
        return volunteers, pledges, initiatives
    if what_if.effort_hours is not None:
        spent = target.effort_hours * 60 - target.remaining_minutes
        changed = replace(
            target, effort_hours=what_if.effort_hours, remaining_minutes=max(0, what_if.effort_hours * 60 - spent)
        )
        initiatives = [changed if item.id == target.id else item for item in initiatives]
    if what_if.add_minutes_per_week > 0:
        member_id = what_if.add_member_id if what_if.add_member_id is not None else WHAT_IF_VOLUNTEER_ID
        if not any(v.id == member_id for v in volunteers):
            volunteers.append(
                Volunteer(
                    id=member_id,
                    name=what_if.add_name or _("New volunteer"),
                    weekly_minutes=what_if.add_minutes_per_week,
                )
            )
        end = max(target.target_date or today, today) + timedelta(weeks=MAX_SEARCH_WEEKS)
        pledges.append(
            PlannedPledge(
                member_id=member_id,
                initiative_id=target.id,
                minutes_per_week=what_if.add_minutes_per_week,
                start=today,
                end=end,
            )
        )
    return volunteers, pledges, initiatives


def plan(
    *,
    today: date,
    volunteers: Iterable[Volunteer],
    pledges: Iterable[PlannedPledge],
    initiatives: Iterable[PlannedInitiative],
    pillar_ids: Sequence[int] = (),
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
    remedies_until: int | None = None,
) -> Plan:
    """Demand against capacity per week and per pillar, and each initiative's fit with remedies.

    `pledges` are every live pledge of the volunteers (also to initiatives outside the plan, such
    as ideas), since they all take from the volunteer's time; only those to `initiatives` supply them.

    `remedies_until`: the remedies (earliest date, volunteers to ask) of the first N initiatives in
    priority order only, for a page of the plan; the others keep their fit, need and availability.
    A suggestion only takes time left by the initiatives before it, so those N are exact.
    """
    volunteers = list(volunteers)
    pledges = list(pledges)
    ordered = sorted(initiatives, key=priority_key)
    by_id = {v.id: v for v in volunteers}
    monday0 = week_start(today)
    weeks = [monday0 + timedelta(weeks=index) for index in range(horizon_weeks)]
    search_weeks = max(horizon_weeks, MAX_SEARCH_WEEKS)
    all_weeks = [monday0 + timedelta(weeks=index) for index in range(search_weeks)]

    # Week by week arithmetic on index ranges, each pledge and volunteer looked at once: a large
    # community plans hundreds of initiatives against a thousand volunteers over two years of weeks.
    # A pledge delivers the same minutes every week of its span but those an absence touches, so
    # sums over a span are one multiplication and a correction per absent week.
    absent_weeks: dict[int, dict[int, tuple[int, int]]] = {}

    def presence_row(member_id: int) -> dict[int, tuple[int, int]]:
        """The volunteer's presence (a fraction, as numerator and denominator) in the weeks of the search an
        absence cuts; every other week is whole."""
        if member_id not in absent_weeks:
            volunteer = by_id.get(member_id)
            row: dict[int, tuple[int, int]] = {}
            for start, end in volunteer.absences if volunteer else ():
                first = max(0, (week_start(start) - monday0).days // 7)
                last = min(search_weeks - 1, (week_start(end) - monday0).days // 7)
                for index in range(first, last + 1):
                    if index not in row:
                        share = _presence(volunteer, all_weeks[index])
                        row[index] = (share.numerator, share.denominator)
            absent_weeks[member_id] = {index: share for index, share in row.items() if share != (1, 1)}
        return absent_weeks[member_id]

    def span(pledge: PlannedPledge, *, open_ended: bool = False) -> range:
        """Indexes of the weeks of the search the pledge touches (start ≤ Sunday, end ≥ Monday; `open_ended`:
        as if it never ended)."""
        first = max(0, -((6 - (pledge.start - monday0).days) // 7))
        last = search_weeks - 1 if open_ended else min(search_weeks - 1, (pledge.end - monday0).days // 7)
        return range(first, last + 1)

    def shortfalls(pledge: PlannedPledge, weeks: range) -> list[tuple[int, int]]:
        """(week index, minutes not delivered) for the weeks of `weeks` an absence of its volunteer cuts."""
        row = presence_row(pledge.member_id)
        if not row:
            return []
        minutes = pledge.minutes_per_week
        return [(index, minutes - minutes * num // den) for index, (num, den) in row.items() if index in weeks]

    def delivered(pledge: PlannedPledge, *, open_ended: bool = False) -> list[tuple[int, int]]:
        """(week index, minutes) for each week of the search the pledge touches, scaled by its volunteer's presence."""
        row, minutes = presence_row(pledge.member_id), pledge.minutes_per_week
        return [
            (index, minutes * row[index][0] // row[index][1] if index in row else minutes)
            for index in span(pledge, open_ended=open_ended)
        ]

    def add(into: list[int], pledge: PlannedPledge, weeks: range, sign: int = 1) -> None:
        """Adds (or with `sign` -1, takes) what the pledge delivers each week of `weeks` to `into`."""
        if not weeks:
            return
        minutes = sign * pledge.minutes_per_week
        into[weeks.start : weeks.stop] = [value + minutes for value in into[weeks.start : weeks.stop]]
        for index, missing in shortfalls(pledge, weeks):
            into[index] -= sign * missing

    def total(pledge: PlannedPledge, weeks: range) -> int:
        """What the pledge delivers over `weeks`."""
        return len(weeks) * pledge.minutes_per_week - sum(missing for _index, missing in shortfalls(pledge, weeks))

    def within(weeks: range, stop: int) -> range:
        return range(weeks.start, min(weeks.stop, stop))

    def last_week_index(item: PlannedInitiative) -> int | None:
        """Index of the target date's week; None when there is no date; -1 when it has passed."""
        if item.target_date is None:
            return None
        if item.target_date < today:
            return -1
        return (week_start(item.target_date) - monday0).days // 7

    by_member: dict[int, list[PlannedPledge]] = {}
    by_initiative: dict[int, list[PlannedPledge]] = {}
    spans: dict[int, range] = {}
    for pledge in pledges:
        by_member.setdefault(pledge.member_id, []).append(pledge)
        by_initiative.setdefault(pledge.initiative_id, []).append(pledge)
        spans[id(pledge)] = span(pledge)

    # Free minutes per volunteer and week, from their commitment, presence and every pledge: the
    # weeks of the horizon and those up to the last target date a remedy is worked out for.
    detailed = ordered if remedies_until is None else ordered[:remedies_until]
    targets = [last for item in detailed if (last := last_week_index(item)) is not None and last >= 0]
    free_weeks = min(search_weeks, max([horizon_weeks, *(last + 1 for last in targets)]))
    capacity = [sum(volunteer.weekly_minutes for volunteer in volunteers)] * horizon_weeks
    free: dict[int, list[int]] = {}
    for volunteer in volunteers:
        weekly = volunteer.weekly_minutes
        left = [weekly] * free_weeks
        for index, (num, den) in presence_row(volunteer.id).items():
            if index < free_weeks:
                left[index] = weekly * num // den
                if index < horizon_weeks:
                    capacity[index] -= weekly - left[index]
        for pledge in by_member.get(volunteer.id, ()):
            add(left, pledge, within(spans[id(pledge)], free_weeks), sign=-1)
        free[volunteer.id] = left if min(left, default=0) >= 0 else [minutes if minutes > 0 else 0 for minutes in left]

    pool = _Pool(volunteers, free)
    free_volunteers = sorted(
        ((v, free[v.id][0]) for v in volunteers if v.id >= 0 and free[v.id][0] > 0),
        key=lambda pair: (-pair[1], pair[0].name),
    )
    results: list[InitiativePlan] = []
    demand_by_week = [0] * horizon_weeks
    pledged_by_week = [0] * horizon_weeks
    pillar_loads = {pk: PillarLoad(pk, [0] * horizon_weeks, [0] * horizon_weeks) for pk in pillar_ids}
    for position, item in enumerate(ordered, start=1):
        own = by_initiative.get(item.id, [])
        last = last_week_index(item)
        # What the pledges deliver each week of the horizon, and up to the target week (all the search without one).
        supply = [0] * horizon_weeks
        counted = search_weeks if last is None else last + 1
        available = 0
        for pledge in own:
            add(supply, pledge, within(spans[id(pledge)], horizon_weeks))
            available += total(pledge, within(spans[id(pledge)], counted))
        if last is None:
            demand = _spread(item.remaining_minutes, horizon_weeks)
        elif last < 0:
            available = 0
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
        if result.too_ambitious and (remedies_until is None or position <= remedies_until):
            kept_up = [0] * search_weeks
            for pledge in own:
                for index, minutes in delivered(pledge, open_ended=True):
                    kept_up[index] += minutes
            result.earliest_date = _earliest_date(item, kept_up, monday0)
            result.suggestions = _suggest(item, result, last, pool, own)
        results.append(result)
        loads = pillar_loads.setdefault(
            item.pillar_id, PillarLoad(item.pillar_id, [0] * horizon_weeks, [0] * horizon_weeks)
        )
        for index in range(horizon_weeks):
            demand_by_week[index] += demand[index]
            pledged_by_week[index] += supply[index]
            loads.demand[index] += demand[index]
            loads.pledged[index] += supply[index]

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


def weeks_end(monday0: date, index: int) -> date:
    """The Sunday closing week `index`."""
    return monday0 + timedelta(weeks=index, days=6)


def _earliest_date(item: PlannedInitiative, kept_up: list[int], monday0: date) -> date | None:
    """The end of the first week by which current pledges, kept up at the same pace, deliver the effort.

    `kept_up` holds what the pledges deliver each week of the search if none of them ended.
    """
    total = 0
    for index, minutes in enumerate(kept_up):
        total += minutes
        if total >= item.remaining_minutes:
            return weeks_end(monday0, index)
    return None


class _Pool:
    """The volunteers' free minutes for `_suggest`: who has a tag, and running totals of free minutes.

    A large community has a thousand volunteers and a hundred too-ambitious initiatives: each
    initiative looks at the volunteers sharing one of its tags only, and reads a volunteer's free
    minutes up to its target week from a running total (rebuilt when a suggestion takes some).
    """

    def __init__(self, volunteers: list[Volunteer], free: dict[int, list[int]]) -> None:
        self.volunteers = volunteers
        self.free = free
        self._by_tag: dict[str, list[int]] | None = None
        self._totals: dict[int, list[int]] = {}

    def positions(self, tags: frozenset[str]) -> Iterable[int]:
        """Positions (in the volunteers' order) of those sharing a tag; everyone without tags."""
        if not tags:
            return range(len(self.volunteers))
        if self._by_tag is None:
            self._by_tag = {}
            for position, volunteer in enumerate(self.volunteers):
                for tag in volunteer.tags:
                    self._by_tag.setdefault(tag, []).append(position)
        return sorted({position for tag in tags for position in self._by_tag.get(tag, ())})

    def free_until(self, volunteer_id: int, last: int) -> int:
        """Free minutes of weeks 0 to `last`."""
        totals = self._totals.get(volunteer_id)
        if totals is None:
            totals = self._totals[volunteer_id] = list(itertools.accumulate(self.free[volunteer_id], initial=0))
        return totals[min(last + 1, len(totals) - 1)]

    def take(self, volunteer_id: int, minutes: int, last: int) -> None:
        """Takes `minutes` from the earliest free weeks up to `last`."""
        row = self.free[volunteer_id]
        for index in range(min(last + 1, len(row))):
            used = min(minutes, row[index])
            row[index] -= used
            minutes -= used
            if minutes <= 0:
                break
        self._totals.pop(volunteer_id, None)


def _suggest(item, result, last, pool, own) -> list[Suggestion]:  # type: ignore[no-untyped-def]
    """Volunteers whose free minutes close the gap, matching skills first; their minutes are then taken.

    Candidates come off a heap in the order (most matching tags, most free minutes by the target,
    name): usually a few close the gap.
    """
    if last is None or last < 0:
        return []
    pledged_ids = {p.member_id for p in own}
    tags = item.tags
    candidates = []
    for position in pool.positions(tags):
        volunteer = pool.volunteers[position]
        if volunteer.id in pledged_ids or volunteer.id < 0:
            continue
        common = tags & volunteer.tags
        by_target = pool.free_until(volunteer.id, last)
        if by_target <= 0:
            continue
        # `position` keeps the volunteers' order among equals, as a stable sort would.
        candidates.append((-len(common), -by_target, volunteer.name, position, volunteer, common))
    heapq.heapify(candidates)
    gap = result.gap_minutes
    suggestions: list[Suggestion] = []
    while candidates and gap > 0:
        _count, by_target, _name, _position, volunteer, common = heapq.heappop(candidates)
        take = min(gap, -by_target)
        suggestions.append(
            Suggestion(
                member_id=volunteer.id,
                name=volunteer.name,
                free_minutes_per_week=max(pool.free[volunteer.id][: last + 1]),
                minutes_by_target=take,
                matching_tags=tuple(sorted(common)),
            )
        )
        pool.take(volunteer.id, take, last)
        gap -= take
    return suggestions
