"""Learning paths and enrolment: enrolling, completing and confirming steps, buddies, path editing."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.accounts.enums import Role
from guilde.community import selectors as community_selectors
from guilde.core.concurrency import claim_version
from guilde.learning import selectors
from guilde.learning.enums import (
    Audience,
    EnrolmentSource,
    PathPurpose,
    StepKind,
)
from guilde.learning.models import (
    Attempt,
    Enrolment,
    Path,
    Quiz,
    Step,
    StepCompletion,
)
from guilde.learning.services._common import _require
from guilde.notifications.services import notify

# Paths and enrolment -------------------------------------------------------------------------


def _recount(enrolment: Enrolment, now: Any) -> Enrolment:
    """Refreshes the completed-step count; completes the enrolment (and says so) when every step is done."""
    total = enrolment.path.steps.count()
    done = enrolment.completions.count()
    enrolment.completed_steps = done
    enrolment.last_progress_at = now
    fields = ["completed_steps", "last_progress_at", "updated_at"]
    if total and done >= total and enrolment.completed_at is None:
        enrolment.completed_at = now
        fields.append("completed_at")
        notify(
            recipients=[enrolment.user],
            verb="generic",
            title=gettext_lazy("You completed a learning path"),
            body=enrolment.path.title_en,
            url=enrolment.get_absolute_url(),
            email=False,
        )
    enrolment.save(update_fields=fields)
    return enrolment


def _complete_quiz_steps(*, user: Any, quiz: Quiz, now: Any) -> None:
    steps = list(selectors.quiz_steps_for(user=user, quiz=quiz).select_related("path"))
    for step in steps:
        enrolment = Enrolment.objects.select_related("path").get(path=step.path, user=user)
        _row, created = StepCompletion.objects.get_or_create(
            enrolment=enrolment, step=step, defaults={"completed_at": now}
        )
        if created:
            _recount(enrolment, now)


def _role_family(user: Any) -> str | None:
    member = community_selectors.member_of(user=user)
    return member.role_family if member is not None else None


def _audiences_for(user: Any, family: str | None) -> set[str]:
    """Which audiences a newcomer belongs to, from their profile if it exists yet, else from their role."""
    audiences = {Audience.EVERYONE}
    if user.role == Role.STAKEHOLDER or family in ("sales", "support", "customer_success"):
        audiences.add(Audience.CS_REVENUE)
    else:
        audiences.add(Audience.COMMUNITY)
        if family == "designer":
            audiences.add(Audience.NEW_DESIGNER)
        elif family in (None, "pm", "product_ops") and user.role in (Role.MEMBER, Role.PRODUCT_OPS):
            audiences.add(Audience.NEW_PM)
    return {str(audience) for audience in audiences}


def _enrol(*, path: Path, learner: Any, source: str, buddy: Any = None, actor: Any = None) -> Enrolment:
    now = timezone.now()
    if buddy is None and path.purpose == PathPurpose.ONBOARDING:
        buddy = selectors.suggest_buddy(user=learner)
    due_on = timezone.localdate() + timedelta(days=path.due_days) if path.due_days else None
    enrolment, created = Enrolment.objects.get_or_create(
        path=path, user=learner, defaults={"source": source, "buddy": buddy, "due_on": due_on}
    )
    if not created:
        return enrolment
    passed_quizzes = Attempt.objects.filter(user=learner, passed=True).values("quiz")
    for step in path.steps.filter(kind=StepKind.QUIZ, quiz__in=passed_quizzes):
        StepCompletion.objects.create(enrolment=enrolment, step=step, completed_at=now)
    if enrolment.completions.exists():
        _recount(enrolment, now)
    if buddy is not None:
        notify(
            recipients=[buddy],
            verb="generic",
            title=gettext_lazy("You are a newcomer's onboarding buddy"),
            body=str(learner),
            url=reverse("learning:buddy"),
            actor=actor,
        )
    return enrolment


@transaction.atomic
def enrol(*, actor: Any, path: Path, learner: Any = None) -> Enrolment:
    """Enrols the actor (or, for product ops, someone else) in a published path; idempotent."""
    learner = learner or actor
    _require(actor, "learning.view_path", path)
    if learner.pk != actor.pk:
        _require(actor, "learning.manage_paths")
    if not path.is_published:
        raise ValidationError(_("This path is not published yet."))
    return _enrol(path=path, learner=learner, source=EnrolmentSource.MANUAL, actor=actor)


@transaction.atomic
def enrol_new_user(*, user: Any) -> list[Enrolment]:
    """Enrols a newcomer in every published automatic path of their audience (at sign-up; idempotent).

    Works whether or not the community profile exists yet: without it, the role decides.
    """
    family = _role_family(user)
    audiences = _audiences_for(user, family)
    # Few paths enrol automatically: their role lists are matched here, the same on SQLite and PostgreSQL.
    paths = [
        path
        for path in Path.objects.filter(is_published=True, auto_enrol=True).order_by("pk")
        if _enrols_automatically(path, user=user, family=family, audiences=audiences)
    ]
    return [_enrol(path=path, learner=user, source=EnrolmentSource.AUTOMATIC) for path in paths]


def _enrols_automatically(path: Path, *, user: Any, family: str | None, audiences: set[str]) -> bool:
    if path.auto_roles or path.auto_role_families:
        return user.role in path.auto_roles or (family is not None and family in path.auto_role_families)
    return path.audience in audiences


@transaction.atomic
def complete_step(*, actor: Any, enrolment: Enrolment, step: Step) -> Enrolment:
    """Marks a read/watch/do/meet step done, by the learner or (for do and meet) their buddy or product ops.

    Quiz steps are completed by passing the quiz, never by hand.
    """
    if step.path_id != enrolment.path_id:
        raise ValidationError(_("This step is not part of the path."))
    if step.kind == StepKind.QUIZ:
        raise ValidationError(_("Pass the quiz to complete this step."))
    is_learner = enrolment.user_id == actor.pk
    is_confirmer = step.kind in (StepKind.DO, StepKind.MEET) and (
        enrolment.buddy_id == actor.pk or actor.has_perm("learning.see_newcomers")
    )
    if not (is_learner or is_confirmer):
        raise PermissionDenied
    now = timezone.now()
    locked = Enrolment.objects.select_for_update().select_related("path", "user").get(pk=enrolment.pk)
    _row, created = StepCompletion.objects.get_or_create(
        enrolment=locked, step=step, defaults={"completed_at": now, "confirmed_by": actor}
    )
    if created:
        _recount(locked, now)
    return locked


@transaction.atomic
def set_buddy(*, actor: Any, enrolment: Enrolment, buddy: Any) -> Enrolment:
    _require(actor, "learning.see_newcomers")
    if buddy is not None and buddy.pk == enrolment.user_id:
        raise ValidationError({"buddy": gettext_lazy("A newcomer cannot be their own buddy.")})
    enrolment.buddy = buddy
    enrolment.save(update_fields=["buddy", "updated_at"])
    if buddy is not None:
        notify(
            recipients=[buddy],
            verb="generic",
            title=gettext_lazy("You are a newcomer's onboarding buddy"),
            body=str(enrolment.user),
            url=reverse("learning:buddy"),
            actor=actor,
        )
    return enrolment


# Path editing (product ops) -------------------------------------------------------------------

PATH_FIELDS = (
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "purpose",
    "audience",
    "auto_enrol",
    "auto_roles",
    "auto_role_families",
    "due_days",
    "is_published",
)
STEP_FIELDS = ("kind", "title_en", "title_fr", "description_en", "description_fr", "url", "quiz", "person")


def _check_step(data: dict[str, Any]) -> None:
    if data.get("kind") == StepKind.QUIZ and not data.get("quiz"):
        raise ValidationError({"quiz": gettext_lazy("Choose the quiz to pass.")})


@transaction.atomic
def create_path(*, actor: Any, data: dict[str, Any]) -> Path:
    """A new path (unpublished unless said otherwise); its steps are added next."""
    _require(actor, "learning.manage_paths")
    return Path.objects.create(author=actor, **{k: v for k, v in data.items() if k in PATH_FIELDS})


@transaction.atomic
def update_path(*, actor: Any, path: Path, data: dict[str, Any], version: int | None) -> Path:
    """Rewrites a path's settings; refuses a stale version so two editors never erase each other."""
    _require(actor, "learning.change_path", path)
    claim_version(Path, path.pk, version)
    for key, value in data.items():
        if key in PATH_FIELDS:
            setattr(path, key, value)
    path.version = (version or 0) + 1
    path.save(update_fields=[*PATH_FIELDS, "updated_at"])
    return path


