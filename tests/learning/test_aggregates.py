"""The statistics' running totals (guilde.learning.aggregates) against the rows they summarise.

Attempts go through the services here (start, answer, submit), which keep the totals; the exact
figures are read from the rows (`exact=True`), the fast ones from the totals (`exact=False`).
"""

import pytest
from django.test import override_settings

from guilde.learning import aggregates, selectors, services
from guilde.learning.models import QuestionStat, QuizStat
from tests.factories.learning import QuestionFactory, QuizFactory, submitted_attempt
from tests.learning.conftest import make_user

# (learner, per question: right?) — three learners, one of whom tries twice.
SUBMISSIONS = [
    ("ana", [True, True, False]),
    ("ben", [True, False, False]),
    ("ana", [True, True, True]),
    ("cleo", [False, False, True]),
    ("dan", [True, True, True]),
]


def _answer(question, right):
    return next(c.pk for c in question.choices.all() if c.is_correct == right)


@pytest.fixture
def taken(db):
    """Five attempts submitted through the services, and one left open."""
    questions = [QuestionFactory() for _ in range(3)]
    quiz = QuizFactory(questions=questions, pass_mark=60)
    people = {name: make_user("member") for name in ("ana", "ben", "cleo", "dan")}
    for name, rights in SUBMISSIONS:
        attempt = services.start_attempt(actor=people[name], quiz=quiz)
        answers = {q.pk: _answer(q, right) for q, right in zip(questions, rights, strict=True)}
        services.submit_attempt(actor=people[name], attempt=attempt, answers=answers)
    services.start_attempt(actor=make_user("member"), quiz=quiz)  # not submitted: never counted
    return quiz, questions, people


def _figures(rows):
    return [(r.question.pk, r.answers, r.facility, r.discrimination, [k for k, _ in r.flags]) for r in rows]


def test_submissions_keep_the_same_figures_as_the_rows(taken, ops):
    quiz, _questions, _people = taken

    for scope in ({"quiz": quiz}, {}):
        exact = _figures(selectors.question_statistics(viewer=ops, exact=True, **scope))
        kept = _figures(selectors.question_statistics(viewer=ops, exact=False, **scope))
        assert [row[:2] for row in kept] == [row[:2] for row in exact]
        for (_pk, _n, facility, discrimination, flags), expected in zip(kept, exact, strict=True):
            assert facility == pytest.approx(expected[2])
            assert discrimination == pytest.approx(expected[3])
            assert flags == expected[4]
    summary = selectors.quiz_summary(viewer=ops, quiz=quiz, exact=False)
    assert summary == pytest.approx(selectors.quiz_summary(viewer=ops, quiz=quiz, exact=True))
    assert (summary["attempts"], summary["learners"], summary["passed"]) == (5, 4, 3)
    assert summary["mean"] == pytest.approx(10 / 15)
    histogram = selectors.score_histogram(viewer=ops, quiz=quiz, exact=False)
    assert histogram == selectors.score_histogram(viewer=ops, quiz=quiz, exact=True) == [0, 0, 0, 2, 0, 0, 1, 0, 0, 2]


def test_rebuild_gives_back_what_the_submissions_kept(taken):
    kept = {(s.quiz_id, s.question_id): (s.answers, s.sum_x, s.sum_y, s.sum_xy) for s in QuestionStat.objects.all()}
    quiz_row = QuizStat.objects.values().get()

    counts = aggregates.rebuild()

    assert counts == {"question_stats": 3, "quiz_stats": 1}
    rebuilt = {(s.quiz_id, s.question_id): (s.answers, s.sum_x, s.sum_y, s.sum_xy) for s in QuestionStat.objects.all()}
    assert rebuilt.keys() == kept.keys()
    for key, sums in rebuilt.items():
        assert sums == pytest.approx(kept[key])
    assert QuizStat.objects.values().get() == pytest.approx(quiz_row)


