"""Reads on pledges, commitments and absences."""

from datetime import date, timedelta
from typing import Any

from django.db.models import IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from guilde.community import selectors as community_selectors
from guilde.community.models import Member
from guilde.initiatives import planner
from guilde.initiatives.enums import (
    PLEDGEABLE,
)
from guilde.initiatives.models import (
    Absence,
    CheckIn,
    Pledge,
)
from guilde.initiatives.selectors._common import CHECK_IN_EVERY_DAYS, today


def member_of(*, user: Any) -> Member | None:
    return community_selectors.member_of(user=user)


def pledged_by_week(*, member: Member, start: date, end: date, exclude: int | None = None) -> list[Pledge]:
    """The member's live pledges overlapping a period, with their initiative (for messages)."""
    queryset = (
        Pledge.objects.filter(
            member=member,
            start__lte=end,
            end__gte=start,
            initiative__is_archived=False,
            initiative__status__in=PLEDGEABLE,
        )
        .select_related("initiative")
        .order_by("start", "id")
    )
    return list(queryset.exclude(pk=exclude) if exclude else queryset)


def commitments(*, user: Any) -> QuerySet[Pledge]:
    """The user's pledges still running or starting, with time spent and the last check-in date."""
    mine = CheckIn.objects.filter(initiative=OuterRef("initiative"), author=user.pk)
    spent = mine.values("initiative").annotate(total=Sum("minutes_spent")).values("total")
    last = mine.values("initiative").annotate(last=Max("created_at")).values("last")
    return (
        Pledge.objects.filter(member__user=user.pk, end__gte=today(), initiative__is_archived=False)
        .select_related("initiative__pillar")
        .annotate(
            spent_minutes=Coalesce(Subquery(spent, output_field=IntegerField()), Value(0)),
            last_check_in=Subquery(last),
        )
        .order_by("end", "id")
    )


def next_check_in_due(pledge: Pledge) -> date:
    """A week after the last check-in by this volunteer on this initiative, or after the pledge starts."""
    last = getattr(pledge, "last_check_in", None)
    base = timezone.localtime(last).date() if last else pledge.start
    return base + timedelta(days=CHECK_IN_EVERY_DAYS)


def pledged_minutes_between(pledge: Pledge, *, end: date) -> int:
    """What a pledge promised from its start to `end` (whole weeks touched)."""
    last = min(end, pledge.end)
    if last < pledge.start:
        return 0
    weeks = (planner.week_start(last) - planner.week_start(pledge.start)).days // 7 + 1
    return weeks * pledge.minutes_per_week


def absences(*, user: Any) -> QuerySet[Absence]:
    return Absence.objects.filter(member__user=user.pk, end__gte=today()).order_by("start", "id")


def absence_for(*, viewer: Any, pk: int) -> Absence:
    absence = Absence.objects.select_related("member").filter(pk=pk).first()
    if absence is None or not viewer.has_perm("initiatives.change_absence", absence):
        raise Http404
    return absence


def pledge_for_change(*, viewer: Any, pk: int) -> Pledge:
    pledge = Pledge.objects.select_related("member", "initiative").filter(pk=pk).first()
    if pledge is None or not viewer.has_perm("initiatives.change_pledge", pledge):
        raise Http404
    return pledge
