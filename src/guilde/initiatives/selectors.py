"""Reads on challenges, initiatives and pledges: already narrowed to what the viewer may see,
with their relations loaded, so every page costs a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.community import selectors as community_selectors
from guilde.community.models import Member, Pillar, Tag
from guilde.initiatives import planner
from guilde.initiatives.enums import (
    ACTIVE_STATUSES,
    FLOW,
    PLEDGEABLE,
    ChallengeStatus,
)
from guilde.initiatives.models import (
    Absence,
    Challenge,
    ChallengeComment,
    ChallengeVote,
    CheckIn,
    Initiative,
    Pledge,
    StatusChange,
)

PAGE_SIZE = 25
CHECK_IN_EVERY_DAYS = 7
# Burnout: spending more than this share of the pledge, in this many of the last weeks.
OVERWORK_RATIO = 1.5
OVERWORK_WEEKS = 3
OVERWORK_WINDOW = 4


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- pillars


def pillars() -> QuerySet[Pillar]:
    return community_selectors.pillars(community=community_selectors.get_community())


# ---------------------------------------------------------------- challenges


def challenges(
    *, viewer: Any, status: str = "", pillar: int | None = None, q: str = "", mine: bool = False
) -> QuerySet[Challenge]:
    """Challenges with their pillar and author, whether the viewer upvoted, most upvoted first."""
    queryset = Challenge.objects.select_related("pillar", "author").annotate(
        has_voted=Exists(ChallengeVote.objects.filter(challenge=OuterRef("pk"), user=viewer.pk))
    )
    if status:
        queryset = queryset.filter(status=status)
    if pillar:
        queryset = queryset.filter(pillar_id=pillar)
    if mine:
        queryset = queryset.filter(author=viewer.pk)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return queryset.order_by("-vote_count", "-created_at", "-id")


def challenge_page(*, viewer: Any, page: Any = 1, **filters: Any) -> Page:
    return Paginator(challenges(viewer=viewer, **filters), PAGE_SIZE).get_page(page)


def challenge_for(*, viewer: Any, pk: int) -> Challenge:
    challenge = (
        challenges(viewer=viewer)
        .select_related("merged_into", "decided_by")
        .prefetch_related(
            Prefetch("comments", queryset=ChallengeComment.objects.select_related("author")),
            Prefetch("initiatives", queryset=Initiative.objects.filter(is_archived=False).select_related("pillar")),
        )
        .filter(pk=pk)
        .first()
    )
    if challenge is None or not viewer.has_perm("initiatives.view_challenge", challenge):
        raise Http404
    return challenge


def editable_challenge(*, viewer: Any, pk: int) -> Challenge:
    challenge = Challenge.objects.select_related("pillar", "author").filter(pk=pk).first()
    if challenge is None or not viewer.has_perm("initiatives.change_challenge", challenge):
        raise Http404
    return challenge


def open_challenges(*, exclude: int | None = None) -> QuerySet[Challenge]:
    queryset = Challenge.objects.filter(status__in=[ChallengeStatus.OPEN, ChallengeStatus.ACCEPTED])
    return queryset.exclude(pk=exclude) if exclude else queryset


# ---------------------------------------------------------------- initiatives


def _live_pledges(on: date) -> Q:
    return Q(pledges__end__gte=on)


def initiatives(
    *,
    viewer: Any,
    status: str = "",
    pillar: int | None = None,
    q: str = "",
    mine: bool = False,
    archived: bool = False,
) -> QuerySet[Initiative]:
    """Initiatives the viewer may see, with pillar, lead and how many volunteers pledge now."""
    day = today()
    queryset = Initiative.objects.select_related("pillar", "lead").annotate(
        volunteer_count=Count("pledges__member", filter=_live_pledges(day), distinct=True)
    )
    if archived and viewer.has_perm("initiatives.manage"):
        queryset = queryset.filter(is_archived=True)
    else:
        queryset = queryset.filter(is_archived=False)
    if status:
        queryset = queryset.filter(status=status)
    if pillar:
        queryset = queryset.filter(pillar_id=pillar)
    if mine:
        pledged = Pledge.objects.filter(initiative=OuterRef("pk"), member__user=viewer.pk, end__gte=day)
        queryset = queryset.filter(Q(lead=viewer.pk) | Exists(pledged))
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(goal__icontains=q))
    return queryset.order_by("rank", "target_date", "id")


def initiative_page(*, viewer: Any, page: Any = 1, **filters: Any) -> Page:
    return Paginator(initiatives(viewer=viewer, **filters), PAGE_SIZE).get_page(page)


def initiative_for(*, viewer: Any, pk: int) -> Initiative:
    """One initiative with its pledges, check-ins, history and skills; 404 when not visible."""
    initiative = (
        Initiative.objects.select_related("pillar", "lead", "challenge", "created_by")
        .prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.select_related("member__user").order_by("-end", "start", "id")),
            Prefetch("check_ins", queryset=CheckIn.objects.select_related("author")),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
            Prefetch("skills", queryset=Tag.objects.order_by("name")),
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None or not viewer.has_perm("initiatives.view_initiative", initiative):
        raise Http404
    return initiative


def editable_initiative(*, viewer: Any, pk: int) -> Initiative:
    """An initiative the viewer may change; 404 otherwise, exactly as for a missing one."""
    initiative = Initiative.objects.select_related("pillar", "lead").filter(pk=pk).first()
    if initiative is None or not viewer.has_perm("initiatives.change_initiative", initiative):
        raise Http404
    return initiative


def has_history(initiative: Initiative) -> bool:
    """Pledges, check-ins or status changes: then the initiative is archived, never deleted."""
    return (
        Pledge.objects.filter(initiative=initiative).exists()
        or CheckIn.objects.filter(initiative=initiative).exists()
        or StatusChange.objects.filter(initiative=initiative).exists()
    )


@dataclass
class Column:
    key: str
    label: Any
    items: list[Initiative] = field(default_factory=list)
    status: str = ""


def board(*, viewer: Any, by: str = "status", pillar: int | None = None) -> list[Column]:
    """The kanban: one column per flow status (plus one for those set aside), or one per pillar.

    Two queries whatever the number of cards: the pillars and the initiatives.
    """
    cards = list(initiatives(viewer=viewer, pillar=pillar))
    if by == "pillar":
        columns = {p.pk: Column(key=str(p.pk), label=p.name) for p in pillars()}
        for card in cards:
            if card.pillar_id in columns:
                columns[card.pillar_id].items.append(card)
        return list(columns.values())
    flow = {status.value: Column(key=status.value, label=status.label, status=status.value) for status in FLOW}
    aside = Column(key="aside", label=_("Paused or set aside"))
    for card in cards:
        flow.get(card.status, aside).items.append(card)
    return [*flow.values(), aside]


def contributions_for(*, member: Member) -> QuerySet[Initiative]:
    """Initiatives a member leads or pledged time to, for their member page and the contributions ledger."""
    pledged = Pledge.objects.filter(initiative=OuterRef("pk"), member=member)
    return (
        Initiative.objects.filter(is_archived=False)
        .filter(Q(lead=member.user_id) | Exists(pledged))
        .select_related("pillar")
        .order_by("-updated_at")
    )


# ---------------------------------------------------------------- pledges and commitments


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


# ---------------------------------------------------------------- planner


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


# ---------------------------------------------------------------- burnout signals


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
