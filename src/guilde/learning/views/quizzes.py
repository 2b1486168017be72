"""Taking a quiz: the quiz list and page, attempts and their results."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, error_text
from guilde.learning import selectors, services
from guilde.learning.enums import FeedbackMode, QuestionKind
from guilde.learning.forms import (
    AnswerForm,
    LiveOpenForm,
    display_choices,
)
from guilde.learning.models import Attempt, AttemptAnswer
from guilde.learning.views._common import _expected, allowed

# Quizzes -------------------------------------------------------------------------------------


@allowed("learning.learn")
def quiz_list(request: HttpRequest) -> HttpResponse:
    quizzes = list(selectors.quizzes_for(viewer=request.user))
    for quiz in quizzes:
        quiz.question_total = selectors.quiz_question_count(quiz)  # type: ignore[attr-defined]
    return render(request, "learning/quiz_list.html", {"quizzes": quizzes})


@allowed("learning.learn")
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_for(viewer=request.user, pk=pk)
    attempts = list(selectors.attempts_of(viewer=request.user, quiz=quiz))
    used = sum(1 for attempt in attempts if attempt.live_id is None)
    context = {
        "quiz": quiz,
        "question_total": selectors.quiz_question_count(quiz),
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if a.submitted_at is None and a.live_id is None), None),
        "attempts_left": None if not quiz.max_attempts else max(0, quiz.max_attempts - used),
        "can_take": request.user.has_perm("learning.take_quiz", quiz),
        "can_change": request.user.has_perm("learning.change_quiz", quiz),
        "can_host": request.user.has_perm("learning.host_live"),
        "live_form": LiveOpenForm(viewer=request.user),
    }
    return render(request, "learning/quiz_detail.html", context)


@require_POST
@allowed("learning.learn")
def quiz_start(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_for(viewer=request.user, pk=pk)
    try:
        attempt = services.start_attempt(actor=request.user, quiz=quiz)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(quiz)
    return redirect(attempt)


def _current_answer(attempt: Attempt) -> AttemptAnswer | None:
    return next((answer for answer in attempt.answers.all() if answer.answered_at is None), None)


def _attempt_context(attempt: Attempt, answer: AttemptAnswer | None, form: Any = None) -> dict[str, Any]:
    answers = list(attempt.answers.all())
    answered = sum(1 for a in answers if a.answered_at is not None)
    total = len(answers)
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "answer": answer,
        "form": form,
        "number": (answer.position + 1) if answer else total,
        "total": total,
        "answered": answered,
        "progress_step": 5 * round(20 * answered / total) if total else 0,
        "deadline_ms": int(attempt.deadline.timestamp() * 1000) if attempt.deadline else 0,
    }


@allowed("learning.learn")
def attempt_take(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for(viewer=request.user, pk=pk)
    if attempt.submitted_at is not None or attempt.live_id is not None:
        return redirect("learning:attempt_results", pk=attempt.pk)
    answer = _current_answer(attempt)
    if request.method == "POST":
        posted = next((a for a in attempt.answers.all() if str(a.question_id) == request.POST.get("question")), None)
        if posted is None:
            return redirect(attempt)
        form = AnswerForm(request.POST, question=posted.question, seed=attempt.pk)
        if form.is_valid():
            try:
                recorded = services.answer_question(
                    actor=request.user, attempt=attempt, question_id=posted.question_id, response=form.response()
                )
            except ValidationError as error:
                add_service_errors(form, error)
                return render(request, "learning/attempt.html", _attempt_context(attempt, posted, form))
            if recorded is None:
                messages.warning(request, _("Time is up: the answers you gave in time were kept."))
                return redirect("learning:attempt_results", pk=attempt.pk)
            attempt = selectors.attempt_for(viewer=request.user, pk=pk)
            if attempt.quiz.feedback_mode == FeedbackMode.IMMEDIATE:
                context = _attempt_context(attempt, recorded)
                context.update(feedback=recorded, choices=display_choices(recorded.question, attempt.pk))
                context["next_answer"] = _current_answer(attempt)
                return render(request, "learning/attempt.html", context)
            if _current_answer(attempt) is None:
                services.submit_attempt(actor=request.user, attempt=attempt)
                return redirect("learning:attempt_results", pk=attempt.pk)
            return redirect(attempt)
        return render(request, "learning/attempt.html", _attempt_context(attempt, posted, form))
    if attempt.deadline is not None and timezone.now() > attempt.deadline + timedelta(seconds=services.GRACE_SECONDS):
        services.submit_attempt(actor=request.user, attempt=attempt)
        messages.warning(request, _("Time is up: the answers you gave in time were kept."))
        return redirect("learning:attempt_results", pk=attempt.pk)
    if answer is None:
        return render(request, "learning/attempt.html", {**_attempt_context(attempt, None), "ready": True})
    form = AnswerForm(question=answer.question, seed=attempt.pk)
    return render(request, "learning/attempt.html", _attempt_context(attempt, answer, form))


@require_POST
@allowed("learning.learn")
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for(viewer=request.user, pk=pk)
    if attempt.submitted_at is None:
        try:
            services.submit_attempt(actor=request.user, attempt=attempt)
        except ValidationError as error:
            messages.error(request, error_text(error))
    return redirect("learning:attempt_results", pk=attempt.pk)


def _given(answer: AttemptAnswer) -> list[str]:
    """What the learner answered, as text, in the order given."""
    if answer.response is None:
        return []
    if answer.question.kind == QuestionKind.SHORT:
        return [str(answer.response)]
    texts = {choice.pk: choice.text for choice in answer.question.choices.all()}
    if answer.question.kind == QuestionKind.TRUE_FALSE:
        texts = {c.pk: (_("True") if c.position == 0 else _("False")) for c in answer.question.choices.all()}
    return [texts.get(pk, "?") for pk in answer.response]


@allowed("learning.learn")
def attempt_results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_for(viewer=request.user, pk=pk)
    if attempt.submitted_at is None:
        return redirect(attempt)
    rows = [
        {"answer": answer, "given": _given(answer), "expected": _expected(answer.question)}
        for answer in attempt.answers.all()
    ]
    correct = sum(1 for answer in attempt.answers.all() if answer.is_correct)
    context = {"attempt": attempt, "quiz": attempt.quiz, "rows": rows, "correct": correct}
    return render(request, "learning/attempt_results.html", context)
