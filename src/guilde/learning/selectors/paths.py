"""Reads on learning paths, enrolments, onboarding, completion reports and buddies."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.learning.enums import PathPurpose, StepKind
from guilde.learning.models import (
    Enrolment,
    Path,
    Step,
    StepCompletion,
)

STUCK_AFTER_DAYS = 14
NEWCOMERS_PAGE_SIZE = 50


# Paths ---------------------------------------------------------------------------------------


def paths_for(*, viewer: Any) -> QuerySet[Path]:
    paths = Path.objects.all() if viewer.has_perm("learning.manage_paths") else Path.objects.filter(is_published=True)
    mine = Enrolment.objects.filter(path=OuterRef("pk"), user=viewer)
    return paths.annotate(
        step_count=Count("steps", distinct=True),
        my_completed_steps=Subquery(mine.values("completed_steps")[:1], output_field=IntegerField()),
        my_completed_at=Subquery(mine.values("completed_at")[:1]),
        my_enrolment_id=Subquery(mine.values("pk")[:1], output_field=IntegerField()),
    ).order_by("purpose", "title_en", "pk")


def path_for(*, viewer: Any, pk: int) -> Path:
    steps = Step.objects.select_related("quiz", "person").order_by("position", "pk")
    path = paths_for(viewer=viewer).prefetch_related(Prefetch("steps", queryset=steps)).filter(pk=pk).first()
    if path is None or not viewer.has_perm("learning.view_path", path):
        raise Http404
    return path


def enrolment_of(*, user: Any, path: Path) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("buddy", "path")
        .prefetch_related("completions")
        .filter(user=user, path=path)
        .first()
    )


def enrolment_for(*, viewer: Any, pk: int) -> Enrolment:
    """An enrolment its learner, or product ops, may see (certificate, progress)."""
    enrolment = Enrolment.objects.select_related("path", "user", "buddy").filter(pk=pk).first()
    if enrolment is None or not (enrolment.user_id == viewer.pk or viewer.has_perm("learning.see_newcomers")):
        raise Http404
    return enrolment


def my_enrolments(*, viewer: Any) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user=viewer, path__is_published=True)
        .select_related("path", "buddy")
        .annotate(step_count=Count("path__steps", distinct=True))
        .order_by("completed_at", "due_on", "pk")
    )


def progress_percent(completed: int | None, total: int | None) -> int:
    if not total:
        return 0
    return round(100 * (completed or 0) / total)


@dataclass
class NewcomerRow:
    enrolment: Enrolment
    total: int
    percent: int
    is_stuck: bool
    is_overdue: bool


def _newcomer_enrolments() -> Any:
    """Onboarding enrolments (a queryset of Enrolment with `step_count`, `stuck_now` and `progress`) in the
    overview's order: open before completed, stuck first, least progress first.

    Stuck and progress are computed in SQL so the database sorts and pages thousands of newcomers.
    """
    now, today = timezone.now(), timezone.localdate()
    stale = now - timedelta(days=STUCK_AFTER_DAYS)
    steps = Step.objects.filter(path=OuterRef("path")).order_by().values("path").annotate(n=Count("pk")).values("n")
    open_ = Q(completed_at__isnull=True)
    # Each term false rather than NULL on a missing date, so the flag sorts as true or false.
    stuck = open_ & (
        Q(due_on__isnull=False, due_on__lt=today)
        | Q(last_progress_at__isnull=False, last_progress_at__lt=stale)
        | Q(last_progress_at__isnull=True, created_at__lt=stale)
    )
    return (
        Enrolment.objects.filter(path__purpose=PathPurpose.ONBOARDING)
        .select_related("path", "user", "buddy")
        .annotate(
            step_count=Coalesce(Subquery(steps, output_field=IntegerField()), 0),
            is_done=ExpressionWrapper(~open_, output_field=BooleanField()),
            stuck_now=ExpressionWrapper(stuck, output_field=BooleanField()),
        )
        .annotate(
            progress=Case(
                When(step_count=0, then=Value(0.0)),
                default=ExpressionWrapper(F("completed_steps") * 1.0 / F("step_count"), output_field=FloatField()),
                output_field=FloatField(),
            )
        )
        .order_by("is_done", "-stuck_now", "progress", "completed_at", "created_at", "pk")
    )


def _newcomer_row(enrolment: Enrolment, *, now: Any, today: Any) -> NewcomerRow:
    total = enrolment.step_count  # type: ignore[attr-defined]
    last = enrolment.last_progress_at or enrolment.created_at
    done = enrolment.completed_at is not None
    overdue = not done and enrolment.due_on is not None and enrolment.due_on < today
    stuck = not done and (overdue or now - last > timedelta(days=STUCK_AFTER_DAYS))
    return NewcomerRow(
        enrolment=enrolment,
        total=total,
        percent=progress_percent(enrolment.completed_steps, total),
        is_stuck=stuck,
        is_overdue=overdue,
    )


def newcomers(*, viewer: Any) -> list[NewcomerRow]:
    """Everyone on an onboarding path, slowest first, with who is stuck (no progress for two weeks or overdue)."""
    if not viewer.has_perm("learning.see_newcomers"):
        raise Http404
    now, today = timezone.now(), timezone.localdate()
    return [_newcomer_row(enrolment, now=now, today=today) for enrolment in _newcomer_enrolments()]


def newcomers_page(*, viewer: Any, page: Any = 1) -> tuple[Page, int]:
    """One page of `newcomers` (stuck first) and how many are stuck in all. Three queries."""
    if not viewer.has_perm("learning.see_newcomers"):
        raise Http404
    enrolments = _newcomer_enrolments()
    stuck = enrolments.filter(stuck_now=True).count()
    current = Paginator(enrolments, NEWCOMERS_PAGE_SIZE).get_page(page)
    now, today = timezone.now(), timezone.localdate()
    rows = [_newcomer_row(enrolment, now=now, today=today) for enrolment in current.object_list]
    return Page(rows, current.number, current.paginator), stuck


@dataclass(frozen=True)
class TeamCompletion:
    team: str
    enrolled: int
    completed: int

    @property
    def percent(self) -> int:
        return progress_percent(self.completed, self.enrolled)


def completion_by_team(*, viewer: Any, path: Path) -> list[TeamCompletion]:
    """Enrolled and completed learners per team (from their community profile). One query."""
    if not viewer.has_perm("learning.view_path_reports"):
        raise Http404
    rows = (
        Enrolment.objects.filter(path=path)
        .values("user__member__team")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
        .order_by("user__member__team")
    )
    return [
        TeamCompletion(team=row["user__member__team"] or "", enrolled=row["enrolled"], completed=row["completed"])
        for row in rows
    ]


def completion_by_path(*, viewer: Any) -> list[Any]:
    """Every published path with its enrolled and completed learners, for the VP Product. One query."""
    if not viewer.has_perm("learning.view_path_reports"):
        raise Http404
    return list(
        Path.objects.filter(is_published=True)
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            completed=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False), distinct=True),
        )
        .order_by("purpose", "title_en", "pk")
    )


def people_in(*, team: str = "", role_family: str = "") -> QuerySet[Any]:
    """Active accounts whose community profile is in the team and/or the role family."""
    people = get_user_model().objects.filter(is_active=True)
    if team:
        people = people.filter(member__team=team)
    if role_family:
        people = people.filter(member__role_family=role_family)
    return people.order_by("pk")


def teams() -> list[str]:
    """The teams named on community profiles, for enrolling a whole team."""
    names = get_user_model().objects.exclude(member__team="").values_list("member__team", flat=True)
    return sorted({name for name in names.distinct() if name})


def path_for_editing(*, viewer: Any, pk: int) -> Path:
    path = path_for(viewer=viewer, pk=pk)
    if not viewer.has_perm("learning.change_path", path):
        raise Http404
    return path


@dataclass
class BuddyRow:
    enrolment: Enrolment
    pending: list[Step]
    total: int
    percent: int


def buddy_queue(*, viewer: Any) -> list[BuddyRow]:
    """The viewer's newcomers still on their path, with the do and meet steps awaiting confirmation.

    Three queries whatever the number of newcomers: enrolments, their paths' steps, their completions.
    """
    confirmable = Step.objects.filter(kind__in=(StepKind.DO, StepKind.MEET)).select_related("person")
    enrolments = (
        Enrolment.objects.filter(buddy=viewer, completed_at__isnull=True)
        .select_related("path", "user")
        .annotate(step_count=Count("path__steps", distinct=True))
        .prefetch_related(
            Prefetch("path__steps", queryset=confirmable.order_by("position", "pk"), to_attr="confirmable_steps"),
            "completions",
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        done = {completion.step_id for completion in enrolment.completions.all()}
        pending = [step for step in enrolment.path.confirmable_steps if step.pk not in done]  # type: ignore[attr-defined]
        total = enrolment.step_count  # type: ignore[attr-defined]
        rows.append(
            BuddyRow(
                enrolment=enrolment,
                pending=pending,
                total=total,
                percent=progress_percent(enrolment.completed_steps, total),
            )
        )
    return rows


def buddy_pending_count(*, viewer: Any) -> int:
    """How many do/meet steps the viewer's newcomers wait to have confirmed. Two queries."""
    kinds = (StepKind.DO, StepKind.MEET)
    # One filter() call: each (step, enrolment) pair of the buddy's open enrolments is counted once.
    steps = Step.objects.filter(
        kind__in=kinds, path__enrolments__buddy=viewer, path__enrolments__completed_at__isnull=True
    ).count()
    done = StepCompletion.objects.filter(
        step__kind__in=kinds, enrolment__buddy=viewer, enrolment__completed_at__isnull=True
    ).count()
    return max(0, steps - done)


