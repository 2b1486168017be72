"""Pre-aggregated statistics for the question bank and the quizzes (`QuestionStat`, `QuizStat`).

Why: at community scale the statistics pages would aggregate every answer on each view (1.8M
answers at the benchmark's enterprise profile: 6 to 11 seconds on SQLite). Running sums are kept
instead, in the transaction that submits an attempt:

- per quiz and question (`QuestionStat`): answers n and, with x the item score and y the rest
  of the attempt (its raw score minus x), Σx, Σy, Σxy, Σx², Σy². Facility (Σx / n) and
  discrimination (`selectors.statistics.pearson`) follow exactly, as from the rows;
- per quiz (`QuizStat`): submitted attempts, distinct learners, passes, Σscore and attempts per
  score band (band k holds the scores s with int(10 * s) = k, 100 % in band 9).

`record()` adds an attempt when it is submitted (`services.attempts._finalise`, live quizzes
included); deleting a submitted attempt (its learner or its live session removed) takes it back
out (`forget()` / `forget_learner()`, connected in apps.py); `rebuild()` recomputes both tables
from the rows (the migration that creates them, `manage.py rebuild_learning_stats`). Small
bases are read exactly from the rows (`selectors.statistics.use_aggregates`), so hand-built
fixtures stay exact and the two paths can be compared.
"""

from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Coalesce, Floor

SUM_COLUMNS = ("answers", "sum_x", "sum_y", "sum_xy", "sum_xx", "sum_yy")
BANDS = 10


def band_of(score: float | None) -> int:
    """The score band of an attempt, as the histogram always counted it: 0-9 %, …, 90-100 %."""
    return min(BANDS - 1, int((score or 0) * BANDS))


def _question_rows(quiz_id: int, raw: float, answers: list[tuple[int, float]]) -> list[tuple]:
    """(quiz, question, 1, x, y, xy, x², y²) per answer, y being the rest of the attempt's raw score."""
    return [(quiz_id, question_id, 1, x, raw - x, x * (raw - x), x * x, (raw - x) ** 2) for question_id, x in answers]


def _add_question_sums(rows: list[tuple]) -> None:
    """Adds sums, one upsert per row (the row is created with its first answer); SQLite ≥ 3.24 and PostgreSQL."""
    if not rows:
        return
    from guilde.learning.models import QuestionStat

    table = connection.ops.quote_name(QuestionStat._meta.db_table)
    columns = ", ".join(SUM_COLUMNS)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in SUM_COLUMNS)
    # Table and column names come from the model and the constants above, never from input.
    sql = (
        f"INSERT INTO {table} (quiz_id, question_id, {columns}) VALUES ({', '.join(['%s'] * 8)}) "  # noqa: S608
        f"ON CONFLICT (quiz_id, question_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _add_quiz(quiz_id: int, *, learners: int, passed: int, score: float, band: int) -> None:
    """Adds one submitted attempt to its quiz's row (created with the first)."""
    from guilde.learning.models import QuizStat

    table = connection.ops.quote_name(QuizStat._meta.db_table)
    bands = [f"band_{i}" for i in range(BANDS)]
    columns = ["attempts", "learners", "passed", "score_sum", *bands]
    values = [1, learners, passed, score, *(1 if i == band else 0 for i in range(BANDS))]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    marks = ", ".join(["%s"] * (len(columns) + 1))
    sql = (
        f"INSERT INTO {table} (quiz_id, {', '.join(columns)}) VALUES ({marks}) "  # noqa: S608 - names as above
        f"ON CONFLICT (quiz_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [quiz_id, *values])


def _other_submissions(attempt: Any) -> Any:
    from guilde.learning.models import Attempt

    return Attempt.objects.filter(quiz_id=attempt.quiz_id, user_id=attempt.user_id, submitted_at__isnull=False).exclude(
        pk=attempt.pk
    )


def record(attempt: Any) -> None:
    """Adds a submitted attempt (answers scored, raw score and score set). Three queries."""
    from guilde.learning.models import AttemptAnswer

    answers = list(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "score"))
    _add_question_sums(_question_rows(attempt.quiz_id, attempt.raw_score, answers))
    first = not _other_submissions(attempt).exists()
    _add_quiz(
        attempt.quiz_id,
        learners=int(first),
        passed=int(attempt.passed),
        score=attempt.score or 0.0,
        band=band_of(attempt.score),
    )


def _subtract_question_sums(rows: list[tuple]) -> None:
    """Takes sums back out of existing rows only: an attempt deleted with its quiz must not create one."""
    if not rows:
        return
    from guilde.learning.models import QuestionStat

    table = connection.ops.quote_name(QuestionStat._meta.db_table)
    updates = ", ".join(f"{c} = {c} - %s" for c in SUM_COLUMNS)
    sql = f"UPDATE {table} SET {updates} WHERE quiz_id = %s AND question_id = %s"  # noqa: S608 - names as above
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*sums, quiz_id, question_id) for quiz_id, question_id, *sums in rows])


