"""Reads on quizzes and attempts."""

from typing import Any

from django.db.models import (
    Count,
    Exists,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from guilde.learning.enums import QuestionStatus, Selection
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    Choice,
    Question,
    Quiz,
)

# Quizzes -------------------------------------------------------------------------------------


def _own_attempts(viewer: Any) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=viewer, quiz=OuterRef("pk"), submitted_at__isnull=False)


def quizzes_for(*, viewer: Any) -> QuerySet[Any]:
    """Quizzes the viewer may take (authors also see unpublished ones), with their own best result."""
    quizzes = Quiz.objects.all() if viewer.has_perm("learning.author") else Quiz.objects.filter(is_published=True)
    own = _own_attempts(viewer)
    return quizzes.select_related("draw_skill").annotate(
        published_question_count=Count(
            "quiz_questions", filter=Q(quiz_questions__question__status=QuestionStatus.PUBLISHED), distinct=True
        ),
        my_attempt_count=Coalesce(
            Subquery(
                own.filter(live__isnull=True).values("quiz").annotate(c=Count("id")).values("c"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        my_best=Subquery(own.values("quiz").annotate(m=Max("score")).values("m"), output_field=FloatField()),
        my_passed=Exists(own.filter(passed=True)),
    )


def quiz_choices(*, viewer: Any) -> QuerySet[Quiz]:
    """The quizzes of `quizzes_for`, titles only: for a picker, without each quiz's results."""
    quizzes = Quiz.objects.all() if viewer.has_perm("learning.author") else Quiz.objects.filter(is_published=True)
    return quizzes.only("pk", "title_en", "title_fr").order_by("title_en", "pk")


def quiz_for(*, viewer: Any, pk: int) -> Quiz:
    quiz = quizzes_for(viewer=viewer).select_related("author", "draw_pillar").filter(pk=pk).first()
    if quiz is None or not viewer.has_perm("learning.view_quiz", quiz):
        raise Http404
    return quiz


def quiz_question_count(quiz: Quiz) -> int:
    if quiz.selection == Selection.RANDOM:
        return quiz.draw_count
    return getattr(quiz, "published_question_count", None) or 0


def quiz_questions(*, quiz: Quiz) -> QuerySet[Question]:
    """The published questions of a fixed quiz, in order."""
    return (
        Question.objects.filter(quiz_questions__quiz=quiz, status=QuestionStatus.PUBLISHED)
        .select_related("skill")
        .order_by("quiz_questions__position", "pk")
    )


def quizzes_to_take(*, viewer: Any, limit: int = 3) -> list[Quiz]:
    quizzes = quizzes_for(viewer=viewer).filter(is_published=True, my_passed=False)
    return list(quizzes.order_by("my_attempt_count", "title_en")[:limit])


# Attempts ------------------------------------------------------------------------------------


def attempts_of(*, viewer: Any, quiz: Quiz) -> QuerySet[Attempt]:
    """The viewer's own attempts at a quiz, newest first: nobody sees another learner's attempts."""
    return Attempt.objects.filter(user=viewer, quiz=quiz).order_by("-started_at", "-id")


def attempt_for(*, viewer: Any, pk: int) -> Attempt:
    """One of the viewer's own attempts with its questions and answers; Http404 for anyone else's."""
    answers = AttemptAnswer.objects.select_related("question").prefetch_related(
        Prefetch("question__choices", queryset=Choice.objects.order_by("position", "id"))
    )
    attempt = (
        Attempt.objects.select_related("quiz", "user")
        .prefetch_related(Prefetch("answers", queryset=answers.order_by("position", "id")))
        .filter(pk=pk, user=viewer)
        .first()
    )
    if attempt is None or not viewer.has_perm("learning.view_attempt", attempt):
        raise Http404
    return attempt


def open_attempt(*, viewer: Any, quiz: Quiz) -> Attempt | None:
    return (
        Attempt.objects.filter(user=viewer, quiz=quiz, live__isnull=True, submitted_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def used_attempts(*, user: Any, quiz: Quiz) -> int:
    return Attempt.objects.filter(user=user, quiz=quiz, live__isnull=True).count()
