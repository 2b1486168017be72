"""Authoring: quiz editing, the question bank and question review."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, error_text, is_partial
from guilde.learning import selectors, services
from guilde.learning.enums import QuestionKind
from guilde.learning.forms import (
    QuestionFilterForm,
    QuestionForm,
    QuizForm,
    ReviewForm,
)
from guilde.learning.models import Question, Quiz
from guilde.learning.views._common import _expected, allowed


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
