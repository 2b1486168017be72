"""Reads for other domains and the home page: a member's achievements, step counts, quiz steps."""

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    OuterRef,
    QuerySet,
    Subquery,
)

from guilde.learning.enums import StepKind
from guilde.learning.models import (
    Attempt,
    Enrolment,
    Path,
    Quiz,
    Step,
)

# Other domains and the home page ---------------------------------------------------------------


@dataclass
class Achievements:
    quizzes_passed: list[Any]
    paths_completed: list[Enrolment]

    @property
    def is_empty(self) -> bool:
        return not self.quizzes_passed and not self.paths_completed


def achievements_for(member_user: Any) -> Achievements:
    """What a person achieved, for their member page: quizzes passed and paths completed. Two queries.

    Only the fact of passing is shown, never scores: attempts stay private to their learner.
    """
    passed = Attempt.objects.filter(quiz=OuterRef("pk"), user=member_user, passed=True, submitted_at__isnull=False)
    quizzes = list(
        Quiz.objects.filter(is_published=True)
        .annotate(passed_at=Subquery(passed.order_by("submitted_at").values("submitted_at")[:1]))
        .filter(passed_at__isnull=False)
        .order_by("-passed_at")
    )
    paths = list(
        Enrolment.objects.filter(user=member_user, completed_at__isnull=False, path__is_published=True)
        .select_related("path")
        .order_by("-completed_at")
    )
    return Achievements(quizzes_passed=quizzes, paths_completed=paths)


def step_counts(*, path: Path) -> int:
    return path.steps.count()


def quiz_steps_for(*, user: Any, quiz: Quiz) -> QuerySet[Step]:
    return Step.objects.filter(kind=StepKind.QUIZ, quiz=quiz, path__enrolments__user=user)
