"""Writes on learning. Keyword-only, the acting user first, one transaction each.

Scores are always computed here from the stored answer key (see `scoring`), never taken from
the client. Time limits are checked against the server clock with a short grace for the network.
"""

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
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
    LiveStatus,
    PathPurpose,
    QuestionKind,
    QuestionStatus,
    Selection,
    StepKind,
)
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    Choice,
    Enrolment,
    LiveSession,
    Path,
    Question,
    Quiz,
    QuizQuestion,
    Step,
    StepCompletion,
)
from guilde.learning.scoring import ChoiceData, clean_response, score_response
from guilde.notifications.services import notify

GRACE_SECONDS = 15
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on a phone
JOIN_CODE_LENGTH = 6
LIVE_POINTS = 100
LIVE_SPEED_BONUS = 50
LIVE_SPEED_WINDOW_SECONDS = 30
MIN_CHOICES = {
    QuestionKind.SINGLE: 2,
    QuestionKind.MULTIPLE: 2,
    QuestionKind.TRUE_FALSE: 2,
    QuestionKind.SHORT: 1,
    QuestionKind.ORDERING: 3,
}
CHOICE_FIELDS = ("text_en", "text_fr", "is_correct")
QUESTION_FIELDS = (
    "kind",
    "text_en",
    "text_fr",
    "explanation_en",
    "explanation_fr",
    "pillar",
    "skill",
    "link_url",
    "link_title",
)
QUIZ_FIELDS = (
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "selection",
    "draw_count",
    "draw_skill",
    "draw_pillar",
    "time_limit_minutes",
    "max_attempts",
    "pass_mark",
    "feedback_mode",
    "is_published",
)


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


# Questions -----------------------------------------------------------------------------------


def _check_choices(kind: str, choices: Sequence[dict[str, Any]]) -> None:
    minimum = MIN_CHOICES.get(QuestionKind(kind), 2)
    if len(choices) < minimum:
        raise ValidationError(
            {"choices_en": gettext_lazy("Give at least %(count)d answers.") % {"count": minimum}}  # type: ignore[str-format]
        )
    if any(not (choice.get("text_en") or "").strip() for choice in choices):
        raise ValidationError({"choices_en": gettext_lazy("Every answer needs its English text.")})
    correct = sum(1 for choice in choices if choice.get("is_correct"))
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
        raise ValidationError({"choices_en": gettext_lazy("Mark exactly one answer as correct.")})
    if kind == QuestionKind.MULTIPLE and correct < 1:
        raise ValidationError({"choices_en": gettext_lazy("Mark at least one answer as correct.")})


def _write_choices(question: Question, choices: Sequence[dict[str, Any]]) -> None:
    question.choices.all().delete()
    # Short answers are all accepted; ordering items are correct at their position.
    every_correct = question.kind in (QuestionKind.SHORT, QuestionKind.ORDERING)
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=index,
            text_en=(choice.get("text_en") or "").strip(),
            text_fr=(choice.get("text_fr") or "").strip(),
            is_correct=True if every_correct else bool(choice.get("is_correct")),
        )
        for index, choice in enumerate(choices)
    )


@transaction.atomic
def create_question(*, actor: Any, data: dict[str, Any], choices: Sequence[dict[str, Any]]) -> Question:
    """A draft question with its answers; authors (volunteers, product ops) only."""
    _require(actor, "learning.author")
    _check_choices(data.get("kind", QuestionKind.SINGLE), choices)
    question = Question.objects.create(author=actor, **{k: v for k, v in data.items() if k in QUESTION_FIELDS})
    _write_choices(question, choices)
    return question


@transaction.atomic
def update_question(
    *, actor: Any, question: Question, data: dict[str, Any], choices: Sequence[dict[str, Any]], version: int
) -> Question:
    """Rewrites a draft (its author) or any question (product ops); refuses a stale version."""
    _require(actor, "learning.change_question", question)
    _check_choices(data.get("kind", question.kind), choices)
    claim_version(Question, question.pk, version)
    for key, value in data.items():
        if key in QUESTION_FIELDS:
            setattr(question, key, value)
    question.version = version + 1
    question.save(update_fields=[*QUESTION_FIELDS, "updated_at"])
    _write_choices(question, choices)
    return question


@transaction.atomic
def submit_for_review(*, actor: Any, question: Question) -> Question:
    """Draft → in review; the other authors see it in their review queue."""
    _require(actor, "learning.change_question", question)
    if question.status != QuestionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    question.status = QuestionStatus.REVIEW
    question.save(update_fields=["status", "updated_at"])
    return question


