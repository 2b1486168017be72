"""Burnout signals and due check-ins."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery, Sum

from guilde.community.models import Member
from guilde.initiatives import planner
from guilde.initiatives.enums import (
    ACTIVE_STATUSES,
    PLEDGEABLE,
)
from guilde.initiatives.models import (
    CheckIn,
    Initiative,
    Pledge,
)
from guilde.initiatives.selectors._common import OVERWORK_RATIO, OVERWORK_WEEKS, OVERWORK_WINDOW, today
from guilde.initiatives.selectors.pledge_queries import next_check_in_due


@dataclass(frozen=True)
class OverworkSignal:
    member: Member
    weeks: int
    spent_minutes: int
    pledged_minutes: int


@dataclass(frozen=True)
class SinglePersonSignal:
    initiative: Initiative
    person: str


def overwork_signals(*, on: date | None = None) -> list[OverworkSignal]:
    """Volunteers who spent much more than they pledged (1.5 times) in 3 of the last 4 full weeks."""
    day = on or today()
    last_monday = planner.week_start(day) - timedelta(weeks=1)
    first_monday = last_monday - timedelta(weeks=OVERWORK_WINDOW - 1)
    spent_rows = (
        CheckIn.objects.filter(week__gte=first_monday, week__lte=last_monday)
        .values("author_id", "week")
        .annotate(total=Sum("minutes_spent"))
    )
    spent: dict[int, dict[date, int]] = {}
    for row in spent_rows:
        monday = planner.week_start(row["week"])
        spent.setdefault(row["author_id"], {})
        spent[row["author_id"]][monday] = spent[row["author_id"]].get(monday, 0) + row["total"]
    if not spent:
        return []
    pledges = Pledge.objects.filter(
        member__user_id__in=spent, start__lte=last_monday + timedelta(days=6), end__gte=first_monday
    )
    pledged: dict[int, list[Pledge]] = {}
    members = {m.user_id: m for m in Member.objects.filter(user_id__in=spent).select_related("user")}
    for pledge in pledges.select_related("member"):
        pledged.setdefault(pledge.member.user_id, []).append(pledge)
    signals = []
    for user_id, weeks in spent.items():
        over, spent_total, pledged_total = 0, 0, 0
        for offset in range(OVERWORK_WINDOW):
            monday = first_monday + timedelta(weeks=offset)
            promised = sum(
                p.minutes_per_week
                for p in pledged.get(user_id, [])
                if p.start <= monday + timedelta(days=6) and p.end >= monday
            )
            minutes = weeks.get(monday, 0)
            spent_total += minutes
            pledged_total += promised
            if minutes > promised * OVERWORK_RATIO and minutes > promised:
                over += 1
        if over >= OVERWORK_WEEKS and user_id in members:
            signals.append(OverworkSignal(members[user_id], over, spent_total, pledged_total))
    return sorted(signals, key=lambda s: -s.spent_minutes)


def single_person_signals(*, on: date | None = None) -> list[SinglePersonSignal]:
    """Active initiatives that rest on one person: nobody else leads or pledges."""
    day = on or today()
    rows = (
        Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES)
        .select_related("lead")
        .prefetch_related(
            Prefetch(
                "pledges", queryset=Pledge.objects.filter(end__gte=day).select_related("member__user"), to_attr="live"
            )
        )
    )
    signals = []
    for initiative in rows:
        people = {p.member.user_id: p.member.user for p in initiative.live}
        if initiative.lead is not None:
            people[initiative.lead.pk] = initiative.lead
        if len(people) == 1:
            person = next(iter(people.values()))
            signals.append(SinglePersonSignal(initiative, person.full_name or person.email))
    return signals


def due_check_ins(*, on: date | None = None) -> dict[Any, list[Pledge]]:
    """Per volunteer (user), their live pledges whose check-in is due, for the weekly digest."""
    day = on or today()
    last = CheckIn.objects.filter(initiative=OuterRef("initiative"), author=OuterRef("member__user")).order_by(
        "-created_at"
    )
    pledges = (
        Pledge.objects.filter(
            start__lte=day,
            end__gte=day,
            initiative__is_archived=False,
            initiative__status__in=PLEDGEABLE,
            member__user__is_active=True,
        )
        .select_related("initiative", "member__user")
        .annotate(last_check_in=Subquery(last.values("created_at")[:1]))
        .order_by("member_id", "end")
    )
    due: dict[Any, list[Pledge]] = {}
    for pledge in pledges:
        if next_check_in_due(pledge) <= day:
            due.setdefault(pledge.member.user, []).append(pledge)
    return due
