"""Writes on the question bank and on quizzes."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.core.concurrency import claim_version
from guilde.learning.enums import (
    QuestionKind,
    QuestionStatus,
    Selection,
)
from guilde.learning.models import (
    Choice,
    Question,
    Quiz,
    QuizQuestion,
)
from guilde.learning.services._common import _require
from guilde.notifications.services import notify

MIN_CHOICES = {
    QuestionKind.SINGLE: 2,
    QuestionKind.MULTIPLE: 2,
    QuestionKind.TRUE_FALSE: 2,
    QuestionKind.SHORT: 1,
    QuestionKind.ORDERING: 3,
}
CHOICE_FIELDS = ("text_en", "text_fr", "is_correct")
QUESTION_FIELDS = (
    "kind",
    "text_en",
    "text_fr",
    "explanation_en",
    "explanation_fr",
    "pillar",
    "skill",
    "link_url",
    "link_title",
)
QUIZ_FIELDS = (
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "selection",
    "draw_count",
    "draw_skill",
    "draw_pillar",
    "time_limit_minutes",
    "max_attempts",
    "pass_mark",
    "feedback_mode",
    "is_published",
)


# Questions -----------------------------------------------------------------------------------


def _check_choices(kind: str, choices: Sequence[dict[str, Any]]) -> None:
    minimum = MIN_CHOICES.get(QuestionKind(kind), 2)
    if len(choices) < minimum:
        raise ValidationError(
            {"choices_en": gettext_lazy("Give at least %(count)d answers.") % {"count": minimum}}  # type: ignore[str-format]
        )
    if any(not (choice.get("text_en") or "").strip() for choice in choices):
        raise ValidationError({"choices_en": gettext_lazy("Every answer needs its English text.")})
    correct = sum(1 for choice in choices if choice.get("is_correct"))
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
        raise ValidationError({"choices_en": gettext_lazy("Mark exactly one answer as correct.")})
    if kind == QuestionKind.MULTIPLE and correct < 1:
        raise ValidationError({"choices_en": gettext_lazy("Mark at least one answer as correct.")})


def _write_choices(question: Question, choices: Sequence[dict[str, Any]]) -> None:
    question.choices.all().delete()
    # Short answers are all accepted; ordering items are correct at their position.
    every_correct = question.kind in (QuestionKind.SHORT, QuestionKind.ORDERING)
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=index,
            text_en=(choice.get("text_en") or "").strip(),
            text_fr=(choice.get("text_fr") or "").strip(),
            is_correct=True if every_correct else bool(choice.get("is_correct")),
        )
        for index, choice in enumerate(choices)
    )


@transaction.atomic
def create_question(*, actor: Any, data: dict[str, Any], choices: Sequence[dict[str, Any]]) -> Question:
    """A draft question with its answers; authors (volunteers, product ops) only."""
    _require(actor, "learning.author")
    _check_choices(data.get("kind", QuestionKind.SINGLE), choices)
    question = Question.objects.create(author=actor, **{k: v for k, v in data.items() if k in QUESTION_FIELDS})
    _write_choices(question, choices)
    return question


@transaction.atomic
def update_question(
    *, actor: Any, question: Question, data: dict[str, Any], choices: Sequence[dict[str, Any]], version: int
) -> Question:
    """Rewrites a draft (its author) or any question (product ops); refuses a stale version."""
    _require(actor, "learning.change_question", question)
    _check_choices(data.get("kind", question.kind), choices)
    claim_version(Question, question.pk, version)
    for key, value in data.items():
        if key in QUESTION_FIELDS:
            setattr(question, key, value)
    question.version = version + 1
    question.save(update_fields=[*QUESTION_FIELDS, "updated_at"])
    _write_choices(question, choices)
    return question


@transaction.atomic
def submit_for_review(*, actor: Any, question: Question) -> Question:
    """Draft → in review; the other authors see it in their review queue."""
    _require(actor, "learning.change_question", question)
    if question.status != QuestionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    question.status = QuestionStatus.REVIEW
    question.save(update_fields=["status", "updated_at"])
    return question


@transaction.atomic
def review_question(*, actor: Any, question: Question, approve: bool, note: str = "") -> Question:
    """In review → published (approved) or back to draft with a note; records the reviewer, tells the author."""
    _require(actor, "learning.review_question", question)
    question.reviewer = actor
    question.reviewed_at = timezone.now()
    question.review_note = note.strip()
    question.status = QuestionStatus.PUBLISHED if approve else QuestionStatus.DRAFT
    question.save(update_fields=["reviewer", "reviewed_at", "review_note", "status", "updated_at"])
    title = gettext_lazy("Your question is published") if approve else gettext_lazy("Your question needs another look")
    notify(
        recipients=[question.author],
        verb="generic",
        title=title,
        body=question.review_note,
        url=question.get_absolute_url(),
        actor=actor,
        email=False,
    )
    return question


@transaction.atomic
def archive_question(*, actor: Any, question: Question) -> Question:
    _require(actor, "learning.change_question", question)
    question.status = QuestionStatus.ARCHIVED
    question.save(update_fields=["status", "updated_at"])
    return question


# Quizzes -------------------------------------------------------------------------------------


def _check_quiz(data: dict[str, Any], questions: Sequence[Question]) -> None:
    if not 0 <= int(data.get("pass_mark", 70)) <= 100:
        raise ValidationError({"pass_mark": gettext_lazy("A pass mark is between 0 and 100 %.")})
    if data.get("selection") == Selection.RANDOM:
        if not data.get("draw_skill") and not data.get("draw_pillar"):
            raise ValidationError({"draw_skill": gettext_lazy("Choose a skill or a pillar to draw questions from.")})
        if not data.get("draw_count"):
            raise ValidationError({"draw_count": gettext_lazy("Draw at least one question.")})
    elif data.get("is_published") and not questions:
        raise ValidationError({"questions": gettext_lazy("A published quiz needs at least one question.")})


def _set_quiz_questions(quiz: Quiz, questions: Sequence[Question]) -> None:
    quiz.quiz_questions.all().delete()
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=quiz, question=question, position=index) for index, question in enumerate(questions)
    )


@transaction.atomic
def create_quiz(*, actor: Any, data: dict[str, Any], questions: Sequence[Question] = ()) -> Quiz:
    _require(actor, "learning.author")
    _check_quiz(data, questions)
    quiz = Quiz.objects.create(author=actor, **{k: v for k, v in data.items() if k in QUIZ_FIELDS})
    _set_quiz_questions(quiz, questions)
    return quiz


@transaction.atomic
def update_quiz(*, actor: Any, quiz: Quiz, data: dict[str, Any], questions: Sequence[Question] = ()) -> Quiz:
    _require(actor, "learning.change_quiz", quiz)
    _check_quiz(data, questions)
    for key, value in data.items():
        if key in QUIZ_FIELDS:
            setattr(quiz, key, value)
    quiz.save(update_fields=[*QUIZ_FIELDS, "updated_at"])
    _set_quiz_questions(quiz, questions)
    return quiz
