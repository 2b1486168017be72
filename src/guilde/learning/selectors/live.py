"""Reads on live quizzes."""

from typing import Any

from django.http import Http404

from guilde.learning.enums import LiveStatus
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    LiveSession,
    Question,
)
from guilde.learning.selectors.questions import _choices_prefetch

# Live quizzes --------------------------------------------------------------------------------


def live_by_code(*, viewer: Any, code: str) -> LiveSession:
    live = (
        LiveSession.objects.select_related("quiz", "host", "session__ritual")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if live is None or not viewer.has_perm("learning.learn"):
        raise Http404
    return live


def live_for_host(*, viewer: Any, code: str) -> LiveSession:
    live = live_by_code(viewer=viewer, code=code)
    if not viewer.has_perm("learning.control_livesession", live):
        raise Http404
    return live


def live_attempt(*, viewer: Any, live: LiveSession) -> Attempt | None:
    return Attempt.objects.filter(live=live, user=viewer).first()


def live_scoreboard(*, live: LiveSession, limit: int = 10) -> list[Attempt]:
    return list(live.attempts.select_related("user").order_by("-points", "started_at", "pk")[:limit])


def live_question(*, live: LiveSession) -> Question | None:
    question_id = live.current_question_id
    if question_id is None:
        return None
    return Question.objects.prefetch_related(_choices_prefetch()).filter(pk=question_id).first()


def live_answered_count(*, live: LiveSession) -> int:
    question_id = live.current_question_id
    if question_id is None:
        return 0
    return AttemptAnswer.objects.filter(attempt__live=live, question_id=question_id).count()


def live_own_answer(*, attempt: Attempt | None, live: LiveSession) -> AttemptAnswer | None:
    question_id = live.current_question_id
    if attempt is None or question_id is None:
        return None
    return AttemptAnswer.objects.filter(attempt=attempt, question_id=question_id).first()


def live_sessions_hosted(*, viewer: Any, limit: int = 5) -> list[LiveSession]:
    return list(
        LiveSession.objects.filter(host=viewer)
        .exclude(status=LiveStatus.FINISHED)
        .select_related("quiz")
        .order_by("-created_at")[:limit]
    )