def test_a_deleted_learner_leaves_the_statistics(taken, ops):
    quiz, _questions, people = taken

    people["ana"].delete()  # both of her attempts go with her

    summary = selectors.quiz_summary(viewer=ops, quiz=quiz, exact=False)
    assert summary == pytest.approx(selectors.quiz_summary(viewer=ops, quiz=quiz, exact=True))
    assert (summary["attempts"], summary["learners"]) == (3, 3)
    kept = _figures(selectors.question_statistics(viewer=ops, quiz=quiz, exact=False))
    exact = _figures(selectors.question_statistics(viewer=ops, quiz=quiz, exact=True))
    assert [row[:2] for row in kept] == [row[:2] for row in exact]
    assert [row[2] for row in kept] == pytest.approx([row[2] for row in exact])


def test_one_deleted_attempt_keeps_its_learner_who_has_another(taken, ops):
    quiz, _questions, people = taken
    first = people["ana"].quiz_attempts.order_by("submitted_at", "pk").first()

    first.delete()

    summary = selectors.quiz_summary(viewer=ops, quiz=quiz, exact=False)
    assert (summary["attempts"], summary["learners"]) == (4, 4)
    assert summary == pytest.approx(selectors.quiz_summary(viewer=ops, quiz=quiz, exact=True))


def test_knowledge_gaps_from_the_totals(ops):
    from tests.factories.community import TagFactory

    weak, strong = TagFactory(name="Pricing", slug="pricing"), TagFactory(name="Discovery", slug="discovery")
    quiz = QuizFactory(questions=[QuestionFactory(skill=weak), QuestionFactory(skill=strong)])
    for scores in ([0, 1], [1, 1], [0, 1], [0, 1], [0, 0]):
        submitted_attempt(quiz=quiz, user=make_user("member"), scores=scores)
    aggregates.rebuild()

    gaps = selectors.knowledge_gaps(min_answers=5, exact=False)

    assert [(gap.skill, gap.facility_percent, gap.answers) for gap in gaps] == [("Pricing", 20, 5)]
    assert gaps == selectors.knowledge_gaps(min_answers=5, exact=True)


def test_the_totals_are_read_once_the_base_is_large_and_they_exist(taken, ops, monkeypatch):
    from guilde.learning.selectors import statistics

    assert selectors.use_aggregates() is False  # 15 answers: read exactly from the rows
    monkeypatch.setattr(statistics, "EXACT_MAX_ANSWERS", 10)
    assert selectors.use_aggregates() is True
    QuizStat.objects.all().delete()
    assert selectors.use_aggregates() is False  # never built: the rows, slower but right


@override_settings(LANGUAGE_CODE="en")
def test_statistics_page_is_paged_with_flagged_questions_counted_on_every_page(client, ops, monkeypatch):
    from guilde.learning.selectors import statistics

    monkeypatch.setattr(statistics, "STATS_PAGE_SIZE", 2)
    questions = [QuestionFactory(text_en=f"Page question {i}") for i in range(5)]
    quiz = QuizFactory(questions=questions)
    for scores in ([1, 1, 1, 1, 0], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]):
        submitted_attempt(quiz=quiz, user=make_user("member"), scores=scores)
    client.force_login(ops)

    first = client.get("/learning/statistics/").content.decode()
    last = client.get("/learning/statistics/?page=3").content.decode()

    # Question 0 (all right) is flagged too easy, question 4 (one right in five) too hard.
    assert "2 flagged" in first
    assert "2 flagged" in last
    assert "Page 1 of 3" in first
    assert first.count("Page question") == 2
    assert last.count("Page question") == 1


def test_deleting_a_quiz_takes_its_totals_along(taken):
    quiz, _questions, _people = taken
    # Attempts built by hand (no totals kept) on another quiz: deleting it must not create any.
    other = QuizFactory(questions=[QuestionFactory()])
    submitted_attempt(quiz=other, user=make_user("member"), scores=[1])

    quiz.delete()
    other.delete()

    assert not QuestionStat.objects.exists()
    assert not QuizStat.objects.exists()


def test_the_rebuild_command_recomputes_the_totals(db):
    from io import StringIO

    from django.core.management import call_command

    quiz = QuizFactory(questions=[QuestionFactory(), QuestionFactory()])
    submitted_attempt(quiz=quiz, user=make_user("member"), scores=[1, 0])  # written by hand: no totals kept
    out = StringIO()

    call_command("rebuild_learning_stats", stdout=out)

    assert out.getvalue().strip() == "Rebuilt 2 question and 1 quiz statistics rows."
    assert QuizStat.objects.get().attempts == 1
