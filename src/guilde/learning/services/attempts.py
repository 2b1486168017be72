"""Quiz attempts: starting, answering, submitting and scoring.

Scores are always computed here from the stored answer key (see `scoring`), never taken from
the client. Time limits are checked against the server clock with a short grace for the network.
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guilde.learning import aggregates, selectors
from guilde.learning.enums import (
    Selection,
)
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    Question,
    Quiz,
)
from guilde.learning.scoring import ChoiceData, clean_response, score_response
from guilde.learning.services._common import _require
from guilde.learning.services.paths import _complete_quiz_steps

GRACE_SECONDS = 15


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
    aggregates.record(attempt)
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
