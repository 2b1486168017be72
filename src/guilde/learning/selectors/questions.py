"""Reads on the question bank."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from guilde.learning.enums import QuestionStatus
from guilde.learning.models import (
    Choice,
    Question,
)

PAGE_SIZE = 25


# Questions -----------------------------------------------------------------------------------


def _choices_prefetch() -> Prefetch:
    return Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))


def question_bank(
    *, viewer: Any, status: str = "", kind: str = "", skill: int | None = None, q: str = ""
) -> QuerySet[Question]:
    """The questions an author may see: everything published or in review, their own drafts; all for product ops."""
    if not viewer.has_perm("learning.author"):
        return Question.objects.none()
    # A correlated count, not a join and GROUP BY over every question's text columns: the page
    # sorts and cuts thousands of questions.
    choices = Choice.objects.filter(question=OuterRef("pk")).order_by().values("question").annotate(n=Count("pk"))
    questions = Question.objects.select_related("author", "reviewer", "skill", "pillar").annotate(
        choice_count=Coalesce(Subquery(choices.values("n"), output_field=IntegerField()), 0)
    )
    if not viewer.has_perm("learning.manage_paths"):
        questions = questions.filter(~Q(status=QuestionStatus.DRAFT) | Q(author=viewer))
    if status:
        questions = questions.filter(status=status)
    if kind:
        questions = questions.filter(kind=kind)
    if skill:
        questions = questions.filter(skill_id=skill)
    q = (q or "").strip()
    if q:
        questions = questions.filter(Q(text_en__icontains=q) | Q(text_fr__icontains=q))
    return questions.order_by("-updated_at", "-id")


def question_bank_page(*, viewer: Any, page: int | str | None = 1, **filters: Any) -> Page:
    return Paginator(question_bank(viewer=viewer, **filters), PAGE_SIZE).get_page(page)


def question_for(*, viewer: Any, pk: int) -> Question:
    question = (
        Question.objects.select_related("author", "reviewer", "skill", "pillar")
        .prefetch_related(_choices_prefetch())
        .filter(pk=pk)
        .first()
    )
    if question is None or not viewer.has_perm("learning.view_question", question):
        raise Http404
    if question.status == QuestionStatus.DRAFT and not (
        question.author_id == viewer.pk or viewer.has_perm("learning.manage_paths")
    ):
        raise Http404
    return question


def review_queue_count(*, viewer: Any) -> int:
    if not viewer.has_perm("learning.author"):
        return 0
    return Question.objects.filter(status=QuestionStatus.REVIEW).exclude(author=viewer).count()


def published_questions() -> QuerySet[Question]:
    return Question.objects.filter(status=QuestionStatus.PUBLISHED)