@transaction.atomic
def review_question(*, actor: Any, question: Question, approve: bool, note: str = "") -> Question:
    """In review → published (approved) or back to draft with a note; records the reviewer, tells the author."""
    _require(actor, "learning.review_question", question)
    question.reviewer = actor
    question.reviewed_at = timezone.now()
    question.review_note = note.strip()
    question.status = QuestionStatus.PUBLISHED if approve else QuestionStatus.DRAFT
    question.save(update_fields=["reviewer", "reviewed_at", "review_note", "status", "updated_at"])
    title = gettext_lazy("Your question is published") if approve else gettext_lazy("Your question needs another look")
    notify(
        recipients=[question.author],
        verb="generic",
        title=title,
        body=question.review_note,
        url=question.get_absolute_url(),
        actor=actor,
        email=False,
    )
    return question


@transaction.atomic
def archive_question(*, actor: Any, question: Question) -> Question:
    _require(actor, "learning.change_question", question)
    question.status = QuestionStatus.ARCHIVED
    question.save(update_fields=["status", "updated_at"])
    return question


# Quizzes -------------------------------------------------------------------------------------


def _check_quiz(data: dict[str, Any], questions: Sequence[Question]) -> None:
    if not 0 <= int(data.get("pass_mark", 70)) <= 100:
        raise ValidationError({"pass_mark": gettext_lazy("A pass mark is between 0 and 100 %.")})
    if data.get("selection") == Selection.RANDOM:
        if not data.get("draw_skill") and not data.get("draw_pillar"):
            raise ValidationError({"draw_skill": gettext_lazy("Choose a skill or a pillar to draw questions from.")})
        if not data.get("draw_count"):
            raise ValidationError({"draw_count": gettext_lazy("Draw at least one question.")})
    elif data.get("is_published") and not questions:
        raise ValidationError({"questions": gettext_lazy("A published quiz needs at least one question.")})


def _set_quiz_questions(quiz: Quiz, questions: Sequence[Question]) -> None:
    quiz.quiz_questions.all().delete()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, position=index) for index, question in enumerate(questions)
    )


@transaction.atomic
def create_quiz(*, actor: Any, data: dict[str, Any], questions: Sequence[Question] = ()) -> Quiz:
    _require(actor, "learning.author")
    _check_quiz(data, questions)
    quiz = Quiz.objects.create(author=actor, **{k: v for k, v in data.items() if k in QUIZ_FIELDS})
    _set_quiz_questions(quiz, questions)
    return quiz


@transaction.atomic
def update_quiz(*, actor: Any, quiz: Quiz, data: dict[str, Any], questions: Sequence[Question] = ()) -> Quiz:
    _require(actor, "learning.change_quiz", quiz)
    _check_quiz(data, questions)
    for key, value in data.items():
        if key in QUIZ_FIELDS:
            setattr(quiz, key, value)
    quiz.save(update_fields=[*QUIZ_FIELDS, "updated_at"])
    _set_quiz_questions(quiz, questions)
    return quiz


def _draw_questions(quiz: Quiz) -> list[Question]:
    if quiz.selection == Selection.RANDOM:
        pool = selectors.published_questions()
        if quiz.draw_skill_id:
            pool = pool.filter(skill_id=quiz.draw_skill_id)
        if quiz.draw_pillar_id:
            pool = pool.filter(pillar_id=quiz.draw_pillar_id)
        return list(pool.order_by("?")[: quiz.draw_count])
    return list(selectors.quiz_questions(quiz=quiz))


# Attempts ------------------------------------------------------------------------------------


def _choice_data(question: Question) -> list[ChoiceData]:
    return [
        ChoiceData(id=c.pk, is_correct=c.is_correct, position=c.position, text_en=c.text_en, text_fr=c.text_fr)
        for c in question.choices.all()
    ]


def _is_late(attempt: Attempt, now: Any) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + timedelta(seconds=GRACE_SECONDS)


@transaction.atomic
def start_attempt(*, actor: Any, quiz: Quiz) -> Attempt:
    """A new attempt with its questions drawn and frozen; resumes an open one instead of starting twice.

    The attempt number is unique per learner and quiz, so two simultaneous starts cannot both
    pass the limit: the loser's insert fails and is refused.
    """
    _require(actor, "learning.take_quiz", quiz)
    current = selectors.open_attempt(viewer=actor, quiz=quiz)
    now = timezone.now()
    if current is not None and not _is_late(current, now):
        return current
    used = selectors.used_attempts(user=actor, quiz=quiz)
    if current is not None:
        # Its time ran out while away: close it; with no attempt left, its results are the answer.
        _finalise(current, timed_out=True)
        if quiz.max_attempts and used >= quiz.max_attempts:
            return current
    if quiz.max_attempts and used >= quiz.max_attempts:
        raise ValidationError(_("You have used all your attempts at this quiz."), code="attempts")
    questions = _draw_questions(quiz)
    if not questions:
        raise ValidationError(_("This quiz has no published question yet."), code="empty")
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(quiz=quiz, user=actor, number=used + 1, started_at=now, deadline=deadline)
    except IntegrityError:
        raise ValidationError(_("This attempt was already started in another window."), code="attempts") from None
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(attempt=attempt, question=question, position=index) for index, question in enumerate(questions)
    )
    return attempt


