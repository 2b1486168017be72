"""Burnout signals and due check-ins."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery, Sum

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
    """Volunteers who spent much more than they pledged (1.5 times) in 3 of the last 4 full weeks.

    Minutes spent and pledged per person and week summed in SQL (a thousand volunteers check in),
    profiles loaded for those flagged only. Three queries.
    """
    day = on or today()
    last_monday = planner.week_start(day) - timedelta(weeks=1)
    first_monday = last_monday - timedelta(weeks=OVERWORK_WINDOW - 1)
    mondays = [first_monday + timedelta(weeks=offset) for offset in range(OVERWORK_WINDOW)]
    spent_by_week = {
        f"w{index}": Sum("minutes_spent", filter=Q(week__gte=monday, week__lte=monday + timedelta(days=6)))
        for index, monday in enumerate(mondays)
    }
    spent_rows = (
        CheckIn.objects.filter(week__gte=first_monday, week__lte=last_monday)
        .values("author_id")
        .annotate(**spent_by_week)
        .order_by()
        .values_list("author_id", *spent_by_week)
    )
    spent = {author_id: [minutes or 0 for minutes in weeks] for author_id, *weeks in spent_rows}
    if not spent:
        return []
    # A pledge counts in every week it touches. Every pledge of the window is summed (its volunteers
    # are most of those who checked in): no list of ids in the SQL.
    pledged_by_week = {
        f"w{index}": Sum("minutes_per_week", filter=Q(start__lte=monday + timedelta(days=6), end__gte=monday))
        for index, monday in enumerate(mondays)
    }
    pledged_rows = (
        Pledge.objects.filter(start__lte=last_monday + timedelta(days=6), end__gte=first_monday)
        .values("member__user_id")
        .annotate(**pledged_by_week)
        .order_by()
        .values_list("member__user_id", *pledged_by_week)
    )
    pledged = {user_id: [minutes or 0 for minutes in weeks] for user_id, *weeks in pledged_rows}
    nothing = [0] * OVERWORK_WINDOW
    flagged = []
    for user_id, weeks in spent.items():
        promised = pledged.get(user_id, nothing)
        over = sum(
            1
            for minutes, pledge in zip(weeks, promised, strict=True)
            if minutes > pledge * OVERWORK_RATIO and minutes > pledge
        )
        if over >= OVERWORK_WEEKS:
            flagged.append((user_id, over, sum(weeks), sum(promised)))
    members = {m.user_id: m for m in Member.objects.filter(user_id__in=[f[0] for f in flagged]).select_related("user")}
    signals = [
        OverworkSignal(members[user_id], over, spent_total, pledged_total)
        for user_id, over, spent_total, pledged_total in flagged
        if user_id in members
    ]
    return sorted(signals, key=lambda s: -s.spent_minutes)


def single_person_signals(*, on: date | None = None) -> list[SinglePersonSignal]:
    """Active initiatives that rest on one person: nobody else leads or pledges.

    The people behind each active initiative as ids; initiatives and names loaded for those flagged. Four queries.
    """
    day = on or today()
    active = Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES)
    people: dict[int, set[int]] = {pk: ({lead} if lead else set()) for pk, lead in active.values_list("pk", "lead_id")}
    live = Pledge.objects.filter(initiative__in=active, end__gte=day).values_list("initiative_id", "member__user_id")
    for initiative_id, user_id in live:
        people[initiative_id].add(user_id)
    alone = {pk: next(iter(ids)) for pk, ids in people.items() if len(ids) == 1}
    users = get_user_model().objects.filter(pk__in=set(alone.values())).values_list("pk", "full_name", "email")
    names = {pk: full_name or email for pk, full_name, email in users}
    initiatives = active.filter(pk__in=list(alone)).order_by("rank", "target_date", "id")  # Meta.ordering
    return [SinglePersonSignal(initiative, names[alone[initiative.pk]]) for initiative in initiatives]


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