def _claim_path(actor: Any, path: Path, version: int | None) -> None:
    _require(actor, "learning.change_path", path)
    claim_version(Path, path.pk, version)
    path.version = (version or 0) + 1


def _renumber(steps: Sequence[Step]) -> None:
    for index, step in enumerate(steps):
        step.position = index
    Step.objects.bulk_update(steps, ["position"])


@transaction.atomic
def add_step(*, actor: Any, path: Path, data: dict[str, Any], version: int | None) -> Step:
    """Appends a step; learners already enrolled see it as still to do (their completion is recounted)."""
    _check_step(data)
    _claim_path(actor, path, version)
    position = path.steps.count()
    step = Step.objects.create(path=path, position=position, **{k: v for k, v in data.items() if k in STEP_FIELDS})
    # Completed learners stay completed: the certificate they earned is not taken back.
    for enrolment in Enrolment.objects.filter(path=path, completed_at__isnull=True).select_related("path", "user"):
        _recount_quietly(enrolment)
    return step


@transaction.atomic
def update_step(*, actor: Any, step: Step, data: dict[str, Any], version: int | None) -> Step:
    _check_step(data)
    _claim_path(actor, step.path, version)
    for key, value in data.items():
        if key in STEP_FIELDS:
            setattr(step, key, value)
    step.save(update_fields=list(STEP_FIELDS))
    return step