def _load_answer(attempt: Attempt, question_id: Any) -> AttemptAnswer:
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise ValidationError({"question": _("This question is not part of the attempt.")}) from None
    answer = (
        AttemptAnswer.objects.select_related("question")
        .prefetch_related("question__choices")
        .filter(attempt=attempt, question_id=question_id)
        .first()
    )
    if answer is None:
        raise ValidationError({"question": _("This question is not part of the attempt.")})
    return answer


def _record(answer: AttemptAnswer, response: Any, now: Any) -> AttemptAnswer:
    choices = _choice_data(answer.question)
    cleaned = clean_response(answer.question.kind, choices, response)
    answer.response = cleaned
    answer.score = score_response(answer.question.kind, choices, cleaned)
    answer.answered_at = now
    answer.save(update_fields=["response", "score", "answered_at"])
    return answer


def _locked_open_attempt(actor: Any, attempt: Attempt) -> Attempt:
    if attempt.user_id != actor.pk:
        raise PermissionDenied
    locked = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if locked.submitted_at is not None:
        raise ValidationError(_("This attempt is already submitted."), code="submitted")
    return locked


@transaction.atomic
def answer_question(*, actor: Any, attempt: Attempt, question_id: Any, response: Any) -> AttemptAnswer | None:
    """Scores one answer (it may be changed until the attempt is submitted, unless feedback was shown).

    Past the time limit (plus grace) nothing is recorded: the attempt is closed with the answers
    given in time, marked as timed out, and None is returned.
    """
    locked = _locked_open_attempt(actor, attempt)
    now = timezone.now()
    if _is_late(locked, now):
        _finalise(locked, timed_out=True)
        return None
    answer = _load_answer(locked, question_id)
    if answer.answered_at is not None and locked.quiz.feedback_mode == "immediate":
        raise ValidationError({"question": _("You already answered this question.")})
    return _record(answer, response, now)


def _finalise(attempt: Attempt, *, timed_out: bool = False) -> Attempt:
    now = timezone.now()
    totals = attempt.answers.aggregate(raw=Sum("score"), count=Count("id"), points=Sum("points"))
    count = totals["count"] or 0
    attempt.raw_score = totals["raw"] or 0.0
    attempt.score = attempt.raw_score / count if count else 0.0
    attempt.points = totals["points"] or 0
    attempt.passed = 100 * attempt.score >= attempt.quiz.pass_mark - 1e-9
    attempt.submitted_at = now
    attempt.timed_out = timed_out
    attempt.save(update_fields=["raw_score", "score", "points", "passed", "submitted_at", "timed_out", "updated_at"])
    if attempt.passed:
        _complete_quiz_steps(user=attempt.user, quiz=attempt.quiz, now=now)
    return attempt


@transaction.atomic
def submit_attempt(*, actor: Any, attempt: Attempt, answers: dict[Any, Any] | None = None) -> Attempt:
    """Records the answers sent (if any, all validated before any is kept) and closes the attempt.

    After the time limit (plus grace) the answers sent are ignored: the attempt is closed with
    what was answered in time and marked as timed out.
    """
    locked = _locked_open_attempt(actor, attempt)
    now = timezone.now()
    if _is_late(locked, now):
        return _finalise(locked, timed_out=True)
    if answers:
        loaded = [(_load_answer(locked, question_id), response) for question_id, response in answers.items()]
        errors: dict[str, list[str]] = {}
        cleaned = []
        for answer, response in loaded:
            try:
                clean_response(answer.question.kind, _choice_data(answer.question), response)
            except ValidationError as error:
                errors[str(answer.question_id)] = error.messages
            cleaned.append((answer, response))
        if errors:
            raise ValidationError(errors)
        for answer, response in cleaned:
            _record(answer, response, now)
    return _finalise(locked)


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


# Live quizzes --------------------------------------------------------------------------------


def _new_code() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not LiveSession.objects.filter(code=code).exists():
            return code
    raise RuntimeError("No free join code")  # 31^6 codes: only reachable with a broken random source


@transaction.atomic
def open_live(
    *,
    actor: Any,
    quiz: Quiz,
    speed_bonus: bool = False,
    session: Any = None,
    session_title: str = "",
    session_url: str = "",
) -> LiveSession:
    """A live quiz in the lobby with a fresh join code; the questions are drawn now, the same for all.

    `session` is a Guilde session (rituals); a session held elsewhere is named and linked instead.
    """
    _require(actor, "learning.host_live")
    _require(actor, "learning.view_quiz", quiz)
    questions = _draw_questions(quiz)
    if not questions:
        raise ValidationError(_("This quiz has no published question yet."))
    return LiveSession.objects.create(
        quiz=quiz,
        host=actor,
        code=_new_code(),
        speed_bonus=speed_bonus,
        question_ids=[q.pk for q in questions],
        session=session,
        session_title=session_title.strip()[:200],
        session_url=session_url.strip()[:500],
    )


