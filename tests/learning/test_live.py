import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guilde.learning import services
from guilde.learning.enums import LiveStatus
from guilde.learning.models import Attempt
from tests.factories.learning import QuestionFactory, QuizFactory
from tests.learning.conftest import make_user


@pytest.fixture
def quiz(db):
    return QuizFactory(questions=[QuestionFactory(), QuestionFactory()], pass_mark=50)


def right(live):
    from guilde.learning.models import Question

    return Question.objects.get(pk=live.current_question_id).choices.get(is_correct=True).pk


def wrong(live):
    from guilde.learning.models import Question

    return Question.objects.get(pk=live.current_question_id).choices.get(is_correct=False).pk


def test_join_codes_are_six_unambiguous_characters(quiz, volunteer):
    codes = {services.open_live(actor=volunteer, quiz=quiz).code for _ in range(20)}

    assert all(len(code) == 6 and set(code) <= set(services.JOIN_CODE_ALPHABET) for code in codes)
    assert not set("".join(codes)) & set("01IOL")


def test_a_live_quiz_with_two_players_from_lobby_to_scores(quiz, volunteer):
    live = services.open_live(actor=volunteer, quiz=quiz)
    alice, bob = make_user("member"), make_user("stakeholder")
    services.join_live(actor=alice, live=live)
    services.join_live(actor=bob, live=live)
    services.join_live(actor=bob, live=live)  # joining twice is harmless
    assert live.speed_bonus is False

    live = services.control_live(actor=volunteer, live=live, action="start", stage="lobby-0")
    with pytest.raises(ValidationError):
        services.answer_live(actor=alice, live=live, response=[999999])
    services.answer_live(actor=alice, live=live, response=right(live))
    services.answer_live(actor=bob, live=live, response=wrong(live))
    with pytest.raises(ValidationError):
        services.answer_live(actor=alice, live=live, response=right(live))  # once per question
    live = services.control_live(actor=volunteer, live=live, action="reveal", stage="question-0")
    with pytest.raises(ValidationError):
        services.answer_live(actor=bob, live=live, response=right(live))  # closed once revealed
    live = services.control_live(actor=volunteer, live=live, action="next", stage="reveal-0")
    services.answer_live(actor=alice, live=live, response=right(live))
    live = services.control_live(actor=volunteer, live=live, action="next", stage="question-1")

    assert live.status == LiveStatus.FINISHED
    scores = {a.user: (a.points, a.score, a.passed) for a in Attempt.objects.filter(live=live)}
    assert scores == {alice: (200, 1.0, True), bob: (0, 0.0, False)}  # bob's unanswered question counts as wrong


def test_a_double_click_does_not_skip_a_question(quiz, volunteer):
    live = services.open_live(actor=volunteer, quiz=quiz)
    services.control_live(actor=volunteer, live=live, action="start", stage="lobby-0")

    services.control_live(actor=volunteer, live=live, action="next", stage="question-0")
    live = services.control_live(actor=volunteer, live=live, action="next", stage="question-0")

    assert (live.status, live.current_index) == (LiveStatus.QUESTION, 1)


def test_only_the_host_or_product_ops_control_a_live_quiz(quiz, volunteer, ops):
    live = services.open_live(actor=volunteer, quiz=quiz)

    with pytest.raises(PermissionDenied):
        services.control_live(actor=make_user("volunteer"), live=live, action="start", stage="lobby-0")
    live = services.control_live(actor=ops, live=live, action="start", stage="lobby-0")
    assert live.status == LiveStatus.QUESTION


def test_members_cannot_host(quiz, member):
    with pytest.raises(PermissionDenied):
        services.open_live(actor=member, quiz=quiz)


def test_speed_bonus_is_optional_and_rewards_fast_right_answers():
    assert services.live_points(score=1, elapsed_seconds=0, speed_bonus=False) == 100
    assert services.live_points(score=1, elapsed_seconds=0, speed_bonus=True) == 150
    assert services.live_points(score=1, elapsed_seconds=15, speed_bonus=True) == 125
    assert services.live_points(score=1, elapsed_seconds=60, speed_bonus=True) == 100
    assert services.live_points(score=0, elapsed_seconds=0, speed_bonus=True) == 0
    assert services.live_points(score=0.5, elapsed_seconds=0, speed_bonus=True) == 75


def test_nobody_joins_a_finished_live_quiz(quiz, volunteer):
    live = services.open_live(actor=volunteer, quiz=quiz)
    live = services.control_live(actor=volunteer, live=live, action="start", stage="lobby-0")
    live = services.control_live(actor=volunteer, live=live, action="finish", stage="question-0")

    with pytest.raises(ValidationError):
        services.join_live(actor=make_user("member"), live=live)