def enrolment_for_buddy(*, viewer: Any, pk: int) -> Enrolment:
    """An enrolment the viewer is the buddy of (or any, for product ops); Http404 otherwise."""
    enrolment = Enrolment.objects.select_related("path", "user").filter(pk=pk).first()
    if enrolment is None or not (enrolment.buddy_id == viewer.pk or viewer.has_perm("learning.see_newcomers")):
        raise Http404
    return enrolment


def completions_of(*, enrolment: Enrolment) -> dict[int, StepCompletion]:
    return {c.step_id: c for c in enrolment.completions.all()}


def suggest_buddy(*, user: Any) -> Any | None:
    """A community member to welcome a newcomer: same team first, then same region; has time; fewest buddies."""
    profile = getattr(user, "member", None)
    user_model = get_user_model()
    candidates = (
        user_model.objects.filter(is_active=True, member__weekly_minutes__gt=0)
        .exclude(pk=user.pk)
        .exclude(role=Role.STAKEHOLDER)
        .annotate(buddies=Count("buddy_of", filter=Q(buddy_of__completed_at__isnull=True)))
    )
    if profile is None:
        return candidates.filter(role=Role.PRODUCT_OPS).order_by("buddies", "pk").first()
    for lookup in ({"member__team": profile.team}, {"member__region": profile.region}):
        value = next(iter(lookup.values()))
        if value:
            found = candidates.filter(**lookup).order_by("buddies", "-member__is_volunteer", "pk").first()
            if found is not None:
                return found
    return candidates.order_by("buddies", "-member__is_volunteer", "pk").first()
