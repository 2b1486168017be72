"""Question and quiz statistics (for authors and product ops; learners only ever see their own attempts).

- facility of a question = its mean item score over submitted attempts (share correct when
  items are right/wrong), an SQL average;
- discrimination = Pearson correlation between the item score and the *rest* score of the same
  attempt (the attempt's total minus this item), i.e. the corrected item-total correlation; for
  right/wrong items this is the point-biserial correlation. The sums it needs (n, Σx, Σy, Σxy,
  Σx², Σy²) are aggregated in SQL, the final formula is applied in Python. None when fewer than
  three answers or when either side has no variance.

Above EXACT_MAX_ANSWERS answers the sums come from the running totals the services keep
(`guilde.learning.aggregates`: a few hundred rows instead of every answer); below, and before
any total exists, from the rows themselves. Both give the same figures.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
)
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guilde.learning.aggregates import band_of
from guilde.learning.enums import QuestionKind
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    Question,
    QuestionStat,
    Quiz,
    QuizStat,
)
from guilde.learning.scoring import normalise

MIN_ANSWERS_FOR_FLAGS = 5
MIN_ANSWERS_FOR_GAPS = 5
TOO_EASY = 0.9
TOO_HARD = 0.3
LOW_DISCRIMINATION = 0.2
GAP_FACILITY = 0.65
# Up to this many answers the statistics are read from the rows (a few milliseconds).
EXACT_MAX_ANSWERS = 5_000
STATS_PAGE_SIZE = 50


# Statistics ----------------------------------------------------------------------------------


@dataclass
class QuestionStats:
    question: Question
    answers: int
    facility: float | None
    discrimination: float | None
    flags: list[tuple[str, str | Promise]] = field(default_factory=list)

    @property
    def facility_percent(self) -> int | None:
        return None if self.facility is None else round(100 * self.facility)


def pearson(n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """The correlation from the sums SQL returns; None when undefined."""
    if n < 3:
        return None
    numerator = n * sxy - sx * sy
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if spread <= 1e-12:
        return None
    return numerator / math.sqrt(spread)


def _submitted_answers() -> QuerySet[AttemptAnswer]:
    return AttemptAnswer.objects.filter(attempt__submitted_at__isnull=False)


def flags_for(*, answers: int, facility: float | None, discrimination: float | None) -> list[tuple[str, Any]]:
    if answers < MIN_ANSWERS_FOR_FLAGS or facility is None:
        return []
    flags: list[tuple[str, Any]] = []
    if facility >= TOO_EASY:
        flags.append(("too_easy", _("Too easy")))
    elif facility <= TOO_HARD:
        flags.append(("too_hard", _("Too hard")))
    if discrimination is not None and discrimination < 0:
        flags.append(("ambiguous", _("Ambiguous? Strong learners miss it")))
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(("weak", _("Does not separate strong from weak")))
    return flags


def use_aggregates() -> bool:
    """The running totals once there are more than EXACT_MAX_ANSWERS answers, and only once they exist."""
    # No ordering: the default one (by attempt) would sort every answer before the LIMIT.
    if AttemptAnswer.objects.order_by()[: EXACT_MAX_ANSWERS + 1].count() <= EXACT_MAX_ANSWERS:
        return False
    return QuizStat.objects.exists()


def _exact(exact: bool | None) -> bool:
    return not use_aggregates() if exact is None else exact


def _sums(*, quiz: Quiz | None, question_ids: list[int] | None, exact: bool) -> dict[int, dict[str, Any]]:
    """Per question: n, Σx, Σy, Σxy, Σx², Σy² over submitted attempts (of the quiz, if given). One query."""
    rows: Any
    if exact:
        answers = _submitted_answers()
        if quiz is not None:
            answers = answers.filter(attempt__quiz=quiz)
        if question_ids is not None:
            answers = answers.filter(question_id__in=question_ids)
        rest = F("attempt__raw_score") - F("score")
        rows = answers.values("question_id").annotate(
            n=Count("id"),
            sx=Sum("score"),
            sy=Sum(rest, output_field=FloatField()),
            sxy=Sum(F("score") * rest, output_field=FloatField()),
            sxx=Sum(F("score") * F("score"), output_field=FloatField()),
            syy=Sum(rest * rest, output_field=FloatField()),
        )
    else:
        stats = QuestionStat.objects.all()
        if quiz is not None:
            stats = stats.filter(quiz=quiz)
        if question_ids is not None:
            stats = stats.filter(question_id__in=question_ids)
        rows = (
            stats.values("question_id")
            .annotate(
                n=Sum("answers"),
                sx=Sum("sum_x"),
                sy=Sum("sum_y"),
                sxy=Sum("sum_xy"),
                sxx=Sum("sum_xx"),
                syy=Sum("sum_yy"),
            )
            .filter(n__gt=0)
        )
    return {row["question_id"]: row for row in rows.order_by()}


@dataclass(frozen=True)
class _Row:
    question_id: int
    answers: int
    facility: float | None
    discrimination: float | None
    flags: list[tuple[str, Any]]


def _ranked_rows(*, quiz: Quiz | None, question_ids: list[int] | None, exact: bool | None) -> list[_Row]:
    """Every question's figures, flagged ones first, then the hardest: numbers only, no question loaded."""
    rows = []
    for question_id, sums in _sums(quiz=quiz, question_ids=question_ids, exact=_exact(exact)).items():
        n = sums["n"]
        discrimination = pearson(n, sums["sx"], sums["sy"], sums["sxy"], sums["sxx"], sums["syy"])
        facility = sums["sx"] / n if n else None
        flags = flags_for(answers=n, facility=facility, discrimination=discrimination)
        rows.append(_Row(question_id, n, facility, discrimination, flags))
    rows.sort(key=lambda r: (not r.flags, r.facility if r.facility is not None else 1, r.question_id))
    return rows


