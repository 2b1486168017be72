"""Live quizzes: opening, joining and playing, and the host's controls."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, error_text
from guilde.learning import selectors, services
from guilde.learning.enums import LiveStatus, QuestionKind
from guilde.learning.forms import (
    AnswerForm,
    JoinForm,
    LiveOpenForm,
)
from guilde.learning.models import AttemptAnswer, LiveSession
from guilde.learning.views._common import _expected, allowed

# Live quizzes --------------------------------------------------------------------------------


@require_POST
@allowed("learning.host_live")
def live_open(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_for(viewer=request.user, pk=pk)
    form = LiveOpenForm(request.POST, viewer=request.user)
    if not form.is_valid():
        messages.error(request, _("Please check the live quiz settings."))
        return redirect(quiz)
    try:
        live = services.open_live(actor=request.user, quiz=quiz, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(quiz)
    return redirect("learning:live_host", code=live.code)


@allowed("learning.learn")
def live_join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        live = LiveSession.objects.filter(code=form.cleaned_data["code"]).first()
        if live is None:
            form.add_error("code", _("No live quiz has this code. Check the screen."))
        else:
            try:
                services.join_live(actor=request.user, live=live)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("learning:live_play", code=live.code)
    return render(request, "learning/live_join.html", {"form": form})


def _stage_context(request: HttpRequest, live: LiveSession) -> dict[str, Any]:
    attempt = selectors.live_attempt(viewer=request.user, live=live)
    question = selectors.live_question(live=live)
    own = selectors.live_own_answer(attempt=attempt, live=live)
    form = None
    if question is not None and live.status == LiveStatus.QUESTION and own is None:
        form = AnswerForm(question=question, seed=live.pk)
    expected = _expected(question) if question is not None and live.status == LiveStatus.REVEAL else []
    return {
        "live": live,
        "attempt": attempt,
        "question": question,
        "own": own,
        "form": form,
        "expected": expected,
        "stage": f"{live.stage_key}-{'a' if own else 'n'}",
    }


@allowed("learning.learn")
def live_play(request: HttpRequest, code: str) -> HttpResponse:
    live = selectors.live_by_code(viewer=request.user, code=code)
    attempt = selectors.live_attempt(viewer=request.user, live=live)
    if attempt is None:
        if live.status == LiveStatus.FINISHED:
            raise Http404
        services.join_live(actor=request.user, live=live)
    context = _stage_context(request, live)
    context["scoreboard"] = selectors.live_scoreboard(live=live)
    return render(request, "learning/live_play.html", context)


@allowed("learning.learn")
def live_stage(request: HttpRequest, code: str) -> HttpResponse:
    """The player's question area, polled every 2 s; 204 (nothing to swap) while the stage is unchanged."""
    live = selectors.live_by_code(viewer=request.user, code=code)
    context = _stage_context(request, live)
    if request.GET.get("stage") == context["stage"]:
        return HttpResponse(status=204)
    return render(request, "learning/live_play.html#stage", context)


@allowed("learning.learn")
def live_scores(request: HttpRequest, code: str) -> HttpResponse:
    live = selectors.live_by_code(viewer=request.user, code=code)
    context = {"live": live, "scoreboard": selectors.live_scoreboard(live=live), "me": request.user}
    return render(request, "learning/_live_scores.html", context)


@require_POST
@allowed("learning.learn")
def live_answer(request: HttpRequest, code: str) -> HttpResponse:
    live = selectors.live_by_code(viewer=request.user, code=code)
    question = selectors.live_question(live=live)
    if question is None or str(question.pk) != request.POST.get("question"):
        return render(request, "learning/live_play.html#stage", _stage_context(request, live))
    form = AnswerForm(request.POST, question=question, seed=live.pk)
    if form.is_valid():
        try:
            services.answer_live(actor=request.user, live=live, response=form.response())
        except ValidationError as error:
            add_service_errors(form, error)
    context = _stage_context(request, live)
    if form.errors and context["form"] is not None:
        context["form"] = form
    return render(request, "learning/live_play.html#stage", context)


def _host_context(live: LiveSession) -> dict[str, Any]:
    question = selectors.live_question(live=live)
    distribution = None
    if question is not None and live.status == LiveStatus.REVEAL:
        counts: dict[int, int] = {}
        for response in AttemptAnswer.objects.filter(attempt__live=live, question=question).values_list(
            "response", flat=True
        ):
            if question.kind != QuestionKind.SHORT:
                for pk in response or []:
                    counts[pk] = counts.get(pk, 0) + 1
        distribution = [(choice, counts.get(choice.pk, 0)) for choice in question.choices.all()]
    return {
        "live": live,
        "question": question,
        "players": live.attempts.count(),
        "answered": selectors.live_answered_count(live=live),
        "scoreboard": selectors.live_scoreboard(live=live),
        "expected": _expected(question) if question is not None else [],
        "distribution": distribution,
        "join_url": reverse("learning:live_join"),
    }


@allowed("learning.host_live")
def live_host(request: HttpRequest, code: str) -> HttpResponse:
    live = selectors.live_for_host(viewer=request.user, code=code)
    return render(request, "learning/live_host.html", _host_context(live))


@allowed("learning.host_live")
def live_host_panel(request: HttpRequest, code: str) -> HttpResponse:
    live = selectors.live_for_host(viewer=request.user, code=code)
    return render(request, "learning/live_host.html#panel", _host_context(live))


@require_POST
@allowed("learning.host_live")
def live_control(request: HttpRequest, code: str) -> HttpResponse:
    live = selectors.live_for_host(viewer=request.user, code=code)
    try:
        services.control_live(
            actor=request.user, live=live, action=request.POST.get("action", ""), stage=request.POST.get("stage", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("learning:live_host", code=live.code)
