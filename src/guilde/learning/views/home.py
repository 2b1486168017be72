"""The learning index, and the learning sections of the home page and of a member's page."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guilde.core.home import Section
from guilde.learning import selectors
from guilde.learning.forms import (
    JoinForm,
)
from guilde.learning.views._common import allowed

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


def member_section(request: HttpRequest, member: Any) -> Section | None:
    """On a member's page: quizzes passed and paths completed (never scores)."""
    return Section(
        template="learning/_member_achievements.html",
        context={"achievements": selectors.achievements_for(member.user)},
        position=50,
    )