def _with_questions(rows: list[_Row]) -> list[QuestionStats]:
    questions = Question.objects.filter(pk__in=[row.question_id for row in rows]).select_related("skill", "author")
    loaded = {question.pk: question for question in questions}
    return [
        QuestionStats(loaded[r.question_id], r.answers, r.facility, r.discrimination, r.flags)
        for r in rows
        if r.question_id in loaded
    ]


def question_statistics(
    *, viewer: Any, quiz: Quiz | None = None, question_ids: list[int] | None = None, exact: bool | None = None
) -> list[QuestionStats]:
    """Per question: answers, facility, discrimination and flags, over submitted attempts.

    Flagged questions first, then the hardest. Two queries, plus the choice of source when
    `exact` is not given (see `use_aggregates`).
    """
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    return _with_questions(_ranked_rows(quiz=quiz, question_ids=question_ids, exact=exact))


def question_statistics_page(
    *, viewer: Any, quiz: Quiz | None = None, page: Any = 1, exact: bool | None = None
) -> tuple[Page, int]:
    """One page of `question_statistics` (its questions alone loaded) and how many are flagged in all.

    The whole bank holds thousands of questions: the figures of all of them are computed (to
    sort and count the flags), the page's questions only are loaded and shown.
    """
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    rows = _ranked_rows(quiz=quiz, question_ids=None, exact=exact)
    flagged = sum(1 for row in rows if row.flags)
    current = Paginator(rows, STATS_PAGE_SIZE).get_page(page)
    return Page(_with_questions(list(current.object_list)), current.number, current.paginator), flagged


@dataclass
class Distribution:
    labels: list[str]
    counts: list[int]
    correct: list[bool]
    total: int


