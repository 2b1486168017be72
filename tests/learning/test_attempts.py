import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.http import Http404
from django.utils import timezone

from guilde.learning import selectors, services
from guilde.learning.enums import QuestionKind, QuestionStatus, Selection
from guilde.learning.models import Attempt
from tests.factories.community import TagFactory
from tests.factories.learning import QuestionFactory, QuizFactory
from tests.learning.conftest import make_user


@pytest.fixture
def quiz(db):
    return QuizFactory(questions=[QuestionFactory(), QuestionFactory()], pass_mark=50)


def right(question):
    return next(c.pk for c in question.choices.all() if c.is_correct)


def wrong(question):
    return next(c.pk for c in question.choices.all() if not c.is_correct)


def test_submitting_scores_on_the_server_and_passes_at_the_pass_mark(quiz, member):
    q1, q2 = quiz.questions.order_by("quiz_questions__position")
    attempt = services.start_attempt(actor=member, quiz=quiz)

    result = services.submit_attempt(actor=member, attempt=attempt, answers={q1.pk: right(q1), q2.pk: wrong(q2)})

    assert (result.score, result.raw_score, result.passed, result.number) == (0.5, 1.0, True, 1)
    assert result.submitted_at is not None


def test_answers_one_by_one_then_submit(quiz, member):
    q1, q2 = quiz.questions.order_by("quiz_questions__position")
    attempt = services.start_attempt(actor=member, quiz=quiz)

    services.answer_question(actor=member, attempt=attempt, question_id=q1.pk, response=wrong(q1))
    services.answer_question(actor=member, attempt=attempt, question_id=q2.pk, response=wrong(q2))
    result = services.submit_attempt(actor=member, attempt=attempt)

    assert (result.score, result.passed) == (0.0, False)


def test_an_answer_to_a_question_outside_the_attempt_is_refused(quiz, member):
    attempt = services.start_attempt(actor=member, quiz=quiz)
    stranger = QuestionFactory()

    with pytest.raises(ValidationError) as error:
        services.answer_question(actor=member, attempt=attempt, question_id=stranger.pk, response=right(stranger))

    assert "question" in error.value.message_dict


def test_invalid_answers_are_all_reported_and_nothing_is_kept(quiz, member):
    q1, q2 = quiz.questions.order_by("quiz_questions__position")
    attempt = services.start_attempt(actor=member, quiz=quiz)

    with pytest.raises(ValidationError) as error:
        services.submit_attempt(actor=member, attempt=attempt, answers={q1.pk: right(q1), q2.pk: 123456})

    assert set(error.value.message_dict) == {str(q2.pk)}
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not attempt.answers.filter(answered_at__isnull=False).exists()


def test_someone_else_cannot_answer_or_see_my_attempt(quiz, member):
    attempt = services.start_attempt(actor=member, quiz=quiz)
    other = make_user("member")

    with pytest.raises(PermissionDenied):
        services.submit_attempt(actor=other, attempt=attempt)
    with pytest.raises(Http404):
        selectors.attempt_for(viewer=other, pk=attempt.pk)
    assert list(selectors.attempts_of(viewer=other, quiz=quiz)) == []


def test_a_submitted_attempt_cannot_be_submitted_again(quiz, member):
    attempt = services.start_attempt(actor=member, quiz=quiz)
    services.submit_attempt(actor=member, attempt=attempt)

    with pytest.raises(ValidationError):
        services.submit_attempt(actor=member, attempt=attempt)


def test_answers_after_the_time_limit_and_grace_do_not_count(quiz, member):
    quiz.time_limit_minutes = 5
    quiz.save()
    q1, q2 = quiz.questions.order_by("quiz_questions__position")
    attempt = services.start_attempt(actor=member, quiz=quiz)
    services.answer_question(actor=member, attempt=attempt, question_id=q1.pk, response=right(q1))
    late = timezone.now() - timedelta(seconds=services.GRACE_SECONDS + 1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=late)
    attempt.refresh_from_db()

    result = services.submit_attempt(actor=member, attempt=attempt, answers={q2.pk: right(q2)})

    assert (result.timed_out, result.score) == (True, 0.5)
    assert result.answers.get(question=q2).answered_at is None


def test_an_answer_within_the_grace_period_still_counts(quiz, member):
    quiz.time_limit_minutes = 5
    quiz.save()
    q1, _q2 = quiz.questions.order_by("quiz_questions__position")
    attempt = services.start_attempt(actor=member, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=2))
    attempt.refresh_from_db()

    answer = services.answer_question(actor=member, attempt=attempt, question_id=q1.pk, response=right(q1))

    assert answer is not None
    assert answer.score == 1.0


