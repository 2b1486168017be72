"""Live quizzes: opening, joining, the host's controls and answers scored for speed."""

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.learning.enums import (
    LiveStatus,
)
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    LiveSession,
    Question,
    Quiz,
)
from guilde.learning.scoring import clean_response, score_response
from guilde.learning.services._common import _require
from guilde.learning.services.attempts import _choice_data, _draw_questions, _finalise

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on a phone
JOIN_CODE_LENGTH = 6
LIVE_POINTS = 100
LIVE_SPEED_BONUS = 50
LIVE_SPEED_WINDOW_SECONDS = 30


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