@transaction.atomic
def join_live(*, actor: Any, live: LiveSession) -> Attempt:
    """The player's attempt in this live quiz, created on first join (joining twice is harmless)."""
    _require(actor, "learning.learn")
    if live.status == LiveStatus.FINISHED:
        raise ValidationError({"code": gettext_lazy("This live quiz is over.")})
    existing = Attempt.objects.filter(live=live, user=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Attempt.objects.create(quiz=live.quiz, user=actor, live=live, started_at=timezone.now())
    except IntegrityError:
        return Attempt.objects.get(live=live, user=actor)


def _finish_live(live: LiveSession, now: Any) -> None:
    live.status = LiveStatus.FINISHED
    live.finished_at = now
    attempts = list(live.attempts.filter(submitted_at__isnull=True).select_related("quiz", "user"))
    missing = [
        AttemptAnswer(attempt=attempt, question_id=question_id, position=index)
        for attempt in attempts
        for index, question_id in enumerate(live.question_ids)
    ]
    # Unanswered questions count as wrong, as in an attempt at one's pace.
    AttemptAnswer.objects.bulk_create(missing, ignore_conflicts=True)
    for attempt in attempts:
        _finalise(attempt)


@transaction.atomic
def control_live(*, actor: Any, live: LiveSession, action: str, stage: str) -> LiveSession:
    """The host moves everyone on: start, reveal, next, finish. `stage` is what the host saw,
    so a double click does not skip a question."""
    locked = LiveSession.objects.select_for_update().select_related("quiz").get(pk=live.pk)
    _require(actor, "learning.control_livesession", locked)
    if locked.stage_key != stage:
        return locked
    now = timezone.now()
    if action == "start" and locked.status == LiveStatus.LOBBY:
        locked.status, locked.current_index, locked.question_started_at = LiveStatus.QUESTION, 0, now
    elif action == "reveal" and locked.status == LiveStatus.QUESTION:
        locked.status = LiveStatus.REVEAL
    elif action == "next" and locked.status in (LiveStatus.QUESTION, LiveStatus.REVEAL):
        if locked.current_index + 1 < locked.question_count:
            locked.status, locked.question_started_at = LiveStatus.QUESTION, now
            locked.current_index += 1
        else:
            _finish_live(locked, now)
    elif action == "finish" and locked.status != LiveStatus.FINISHED:
        _finish_live(locked, now)
    else:
        raise ValidationError(_("This cannot be done now."))
    locked.save(update_fields=["status", "current_index", "question_started_at", "finished_at", "updated_at"])
    return locked


def live_points(*, score: float, elapsed_seconds: float, speed_bonus: bool) -> int:
    """100 points for a right answer (partial credit scales it); the optional bonus rewards speed."""
    points = LIVE_POINTS * score
    if speed_bonus and score > 0:
        remaining = max(0.0, 1 - elapsed_seconds / LIVE_SPEED_WINDOW_SECONDS)
        points += LIVE_SPEED_BONUS * score * remaining
    return round(points)


@transaction.atomic
def answer_live(*, actor: Any, live: LiveSession, response: Any) -> AttemptAnswer:
    """The player's answer to the open question: once, while it is open, scored on the server."""
    locked = LiveSession.objects.select_for_update().get(pk=live.pk)
    if locked.status != LiveStatus.QUESTION or locked.current_question_id is None:
        raise ValidationError({"response": gettext_lazy("This question is closed.")})
    attempt = Attempt.objects.filter(live=locked, user=actor).first()
    if attempt is None:
        raise PermissionDenied
    question = Question.objects.prefetch_related("choices").get(pk=locked.current_question_id)
    choices = _choice_data(question)
    cleaned = clean_response(question.kind, choices, response)
    score = score_response(question.kind, choices, cleaned)
    now = timezone.now()
    elapsed = (now - (locked.question_started_at or now)).total_seconds()
    points = live_points(score=score, elapsed_seconds=elapsed, speed_bonus=locked.speed_bonus)
    try:
        with transaction.atomic():
            answer = AttemptAnswer.objects.create(
                attempt=attempt,
                question=question,
                position=locked.current_index,
                response=cleaned,
                score=score,
                points=points,
                answered_at=now,
            )
    except IntegrityError:
        raise ValidationError({"response": gettext_lazy("You already answered this question.")}) from None
    Attempt.objects.filter(pk=attempt.pk).update(points=F("points") + points)
    return answer
