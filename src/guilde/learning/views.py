"""Thin views: permission, form, one service call, message, redirect or htmx partial.

A forbidden page or object answers 404, exactly like a missing one.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guilde.core.home import Section
from guilde.core.viewhelpers import add_service_errors, error_text, is_partial
from guilde.core.viewhelpers import allowed as core_allowed
from guilde.learning import selectors, services
from guilde.learning.enums import FeedbackMode, LiveStatus, QuestionKind
from guilde.learning.forms import (
    AnswerForm,
    BuddyForm,
    EnrolPeopleForm,
    JoinForm,
    LiveOpenForm,
    PathForm,
    QuestionFilterForm,
    QuestionForm,
    QuizForm,
    ReviewForm,
    StepForm,
    display_choices,
)
from guilde.learning.models import Attempt, AttemptAnswer, Enrolment, LiveSession, Question, Quiz, Step

View = Callable[..., HttpResponse]


def allowed(perm: str) -> Callable[[View], View]:
    """Core's `allowed`, except that a forbidden page or object answers 404, exactly like a missing one.

    Anonymous visitors still go to the login page; a PermissionDenied from a service is a 404 too.
    """

    def decorator(view: View) -> View:
        guarded = core_allowed(perm)(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return guarded(request, *args, **kwargs)
            except PermissionDenied:
                raise Http404 from None

        return wrapper

    return decorator


# Home ----------------------------------------------------------------------------------------


@allowed("learning.learn")
def index(request: HttpRequest) -> HttpResponse:
    enrolments = list(selectors.my_enrolments(viewer=request.user))
    for enrolment in enrolments:
        enrolment.percent = selectors.progress_percent(enrolment.completed_steps, enrolment.step_count)  # type: ignore[attr-defined]
    context = {
        "enrolments": enrolments,
        "quizzes": selectors.quizzes_to_take(viewer=request.user, limit=6),
        "join_form": JoinForm(),
        "review_count": selectors.review_queue_count(viewer=request.user),
        "hosted": selectors.live_sessions_hosted(viewer=request.user),
        "buddy_pending": selectors.buddy_pending_count(viewer=request.user),
    }
    return render(request, "learning/index.html", context)


def home_section(request: HttpRequest) -> Section | None:
    """On the home page: my paths' progress and quizzes to take."""
    if not request.user.has_perm("learning.learn"):
        return None
    enrolments = [e for e in selectors.my_enrolments(viewer=request.user) if e.completed_at is None][:3]
    for enrolment in enrolments:
        enrolment.percent = selectors.progress_percent(enrolment.completed_steps, enrolment.step_count)  # type: ignore[attr-defined]
    quizzes = selectors.quizzes_to_take(viewer=request.user, limit=3)
    if not enrolments and not quizzes:
        return None
    return Section(
        template="learning/_home_section.html", context={"enrolments": enrolments, "quizzes": quizzes}, position=50
    )


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