def forget(attempt: Any) -> None:
    """Takes a submitted attempt about to be deleted back out (its answers are still there).

    Whether it was its learner's first submission on the quiz is noted on the instance: the
    learner is counted out after the delete (`forget_learner`) if no submission of theirs is left.
    Whatever is deleted with it (a learner's every attempt, a live session's), exactly one of a
    learner's deleted submissions is their first one, so a learner is counted out once.
    """
    from guilde.learning.models import AttemptAnswer, QuizStat

    answers = list(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "score"))
    _subtract_question_sums(_question_rows(attempt.quiz_id, attempt.raw_score, answers))
    earlier = _other_submissions(attempt).filter(
        Q(submitted_at__lt=attempt.submitted_at) | Q(submitted_at=attempt.submitted_at, pk__lt=attempt.pk)
    )
    attempt._stats_was_first = not earlier.exists()
    band = f"band_{band_of(attempt.score)}"
    QuizStat.objects.filter(quiz_id=attempt.quiz_id).update(
        attempts=F("attempts") - 1,
        passed=F("passed") - int(attempt.passed),
        score_sum=F("score_sum") - (attempt.score or 0.0),
        **{band: F(band) - 1},
    )


def forget_learner(attempt: Any) -> None:
    """After the delete: the learner no longer counts for the quiz if none of their submissions is left."""
    from guilde.learning.models import QuizStat

    if getattr(attempt, "_stats_was_first", False) and not _other_submissions(attempt).exists():
        QuizStat.objects.filter(quiz_id=attempt.quiz_id).update(learners=F("learners") - 1)


def rebuild(models: Any = None) -> dict[str, int]:
    """Recomputes both tables from the submitted attempts and their answers, in one transaction.

    `models` gives the model classes (a migration passes its historical ones).
    """
    if models is None:
        from guilde.learning import models
    attempt_model, answer_model = models.Attempt, models.AttemptAnswer
    question_stat, quiz_stat = models.QuestionStat, models.QuizStat
    rest = F("attempt__raw_score") - F("score")
    with transaction.atomic():
        question_stat.objects.all().delete()
        quiz_stat.objects.all().delete()
        sums = (
            answer_model.objects.filter(attempt__submitted_at__isnull=False)
            .values("attempt__quiz_id", "question_id")
            .annotate(
                n=Count("id"),
                sx=Sum("score"),
                sy=Sum(rest, output_field=FloatField()),
                sxy=Sum(F("score") * rest, output_field=FloatField()),
                sxx=Sum(F("score") * F("score"), output_field=FloatField()),
                syy=Sum(rest * rest, output_field=FloatField()),
            )
            .order_by()
        )
        question_rows = [
            question_stat(
                quiz_id=row["attempt__quiz_id"],
                question_id=row["question_id"],
                answers=row["n"],
                sum_x=row["sx"] or 0.0,
                sum_y=row["sy"] or 0.0,
                sum_xy=row["sxy"] or 0.0,
                sum_xx=row["sxx"] or 0.0,
                sum_yy=row["syy"] or 0.0,
            )
            for row in sums.iterator(chunk_size=5000)
        ]
        question_stat.objects.bulk_create(question_rows, batch_size=1000)
        band = Floor(Coalesce(F("score"), 0.0) * BANDS)
        per_band = {
            f"band_{i}": Count("id", filter=Q(band__gte=BANDS - 1) if i == BANDS - 1 else Q(band=i))
            for i in range(BANDS)
        }
        quizzes = (
            attempt_model.objects.filter(submitted_at__isnull=False)
            .annotate(band=band)
            .values("quiz_id")
            .annotate(
                attempts=Count("id"),
                learners=Count("user_id", distinct=True),
                passed=Count("id", filter=Q(passed=True)),
                score_sum=Sum("score"),
                **per_band,
            )
            .order_by()
        )
        quiz_rows = [
            quiz_stat(**{key: (value if value is not None else 0) for key, value in row.items()}) for row in quizzes
        ]
        quiz_stat.objects.bulk_create(quiz_rows, batch_size=1000)
    return {"question_stats": len(question_rows), "quiz_stats": len(quiz_rows)}