def answer_distribution(*, viewer: Any, question: Question) -> Distribution:
    """How learners answered one question: per choice, per typed answer or per ordering score."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    responses = list(
        _submitted_answers()
        .filter(question=question, answered_at__isnull=False)
        .values_list("response", "score")
        .order_by()
    )
    choices = list(question.choices.all())
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE, QuestionKind.MULTIPLE):
        counter: Counter[int] = Counter(cid for response, _score in responses for cid in (response or []))
        return Distribution(
            labels=[choice.text for choice in choices],
            counts=[counter[choice.pk] for choice in choices],
            correct=[choice.is_correct for choice in choices],
            total=len(responses),
        )
    if question.kind == QuestionKind.SHORT:
        accepted = {normalise(t) for c in choices for t in (c.text_en, c.text_fr) if t}
        typed: Counter[str] = Counter(normalise(str(response)) for response, _score in responses)
        top = typed.most_common(8)
        return Distribution(
            labels=[text for text, _n in top],
            counts=[n for _text, n in top],
            correct=[text in accepted for text, _n in top],
            total=len(responses),
        )
    buckets = [
        (str(_("All in order")), lambda s: s >= 1),
        (str(_("Partly in order")), lambda s: 0 < s < 1),
        (str(_("None in place")), lambda s: s <= 0),
    ]
    return Distribution(
        labels=[label for label, _test in buckets],
        counts=[sum(1 for _r, score in responses if test(score)) for _label, test in buckets],
        correct=[True, False, False],
        total=len(responses),
    )


@dataclass(frozen=True)
class KnowledgeGap:
    skill_id: int
    skill: str
    facility: float
    answers: int

    @property
    def facility_percent(self) -> int:
        return round(100 * self.facility)


def knowledge_gaps(
    *,
    threshold: float = GAP_FACILITY,
    min_answers: int = MIN_ANSWERS_FOR_GAPS,
    limit: int | None = None,
    exact: bool | None = None,
) -> list[KnowledgeGap]:
    """Skills the community answers worst, weakest first: what sessions could be about. One query.

    Public for other domains (rituals proposes topics from it); aggregates only, no person's answers.
    """
    rows: Any
    if _exact(exact):
        rows = (
            _submitted_answers()
            .filter(question__skill__isnull=False)
            .values("question__skill_id", "question__skill__name")
            .annotate(sx=Sum("score"), answers=Count("id"))
        )
    else:
        rows = (
            QuestionStat.objects.filter(question__skill__isnull=False)
            .values("question__skill_id", "question__skill__name")
            .annotate(sx=Sum("sum_x"), answers=Sum("answers"))
        )
    gaps = [
        KnowledgeGap(
            skill_id=row["question__skill_id"],
            skill=row["question__skill__name"],
            facility=row["sx"] / row["answers"],
            answers=row["answers"],
        )
        for row in rows.order_by()
        if row["answers"] and row["answers"] >= min_answers and row["sx"] / row["answers"] < threshold
    ]
    gaps.sort(key=lambda gap: (gap.facility, gap.skill))
    return gaps[:limit] if limit else gaps


def quiz_summary(*, viewer: Any, quiz: Quiz, exact: bool | None = None) -> dict[str, Any]:
    """Aggregates for authors: attempts, learners, mean score, pass rate. One query."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    if _exact(exact):
        return Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).aggregate(
            attempts=Count("id"),
            learners=Count("user", distinct=True),
            mean=Avg("score"),
            passed=Count("id", filter=Q(passed=True)),
        )
    stat = QuizStat.objects.filter(quiz=quiz).first()
    attempts = stat.attempts if stat else 0
    return {
        "attempts": attempts,
        "learners": stat.learners if stat else 0,
        "mean": stat.score_sum / attempts if stat and attempts else None,
        "passed": stat.passed if stat else 0,
    }


def score_histogram(*, viewer: Any, quiz: Quiz, exact: bool | None = None) -> list[int]:
    """Submitted attempts per score decile (0-9 %, …, 90-100 %)."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    if not _exact(exact):
        stat = QuizStat.objects.filter(quiz=quiz).first()
        return stat.bands if stat else [0] * 10
    buckets = [0] * 10
    for score in Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).values_list("score", flat=True):
        buckets[band_of(score)] += 1
    return buckets