def _quiz_form_page(request: HttpRequest, quiz: Quiz | None) -> HttpResponse:
    form = QuizForm(request.POST or None, instance=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            if quiz is None:
                quiz = services.create_quiz(
                    actor=request.user, data=form.quiz_data(), questions=form.ordered_questions()
                )
            else:
                services.update_quiz(
                    actor=request.user, quiz=quiz, data=form.quiz_data(), questions=form.ordered_questions()
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect(quiz)
    return render(request, "learning/quiz_form.html", {"form": form, "quiz": quiz})


@allowed("learning.author")
def quiz_create(request: HttpRequest) -> HttpResponse:
    return _quiz_form_page(request, None)


@allowed("learning.author")
def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("learning.change_quiz", quiz):
        raise Http404
    return _quiz_form_page(request, quiz)


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
    if attempt.deadline is not None and timezone.now() > attempt.deadline + services.timedelta(
        seconds=services.GRACE_SECONDS
    ):
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


def _expected(question: Question) -> list[str]:
    choices = list(question.choices.all())
    if question.kind == QuestionKind.TRUE_FALSE:
        return [_("True") if c.position == 0 else _("False") for c in choices if c.is_correct]
    if question.kind == QuestionKind.SHORT:
        return [choices[0].text] if choices else []
    return [c.text for c in choices if c.is_correct]


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


# Question bank -------------------------------------------------------------------------------


@allowed("learning.author")
def question_bank(request: HttpRequest) -> HttpResponse:
    form = QuestionFilterForm(request.GET)
    page = selectors.question_bank_page(viewer=request.user, page=request.GET.get("page"), **form.filters())
    context = {
        "form": form,
        "page": page,
        "questions": page.object_list,
        "is_filtered": form.is_filtered,
        "review_count": selectors.review_queue_count(viewer=request.user),
    }
    template = "learning/question_bank.html#results" if is_partial(request) else "learning/question_bank.html"
    return render(request, template, context)


@allowed("learning.author")
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(viewer=request.user, pk=pk)
    context = {
        "question": question,
        "expected": _expected(question),
        "can_change": request.user.has_perm("learning.change_question", question),
        "can_review": request.user.has_perm("learning.review_question", question),
        "review_form": ReviewForm(),
    }
    return render(request, "learning/question_detail.html", context)


def _question_form_page(request: HttpRequest, question: Question | None) -> HttpResponse:
    initial = QuestionForm.initial_for(question) if question else {"kind": QuestionKind.SINGLE}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                question = services.create_question(
                    actor=request.user, data=form.question_data(), choices=form.cleaned_data["choices"]
                )
            else:
                services.update_question(
                    actor=request.user,
                    question=question,
                    data=form.question_data(),
                    choices=form.cleaned_data["choices"],
                    version=form.cleaned_data.get("version") or question.version,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(question)
    return render(request, "learning/question_form.html", {"form": form, "question": question})


@allowed("learning.author")
def question_create(request: HttpRequest) -> HttpResponse:
    return _question_form_page(request, None)


@allowed("learning.author")
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("learning.change_question", question):
        raise Http404
    return _question_form_page(request, question)


@require_POST
@allowed("learning.author")
def question_submit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(viewer=request.user, pk=pk)
    try:
        services.submit_for_review(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Sent for review: another author will check it before it is published."))
    return redirect(question)


@require_POST
@allowed("learning.author")
def question_review(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("learning.review_question", question):
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        context = {"question": question, "expected": _expected(question), "can_review": True, "review_form": form}
        return render(request, "learning/question_detail.html", context, status=422)
    approve = form.cleaned_data["decision"] == "publish"
    services.review_question(actor=request.user, question=question, approve=approve, note=form.cleaned_data["note"])
    messages.success(
        request, _("The question is published.") if approve else _("The question went back to its author.")
    )
    return redirect(question)


@require_POST
@allowed("learning.author")
def question_archive(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(viewer=request.user, pk=pk)
    services.archive_question(actor=request.user, question=question)
    messages.success(request, _("The question is archived: it is no longer asked."))
    return redirect("learning:question_bank")


# Statistics ----------------------------------------------------------------------------------


@allowed("learning.view_stats")
def statistics(request: HttpRequest) -> HttpResponse:
    quizzes = list(selectors.quizzes_for(viewer=request.user))
    quiz = next((q for q in quizzes if str(q.pk) == request.GET.get("quiz")), None)
    rows = selectors.question_statistics(viewer=request.user, quiz=quiz)
    gaps = selectors.knowledge_gaps(limit=8)
    context: dict[str, Any] = {
        "quizzes": quizzes,
        "quiz": quiz,
        "rows": rows,
        "flagged": sum(1 for row in rows if row.flags),
        "gaps": gaps,
        "gaps_chart": {
            "labels": [gap.skill for gap in gaps],
            "values": [gap.facility_percent for gap in gaps],
            "label": _("Share correct (%)"),
        },
        "min_answers": selectors.MIN_ANSWERS_FOR_FLAGS,
    }
    if quiz is not None:
        summary = selectors.quiz_summary(viewer=request.user, quiz=quiz)
        histogram = selectors.score_histogram(viewer=request.user, quiz=quiz)
        context.update(
            summary=summary,
            histogram=histogram,
            histogram_rows=[(f"{10 * i}–{10 * i + 9 if i < 9 else 100} %", n) for i, n in enumerate(histogram)],  # noqa: RUF001
            histogram_chart={
                "labels": [f"{10 * i}%" for i in range(10)],
                "values": histogram,
                "label": _("Attempts"),
            },
        )
    return render(request, "learning/statistics.html", context)


@allowed("learning.view_stats")
def question_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(viewer=request.user, pk=pk)
    stats = selectors.question_statistics(viewer=request.user, question_ids=[question.pk])
    distribution = selectors.answer_distribution(viewer=request.user, question=question)
    context = {
        "question": question,
        "stats": stats[0] if stats else None,
        "distribution": distribution,
        "rows": list(zip(distribution.labels, distribution.counts, distribution.correct, strict=True)),
        "chart": {"labels": distribution.labels, "values": distribution.counts, "label": _("Answers")},
    }
    return render(request, "learning/question_statistics.html", context)


# Paths ---------------------------------------------------------------------------------------


@allowed("learning.learn")
def path_list(request: HttpRequest) -> HttpResponse:
    paths = list(selectors.paths_for(viewer=request.user))
    for path in paths:
        path.percent = selectors.progress_percent(path.my_completed_steps, path.step_count)  # type: ignore[attr-defined]
    return render(request, "learning/path_list.html", {"paths": paths})


@allowed("learning.learn")
def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    enrolment = selectors.enrolment_of(user=request.user, path=path)
    done = selectors.completions_of(enrolment=enrolment) if enrolment else {}
    steps = list(path.steps.all())
    rows = [{"step": step, "done": done.get(step.pk)} for step in steps]
    next_step = next((row["step"] for row in rows if not row["done"]), None)
    context = {
        "path": path,
        "enrolment": enrolment,
        "rows": rows,
        "next_step": next_step,
        "percent": selectors.progress_percent(len(done), len(steps)),
        "percent_step": 5 * round(20 * len(done) / len(steps)) if steps else 0,
        "can_report": request.user.has_perm("learning.view_path_reports"),
        "can_edit": request.user.has_perm("learning.change_path", path),
        "feedback_url": "/feedback/",
    }
    return render(request, "learning/path_detail.html", context)


@require_POST
@allowed("learning.learn")
def path_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    try:
        services.enrol(actor=request.user, path=path)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("You are enrolled. Take the first step when you have a moment."))
    return redirect(path)


@require_POST
@allowed("learning.learn")
def step_done(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    enrolment = selectors.enrolment_of(user=request.user, path=path)
    step = get_object_or_404(Step, pk=step_pk, path=path)
    if enrolment is None:
        raise Http404
    try:
        enrolment = services.complete_step(actor=request.user, enrolment=enrolment, step=step)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(path)
    if enrolment.completed_at is not None:
        messages.success(request, _("Path complete. Well done!"))
        return redirect("learning:certificate", pk=enrolment.pk)
    return redirect(f"{reverse('learning:path', args=[path.pk])}#step-{step.pk}")


@allowed("learning.learn")
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(viewer=request.user, pk=pk)
    if enrolment.completed_at is None:
        raise Http404
    return render(request, "learning/certificate.html", {"enrolment": enrolment})


@allowed("learning.view_path_reports")
def path_report(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    teams = selectors.completion_by_team(viewer=request.user, path=path)
    enrolled = sum(t.enrolled for t in teams)
    completed = sum(t.completed for t in teams)
    context = {
        "path": path,
        "teams": teams,
        "enrolled": enrolled,
        "completed": completed,
        "percent": selectors.progress_percent(completed, enrolled),
        "chart": {
            "labels": [t.team or _("No team") for t in teams],
            "values": [t.percent for t in teams],
            "label": _("Completed (%)"),
        },
    }
    return render(request, "learning/path_report.html", context)


@allowed("learning.see_newcomers")
def onboarding(request: HttpRequest) -> HttpResponse:
    rows = selectors.newcomers(viewer=request.user)
    context = {
        "rows": rows,
        "stuck": sum(1 for row in rows if row.is_stuck),
        "buddies": list(BuddyForm().fields["buddy"].queryset),  # type: ignore[attr-defined]
    }
    return render(request, "learning/onboarding.html", context)


@require_POST
@allowed("learning.see_newcomers")
def enrolment_buddy(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("user"), pk=pk)
    form = BuddyForm(request.POST)
    if form.is_valid():
        try:
            services.set_buddy(actor=request.user, enrolment=enrolment, buddy=form.cleaned_data["buddy"])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Buddy saved: they have been told."))
    return redirect("learning:onboarding")


# Path editing (product ops) -------------------------------------------------------------------


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@allowed("learning.manage_paths")
def path_create(request: HttpRequest) -> HttpResponse:
    form = PathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            path = services.create_path(actor=request.user, data=form.path_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The path is created. Now add its steps."))
            return redirect("learning:path_edit", pk=path.pk)
    return render(request, "learning/path_form.html", {"form": form, "path": None})


@allowed("learning.manage_paths")
def path_edit(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    form = PathForm(request.POST or None, instance=path)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_path(
                actor=request.user, path=path, data=form.path_data(), version=form.cleaned_data.get("version")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The path is saved."))
            return redirect("learning:path_edit", pk=path.pk)
    steps = list(path.steps.all())
    return render(request, "learning/path_form.html", {"form": form, "path": path, "steps": steps})


def _step_form_page(request: HttpRequest, path: Any, step: Step | None) -> HttpResponse:
    form = StepForm(request.POST or None, instance=step, path_version=path.version)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if step is None:
                services.add_step(actor=request.user, path=path, data=form.step_data(), version=version)
            else:
                services.update_step(actor=request.user, step=step, data=form.step_data(), version=version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step is saved."))
            return redirect("learning:path_edit", pk=path.pk)
    return render(request, "learning/step_form.html", {"form": form, "path": path, "step": step})


@allowed("learning.manage_paths")
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    return _step_form_page(request, path, None)


@allowed("learning.manage_paths")
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    step = get_object_or_404(Step, pk=step_pk, path=path)
    return _step_form_page(request, path, step)


@require_POST
@allowed("learning.manage_paths")
def step_move(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    step = get_object_or_404(Step.objects.select_related("path"), pk=step_pk, path=path)
    try:
        services.move_step(
            actor=request.user, step=step, direction=request.POST.get("direction", ""), version=_version(request)
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    # Back to the same button, so a keyboard user can keep moving the step.
    return redirect(f"{reverse('learning:path_edit', args=[path.pk])}#step-{step.pk}")


@require_POST
@allowed("learning.manage_paths")
def step_remove(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    step = get_object_or_404(Step.objects.select_related("path"), pk=step_pk, path=path)
    try:
        services.remove_step(actor=request.user, step=step, version=_version(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The step is removed."))
    return redirect("learning:path_edit", pk=path.pk)


@allowed("learning.manage_paths")
def path_enrol_people(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    form = EnrolPeopleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.enrol_people(
                actor=request.user,
                path=path,
                users=list(form.cleaned_data["users"]),
                team=form.cleaned_data["team"],
                role_family=form.cleaned_data["role_family"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d person enrolled.", "%(count)d people enrolled.", count) % {"count": count},
            )
            return redirect("learning:path_edit", pk=path.pk)
    return render(request, "learning/path_enrol.html", {"form": form, "path": path})


@allowed("learning.view_path_reports")
def path_reports(request: HttpRequest) -> HttpResponse:
    paths = selectors.completion_by_path(viewer=request.user)
    for path in paths:
        path.percent = selectors.progress_percent(path.completed, path.enrolled)  # type: ignore[attr-defined]
    return render(request, "learning/path_reports.html", {"paths": paths})


# Buddies -------------------------------------------------------------------------------------


@allowed("learning.be_buddy")
def buddy(request: HttpRequest) -> HttpResponse:
    rows = selectors.buddy_queue(viewer=request.user)
    context = {"rows": rows, "pending": sum(len(row.pending) for row in rows)}
    return render(request, "learning/buddy.html", context)


@require_POST
@allowed("learning.be_buddy")
def buddy_confirm(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_buddy(viewer=request.user, pk=pk)
    step = get_object_or_404(Step, pk=step_pk, path_id=enrolment.path_id)
    try:
        services.confirm_step(actor=request.user, enrolment=enrolment, step=step)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Confirmed: %(step)s for %(name)s.") % {"step": step.title, "name": enrolment.user.full_name},
        )
    return redirect("learning:buddy")


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


def member_section(request: HttpRequest, member: Any) -> Section | None:
    """On a member's page: quizzes passed and paths completed (never scores)."""
    return Section(
        template="learning/_member_achievements.html",
        context={"achievements": selectors.achievements_for(member.user)},
        position=50,
    )
