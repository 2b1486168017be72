# ruff: noqa: RUF002
"""Facility and discrimination on a hand-built attempt set, with values worked out by hand.

Four attempts at three right/wrong questions:

    attempt  q1 q2 q3  total
    A         1  1  1    3
    B         1  1  0    2
    C         1  0  0    1
    D         0  0  1    1

Facility = mean item score: q1 = 3/4, q2 = 2/4, q3 = 2/4.
Discrimination = correlation between the item score and the rest score (total − item):
    q1: x = 1,1,1,0   rest = 2,1,0,1 → Σx=3 Σy=4 Σxy=3 Σx²=3 Σy²=6 → (12−12)/… = 0
    q2: x = 1,1,0,0   rest = 2,1,1,1 → (4·3 − 2·5)/√((4·2−4)(4·7−25)) = 2/√12 = 1/√3
    q3: x = 1,0,0,1   rest = 2,2,1,0 → (4·2 − 2·5)/√((4·2−4)(4·9−25)) = −2/√44 = −1/√11
"""

import math

import pytest
from django.http import Http404
from django.urls import reverse

from guilde.learning import aggregates, selectors
from tests.factories.accounts import UserFactory
from tests.factories.community import TagFactory
from tests.factories.learning import QuestionFactory, QuizFactory, submitted_attempt

SCORES = {"A": [1, 1, 1], "B": [1, 1, 0], "C": [1, 0, 0], "D": [0, 0, 1]}


@pytest.fixture
def hand_built(db):
    questions = [QuestionFactory(text_en=f"q{i}") for i in (1, 2, 3)]
    quiz = QuizFactory(questions=questions)
    for scores in SCORES.values():
        submitted_attempt(quiz=quiz, user=UserFactory(), scores=scores)
    return quiz, questions


def test_facility_and_discrimination_match_the_hand_computed_values(hand_built, ops):
    quiz, (q1, q2, q3) = hand_built

    stats = {row.question: row for row in selectors.question_statistics(viewer=ops, quiz=quiz)}

    assert [stats[q].answers for q in (q1, q2, q3)] == [4, 4, 4]
    assert stats[q1].facility == pytest.approx(0.75)
    assert stats[q2].facility == pytest.approx(0.5)
    assert stats[q3].facility == pytest.approx(0.5)
    assert stats[q1].discrimination == pytest.approx(0.0, abs=1e-12)
    assert stats[q2].discrimination == pytest.approx(1 / math.sqrt(3))
    assert stats[q3].discrimination == pytest.approx(-1 / math.sqrt(11))


def test_partial_credit_enters_facility_as_a_mean_score(ops):
    question = QuestionFactory()
    other = QuestionFactory()
    quiz = QuizFactory(questions=[question, other])
    submitted_attempt(quiz=quiz, user=UserFactory(), scores=[0.5, 1])
    submitted_attempt(quiz=quiz, user=UserFactory(), scores=[0.25, 0])

    stats = {row.question: row for row in selectors.question_statistics(viewer=ops, quiz=quiz)}

    assert stats[question].facility == pytest.approx(0.375)
    assert stats[question].discrimination is None  # fewer than three answers


def test_statistics_ignore_attempts_not_yet_submitted(hand_built, ops):
    quiz, (q1, _q2, _q3) = hand_built
    unfinished = submitted_attempt(quiz=quiz, user=UserFactory(), scores=[0, 0, 0])
    unfinished.submitted_at = None
    unfinished.save()

    stats = {row.question: row for row in selectors.question_statistics(viewer=ops, quiz=quiz)}

    assert stats[q1].answers == 4


def test_flags_need_enough_answers_and_name_the_problem():
    assert selectors.flags_for(answers=4, facility=1.0, discrimination=0.5) == []
    assert [key for key, _ in selectors.flags_for(answers=20, facility=0.95, discrimination=0.5)] == ["too_easy"]
    assert [key for key, _ in selectors.flags_for(answers=20, facility=0.1, discrimination=0.5)] == ["too_hard"]
    assert [key for key, _ in selectors.flags_for(answers=20, facility=0.5, discrimination=-0.3)] == ["ambiguous"]
    assert [key for key, _ in selectors.flags_for(answers=20, facility=0.5, discrimination=0.1)] == ["weak"]
    assert selectors.flags_for(answers=20, facility=0.6, discrimination=0.45) == []


def test_pearson_is_undefined_without_variance():
    assert selectors.pearson(4, 4, 6, 6, 4, 10) is None  # every item right


def test_statistics_are_for_authors_only(hand_built, member):
    with pytest.raises(Http404):
        selectors.question_statistics(viewer=member)


def test_answer_distribution_counts_each_choice(hand_built, ops):
    _quiz, (q1, _q2, _q3) = hand_built

    distribution = selectors.answer_distribution(viewer=ops, question=q1)

    assert distribution.labels == ["Right", "Wrong"]
    assert distribution.counts == [3, 1]
    assert distribution.correct == [True, False]
    assert distribution.total == 4


def test_knowledge_gaps_rank_weak_skills_first_and_skip_strong_ones(ops):
    weak, strong = TagFactory(name="Pricing", slug="pricing"), TagFactory(name="Discovery", slug="discovery")
    hard = QuestionFactory(skill=weak)
    easy = QuestionFactory(skill=strong)
    quiz = QuizFactory(questions=[hard, easy])
    for scores in ([0, 1], [1, 1], [0, 1], [0, 1], [0, 0]):
        submitted_attempt(quiz=quiz, user=UserFactory(), scores=scores)

    gaps = selectors.knowledge_gaps(min_answers=5)

    assert [(gap.skill, gap.facility_percent, gap.answers) for gap in gaps] == [("Pricing", 20, 5)]


def test_statistics_take_a_constant_number_of_queries(ops, django_assert_num_queries):
    quiz = QuizFactory(questions=[QuestionFactory()])
    submitted_attempt(quiz=quiz, user=UserFactory(), scores=[1])
    ops.has_perm("learning.view_stats")  # the profile lookup for the volunteer predicate is cached on the user
    # One query chooses the source (rows or running totals), then the sums and the questions.
    with django_assert_num_queries(3):
        selectors.question_statistics(viewer=ops)
    more = [QuestionFactory(), QuestionFactory()]
    other = QuizFactory(questions=more)
    submitted_attempt(quiz=other, user=UserFactory(), scores=[1, 0])
    with django_assert_num_queries(3):
        assert len(selectors.question_statistics(viewer=ops)) == 3
    aggregates.rebuild()
    with django_assert_num_queries(2):
        assert len(selectors.question_statistics(viewer=ops, exact=False)) == 3


def test_a_question_nobody_answered_shows_its_empty_state(ops_client):
    question = QuestionFactory()
    response = ops_client.get(reverse("learning:question_statistics", args=[question.pk]))
    assert response.status_code == 200
    assert "Nobody has answered this question yet" in response.content.decode()