@transaction.atomic
def move_step(*, actor: Any, step: Step, direction: str, version: int | None) -> Step:
    """Swaps a step with its neighbour above ("up") or below ("down"); at either end nothing moves."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a step up or down."))
    _claim_path(actor, step.path, version)
    steps = list(step.path.steps.order_by("position", "pk"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index], steps[other] = steps[other], steps[index]
    _renumber(steps)
    return next(s for s in steps if s.pk == step.pk)


@transaction.atomic
def remove_step(*, actor: Any, step: Step, version: int | None) -> None:
    """Deletes a step and its completions; enrolled learners' progress is recounted (some may complete)."""
    path = step.path
    _claim_path(actor, path, version)
    step.delete()
    _renumber(list(path.steps.order_by("position", "pk")))
    now = timezone.now()
    for enrolment in Enrolment.objects.filter(path=path).select_related("path", "user"):
        if enrolment.completed_at is None:
            _recount(enrolment, now)
        else:
            _recount_quietly(enrolment)


def _recount_quietly(enrolment: Enrolment) -> None:
    """The completed-step count only: a path edit is not the learner's progress."""
    enrolment.completed_steps = enrolment.completions.count()
    enrolment.save(update_fields=["completed_steps", "updated_at"])


@transaction.atomic
def enrol_people(*, actor: Any, path: Path, users: Sequence[Any] = (), team: str = "", role_family: str = "") -> int:
    """Enrols the people picked, a whole team and/or a role family in a published path; returns how many
    were newly enrolled (those already on it are left as they are)."""
    _require(actor, "learning.manage_paths")
    if not path.is_published:
        raise ValidationError(_("Publish the path before enrolling people."))
    learners = {user.pk: user for user in users}
    groups = [selectors.people_in(team=team)] if team else []
    if role_family:
        groups.append(selectors.people_in(role_family=role_family))
    for group in groups:
        for user in group:
            learners.setdefault(user.pk, user)
    if not learners:
        raise ValidationError({"users": gettext_lazy("Pick people, a team or a role family.")})
    already = set(Enrolment.objects.filter(path=path, user__in=list(learners)).values_list("user_id", flat=True))
    for learner in learners.values():
        if learner.pk not in already:
            _enrol(path=path, learner=learner, source=EnrolmentSource.MANUAL, actor=actor)
    return len(learners) - len(already)


@transaction.atomic
def confirm_step(*, actor: Any, enrolment: Enrolment, step: Step) -> Enrolment:
    """A buddy (or product ops) confirms a newcomer's do or meet step; 404-worthy for anyone else."""
    if step.kind not in (StepKind.DO, StepKind.MEET) or enrolment.user_id == actor.pk:
        raise PermissionDenied
    return complete_step(actor=actor, enrolment=enrolment, step=step)
