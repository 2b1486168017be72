"""The benchmark must not rot: a tiny profile generated, a few requests per endpoint, the bulk jobs.

The full runs (bench/RESULTS.md) are not part of the test suite. Here the generator fills the
test database and the driver's requests go to Django's live server rather than to gunicorn.
"""

from urllib.parse import urlsplit

import pytest

from bench import generate, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tiny(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return generate.generate(generate.PROFILES["tiny"], seed=1, exclusive=False)


def test_generator_fills_every_table_and_the_aggregates(tiny):
    assert tiny["feedbacks"] == 300
    assert tiny["status_changes"] > 300
    assert tiny["members"] == 40
    assert tiny["accounts"] == 60
    assert tiny["opportunities"] == 20
    assert tiny["kpi_rows"] > 0
    modules = tiny["modules"]
    volumes = generate.PROFILES["tiny"].modules
    assert modules["rituals_ritual"] == volumes.rituals == 2
    assert modules["rituals_topic"] == volumes.topics
    assert modules["learning_question"] == volumes.questions
    assert modules["learning_attempt"] > 0.9 * volumes.attempts
    for table in (
        "rituals_session",
        "rituals_vote",
        "rituals_rsvp",
        "rituals_rating",
        "initiatives_challengevote",
        "initiatives_pledge",
        "initiatives_checkin",
        "learning_attemptanswer",
        "learning_questionstat",
        "learning_stepcompletion",
    ):
        assert modules[table] > 0, table
    _modules_are_consistent()


def _modules_are_consistent():
    """Every count the app keeps on a row is the count of the rows the generator wrote."""
    from datetime import timedelta

    from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
    from django.db.models.functions import Coalesce

    from guilde.initiatives import planner
    from guilde.initiatives.models import Challenge, CheckIn, Initiative, Pledge
    from guilde.learning import aggregates
    from guilde.learning.models import Attempt, AttemptAnswer, Choice, Enrolment, QuestionStat, QuizStat
    from guilde.learning.scoring import ChoiceData, score_response
    from guilde.rituals.models import Session, Topic

    assert not Topic.objects.annotate(n=Count("votes")).exclude(n=F("vote_count")).exists()
    counted = Challenge.objects.annotate(n=Count("votes", distinct=True), c=Count("comments", distinct=True))
    assert not counted.exclude(n=F("vote_count"), c=F("comment_count")).exists()
    spent = CheckIn.objects.filter(initiative=OuterRef("pk")).values("initiative").annotate(s=Sum("minutes_spent"))
    with_spent = Initiative.objects.annotate(s=Coalesce(Subquery(spent.values("s"), output_field=IntegerField()), 0))
    assert not with_spent.exclude(s=F("spent_minutes")).exists()
    # A check-in moves a planned initiative to in progress: none on a planned one or an idea.
    assert not CheckIn.objects.filter(initiative__status__in=["idea", "planned"]).exists()
    weekly: dict[tuple[int, object], int] = {}
    for pledge in Pledge.objects.select_related("member"):
        monday = planner.week_start(pledge.start)
        while monday <= pledge.end:
            key = (pledge.member_id, monday)
            weekly[key] = weekly.get(key, 0) + pledge.minutes_per_week
            assert weekly[key] <= pledge.member.weekly_minutes, "a week pledged beyond the commitment"
            monday += timedelta(weeks=1)
    going = Count("rsvps", filter=Q(rsvps__status="going", rsvps__waitlisted=False))
    for session in (
        Session.objects.filter(ritual__capacity__isnull=False).annotate(going=going).select_related("ritual")
    ):
        assert session.going <= session.ritual.capacity
    totals = (
        AttemptAnswer.objects.filter(attempt=OuterRef("pk")).values("attempt").annotate(s=Sum("score"), n=Count("id"))
    )
    for attempt in (
        Attempt.objects.filter(submitted_at__isnull=False)
        .select_related("quiz")
        .annotate(s=Subquery(totals.values("s")), n=Subquery(totals.values("n")))
    ):
        assert attempt.raw_score == pytest.approx(attempt.s)
        assert attempt.score == pytest.approx(attempt.s / attempt.n)
        assert attempt.passed == (100 * attempt.score >= attempt.quiz.pass_mark - 1e-9)
    choices: dict[int, list[ChoiceData]] = {}
    for c in Choice.objects.all():
        choices.setdefault(c.question_id, []).append(ChoiceData(c.pk, c.is_correct, c.position, c.text_en, c.text_fr))
    for answer in AttemptAnswer.objects.filter(answered_at__isnull=False).select_related("question")[:2000]:
        expected = score_response(answer.question.kind, choices[answer.question_id], answer.response)
        assert answer.score == pytest.approx(expected), (answer.question.kind, answer.response)
    assert not Enrolment.objects.annotate(n=Count("completions")).exclude(n=F("completed_steps")).exists()
    # The statistics' running totals are those the app would rebuild from the rows.
    written = {
        (s.quiz_id, s.question_id): (s.answers, s.sum_x, s.sum_y, s.sum_xy, s.sum_xx, s.sum_yy)
        for s in QuestionStat.objects.all()
    }
    quizzes = {q.quiz_id: (q.attempts, q.learners, q.passed, q.score_sum, q.bands) for q in QuizStat.objects.all()}
    aggregates.rebuild()
    rebuilt = {
        (s.quiz_id, s.question_id): (s.answers, s.sum_x, s.sum_y, s.sum_xy, s.sum_xx, s.sum_yy)
        for s in QuestionStat.objects.all()
    }
    assert written.keys() == rebuilt.keys()
    for key, sums in rebuilt.items():
        assert written[key] == pytest.approx(sums), key
    for stat in QuizStat.objects.all():
        attempts, learners, passed, score_sum, bands = quizzes[stat.quiz_id]
        assert (stat.attempts, stat.learners, stat.passed, stat.bands) == (attempts, learners, passed, bands)
        assert stat.score_sum == pytest.approx(score_sum)
    assert len(quizzes) == QuizStat.objects.count()


def test_driver_gets_every_endpoint_and_runs_the_bulk_jobs(tiny, live_server, tmp_path):
    targets = run.prepare()
    port = urlsplit(live_server.url).port
    rows = []
    for endpoint in run.endpoints(targets):
        measure = run.run_load(port, endpoint, concurrency=1, max_requests=2, max_seconds=10)
        assert measure.statuses == {200: 2}, (endpoint.name, endpoint.paths[0], measure.statuses)
        rows.append(
            {
                "name": endpoint.name,
                "goal_ms": endpoint.goal_ms,
                **{key: measure.summary() for key in ("c1", "c8", "c1_cached", "c8_cached")},
                "c8_ratio_to_ceiling": 1.0,
                "c8_ratio_to_ceiling_cached": 1.0,
            }
        )
    imported = run.bench_import(150, directory=tmp_path)
    assert imported["created"] == 150
    exported = run.bench_export(100)
    assert exported["rows"] == 100
    report = run.markdown(
        {
            "label": "smoke",
            "feedbacks": targets["feedbacks"],
            "endpoints": rows,
            "worker_rss_mb": [],
            "machine": {
                "date": "",
                "cores": 2,
                "cpu": "",
                "memory_gb": 0,
                "python": "",
                "django": "",
                "database": "",
                "gunicorn": "",
            },
            "import": imported,
            "export": exported,
        }
    )
    assert "KPIs, 12 months" in report
