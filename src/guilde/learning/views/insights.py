"""Statistics, onboarding and path completion reports."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guilde.learning import selectors
from guilde.learning.views._common import allowed

# Statistics ----------------------------------------------------------------------------------


@allowed("learning.view_stats")
def statistics(request: HttpRequest) -> HttpResponse:
    quizzes = list(selectors.quiz_choices(viewer=request.user))
    quiz = next((q for q in quizzes if str(q.pk) == request.GET.get("quiz")), None)
    # One choice of source (rows or running totals) for every figure of the page.
    exact = not selectors.use_aggregates()
    page, flagged = selectors.question_statistics_page(
        viewer=request.user, quiz=quiz, page=request.GET.get("page"), exact=exact
    )
    gaps = selectors.knowledge_gaps(limit=8, exact=exact)
    context: dict[str, Any] = {
        "quizzes": quizzes,
        "quiz": quiz,
        "page": page,
        "rows": page.object_list,
        "flagged": flagged,
        "gaps": gaps,
        "gaps_chart": {
            "labels": [gap.skill for gap in gaps],
            "values": [gap.facility_percent for gap in gaps],
            "label": _("Share correct (%)"),
        },
        "min_answers": selectors.MIN_ANSWERS_FOR_FLAGS,
    }
    if quiz is not None:
        summary = selectors.quiz_summary(viewer=request.user, quiz=quiz, exact=exact)
        histogram = selectors.score_histogram(viewer=request.user, quiz=quiz, exact=exact)
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
    # Pages of newcomers, and each buddy changed on its own page: one list of every possible
    # buddy per row made this page grow as newcomers times members (10 MB for 300 newcomers).
    page, stuck = selectors.newcomers_page(viewer=request.user, page=request.GET.get("page"))
    context = {"rows": page.object_list, "page": page, "stuck": stuck}
    return render(request, "learning/onboarding.html", context)


@allowed("learning.view_path_reports")
def path_reports(request: HttpRequest) -> HttpResponse:
    paths = selectors.completion_by_path(viewer=request.user)
    for path in paths:
        path.percent = selectors.progress_percent(path.completed, path.enrolled)  # type: ignore[attr-defined]
    return render(request, "learning/path_reports.html", {"paths": paths})
