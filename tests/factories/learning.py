import factory
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.learning.enums import QuestionKind, QuestionStatus
from guilde.learning.models import Attempt, AttemptAnswer, Choice, Enrolment, Path, Question, Quiz, QuizQuestion, Step
from tests.factories.accounts import UserFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    """A published single-choice question with answers "Right" (correct) and "Wrong"; `answers=[...]` overrides.

    `answers` items are (text_en, is_correct) pairs, in position order.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    kind = QuestionKind.SINGLE
    status = QuestionStatus.PUBLISHED
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    text_fr = factory.Sequence(lambda n: f"Question {n} ?")
    explanation_en = "Because."
    author = factory.SubFactory(UserFactory, role=Role.PRODUCT_OPS)

    @factory.post_generation
    def answers(self, create, extracted, **kwargs):
        if not create:
            return
        pairs = extracted if extracted is not None else [("Right", True), ("Wrong", False)]
        Choice.objects.bulk_create(
            Choice(question=self, position=i, text_en=text, text_fr=f"{text} (fr)", is_correct=correct)
            for i, (text, correct) in enumerate(pairs)
        )


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Quiz {n}")
    title_fr = factory.Sequence(lambda n: f"Quiz {n} (fr)")
    is_published = True
    pass_mark = 50
    author = factory.SubFactory(UserFactory, role=Role.PRODUCT_OPS)

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if create and extracted:
            QuizQuestion.objects.bulk_create(
                QuizQuestion(quiz=self, question=q, position=i) for i, q in enumerate(extracted)
            )


class PathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Path

    title_en = factory.Sequence(lambda n: f"Path {n}")
    is_published = True
    author = factory.SubFactory(UserFactory, role=Role.PRODUCT_OPS)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    path = factory.SubFactory(PathFactory)
    position = factory.Sequence(lambda n: n)
    title_en = factory.Sequence(lambda n: f"Step {n}")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    path = factory.SubFactory(PathFactory)
    user = factory.SubFactory(UserFactory)


def submitted_attempt(*, quiz, user, scores, number=None):
    """An attempt already submitted with the given item scores, one per question of the quiz, in order.

    Built directly (not through the services) to hand-craft statistics fixtures.
    """
    questions = list(quiz.questions.order_by("quiz_questions__position"))
    raw = float(sum(scores))
    now = timezone.now()
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number or Attempt.objects.filter(quiz=quiz, user=user).count() + 1,
        started_at=now,
        submitted_at=now,
        raw_score=raw,
        score=raw / len(scores),
        passed=100 * raw / len(scores) >= quiz.pass_mark,
    )
    for position, (question, score) in enumerate(zip(questions, scores, strict=True)):
        right = [c.pk for c in question.choices.all() if c.is_correct]
        wrong = [c.pk for c in question.choices.all() if not c.is_correct]
        AttemptAnswer.objects.create(
            attempt=attempt,
            question=question,
            position=position,
            score=score,
            response=right[:1] if score >= 1 else wrong[:1],
            answered_at=now,
        )
    return attempt