def test_a_late_single_answer_closes_the_attempt(quiz, member):
    quiz.time_limit_minutes = 1
    quiz.save()
    q1, _q2 = quiz.questions.order_by("quiz_questions__position")
    attempt = services.start_attempt(actor=member, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    attempt.refresh_from_db()

    assert services.answer_question(actor=member, attempt=attempt, question_id=q1.pk, response=right(q1)) is None
    attempt.refresh_from_db()
    assert attempt.timed_out is True
    assert attempt.submitted_at is not None


def test_starting_twice_resumes_the_open_attempt(quiz, member):
    first = services.start_attempt(actor=member, quiz=quiz)

    assert services.start_attempt(actor=member, quiz=quiz) == first


def test_the_attempts_limit_is_respected(quiz, member):
    quiz.max_attempts = 2
    quiz.save()
    for _ in range(2):
        services.submit_attempt(actor=member, attempt=services.start_attempt(actor=member, quiz=quiz))

    with pytest.raises(ValidationError):
        services.start_attempt(actor=member, quiz=quiz)
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 2


def test_a_racing_start_with_a_stale_count_hits_the_unique_number(quiz, member, monkeypatch):
    """Two requests count the same used attempts: the database refuses the second attempt number."""
    quiz.max_attempts = 1
    quiz.save()
    services.submit_attempt(actor=member, attempt=services.start_attempt(actor=member, quiz=quiz))
    quiz.max_attempts = 2
    quiz.save()
    monkeypatch.setattr(selectors, "used_attempts", lambda **kwargs: 0)  # what a concurrent request saw

    with pytest.raises(ValidationError):
        services.start_attempt(actor=member, quiz=quiz)
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_never_exceed_the_attempts_limit():
    member = make_user("member")
    quiz = QuizFactory(questions=[QuestionFactory()], max_attempts=2)
    services.submit_attempt(actor=member, attempt=services.start_attempt(actor=member, quiz=quiz))
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def start() -> None:
        try:
            barrier.wait(timeout=5)
            services.start_attempt(actor=member, quiz=quiz)
            outcomes.append("started")
        except ValidationError:
            outcomes.append("refused")
        except OperationalError:
            # SQLite's shared in-memory test database answers "table is locked" instead of waiting.
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # A later start may resume the one open attempt; none may add a third.
    assert Attempt.objects.filter(user=member, quiz=quiz).count() == 2
    assert len(outcomes) == 4
    assert "started" in outcomes


def test_draft_and_in_review_questions_are_never_asked(member):
    published = QuestionFactory()
    draft = QuestionFactory(status=QuestionStatus.DRAFT)
    review = QuestionFactory(status=QuestionStatus.REVIEW)
    quiz = QuizFactory(questions=[draft, published, review])

    attempt = services.start_attempt(actor=member, quiz=quiz)

    assert [a.question for a in attempt.answers.all()] == [published]


def test_a_random_quiz_draws_published_questions_of_its_skill(member):
    skill = TagFactory(name="Pricing", slug="pricing")
    pool = {QuestionFactory(skill=skill) for _ in range(4)}
    QuestionFactory(skill=skill, status=QuestionStatus.REVIEW)
    QuestionFactory()
    quiz = QuizFactory(selection=Selection.RANDOM, draw_skill=skill, draw_count=3)

    attempt = services.start_attempt(actor=member, quiz=quiz)

    drawn = {a.question for a in attempt.answers.all()}
    assert len(drawn) == 3
    assert drawn <= pool


def test_an_unpublished_quiz_cannot_be_taken(member):
    quiz = QuizFactory(is_published=False, questions=[QuestionFactory()])

    with pytest.raises(PermissionDenied):
        services.start_attempt(actor=member, quiz=quiz)
    with pytest.raises(Http404):
        selectors.quiz_for(viewer=member, pk=quiz.pk)


def test_question_review_workflow_records_who_wrote_and_who_reviewed(volunteer, ops):
    question = services.create_question(
        actor=volunteer,
        data={"kind": QuestionKind.SHORT, "text_en": "Name the framework."},
        choices=[{"text_en": "RICE", "text_fr": "RICE"}],
    )
    assert question.status == QuestionStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.review_question(actor=ops, question=question, approve=True)  # not in review yet

    services.submit_for_review(actor=volunteer, question=question)
    with pytest.raises(PermissionDenied):
        services.review_question(actor=volunteer, question=question, approve=True)  # four eyes
    services.review_question(actor=ops, question=question, approve=True)

    question.refresh_from_db()
    assert (question.status, question.author, question.reviewer) == (QuestionStatus.PUBLISHED, volunteer, ops)


def test_members_who_are_not_volunteers_cannot_write_questions(member):
    with pytest.raises(PermissionDenied):
        services.create_question(actor=member, data={"text_en": "?"}, choices=[])


@pytest.mark.parametrize(
    ("kind", "choices", "field"),
    [
        (QuestionKind.SINGLE, [{"text_en": "a", "is_correct": True}], "choices_en"),
        (
            QuestionKind.SINGLE,
            [{"text_en": "a", "is_correct": True}, {"text_en": "b", "is_correct": True}],
            "choices_en",
        ),
        (QuestionKind.MULTIPLE, [{"text_en": "a"}, {"text_en": "b"}], "choices_en"),
        (QuestionKind.ORDERING, [{"text_en": "a"}, {"text_en": "b"}], "choices_en"),
    ],
)
def test_question_answers_are_validated(volunteer, kind, choices, field):
    with pytest.raises(ValidationError) as error:
        services.create_question(actor=volunteer, data={"kind": kind, "text_en": "?"}, choices=choices)

    assert field in error.value.message_dict
