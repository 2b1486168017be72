"""Question and quiz statistics (for authors and product ops; learners only ever see their own attempts).

- facility of a question = its mean item score over submitted attempts (share correct when
  items are right/wrong), an SQL average;
- discrimination = Pearson correlation between the item score and the *rest* score of the same
  attempt (the attempt's total minus this item), i.e. the corrected item-total correlation; for
  right/wrong items this is the point-biserial correlation. The sums it needs (n, Σx, Σy, Σxy,
  Σx², Σy²) are aggregated in SQL, the final formula is applied in Python. None when fewer than
  three answers or when either side has no variance.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

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

from guilde.learning.enums import QuestionKind
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    Question,
    Quiz,
)
from guilde.learning.scoring import normalise

MIN_ANSWERS_FOR_FLAGS = 5
MIN_ANSWERS_FOR_GAPS = 5
TOO_EASY = 0.9
TOO_HARD = 0.3
LOW_DISCRIMINATION = 0.2
GAP_FACILITY = 0.65


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


def question_statistics(*, viewer: Any, quiz: Quiz | None = None, question_ids: list[int] | None = None) -> list:
    """Per question: answers, facility, discrimination and flags, over submitted attempts. Two queries."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    answers = _submitted_answers()
    if quiz is not None:
        answers = answers.filter(attempt__quiz=quiz)
    if question_ids is not None:
        answers = answers.filter(question_id__in=question_ids)
    rest = F("attempt__raw_score") - F("score")
    rows = (
        answers.values("question_id")
        .annotate(
            n=Count("id"),
            sx=Sum("score"),
            sy=Sum(rest, output_field=FloatField()),
            sxy=Sum(F("score") * rest, output_field=FloatField()),
            sxx=Sum(F("score") * F("score"), output_field=FloatField()),
            syy=Sum(rest * rest, output_field=FloatField()),
            facility=Avg("score"),
        )
        .order_by()
    )
    sums = {row["question_id"]: row for row in rows}
    questions = Question.objects.filter(pk__in=sums).select_related("skill", "author").order_by("pk")
    result = []
    for question in questions:
        row = sums[question.pk]
        discrimination = pearson(row["n"], row["sx"], row["sy"], row["sxy"], row["sxx"], row["syy"])
        facility = row["facility"]
        result.append(
            QuestionStats(
                question=question,
                answers=row["n"],
                facility=facility,
                discrimination=discrimination,
                flags=flags_for(answers=row["n"], facility=facility, discrimination=discrimination),
            )
        )
    result.sort(key=lambda s: (not s.flags, s.facility if s.facility is not None else 1, s.question.pk))
    return result


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
    learners: int

    @property
    def facility_percent(self) -> int:
        return round(100 * self.facility)


def knowledge_gaps(
    *, threshold: float = GAP_FACILITY, min_answers: int = MIN_ANSWERS_FOR_GAPS, limit: int | None = None
) -> list[KnowledgeGap]:
    """Skills the community answers worst, weakest first: what sessions could be about. One query.

    Public for other domains (rituals proposes topics from it); aggregates only, no person's answers.
    """
    rows = (
        _submitted_answers()
        .filter(question__skill__isnull=False)
        .values("question__skill_id", "question__skill__name")
        .annotate(facility=Avg("score"), answers=Count("id"), learners=Count("attempt__user", distinct=True))
        .filter(answers__gte=min_answers, facility__lt=threshold)
        .order_by("facility", "question__skill__name")
    )
    if limit:
        rows = rows[:limit]
    return [
        KnowledgeGap(
            skill_id=row["question__skill_id"],
            skill=row["question__skill__name"],
            facility=row["facility"],
            answers=row["answers"],
            learners=row["learners"],
        )
        for row in rows
    ]


def quiz_summary(*, viewer: Any, quiz: Quiz) -> dict[str, Any]:
    """Aggregates for authors: attempts, learners, mean score, pass rate. One query."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    return Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).aggregate(
        attempts=Count("id"),
        learners=Count("user", distinct=True),
        mean=Avg("score"),
        passed=Count("id", filter=Q(passed=True)),
    )


def score_histogram(*, viewer: Any, quiz: Quiz) -> list[int]:
    """Submitted attempts per score decile (0-9 %, …, 90-100 %)."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    buckets = [0] * 10
    for score in Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).values_list("score", flat=True):
        buckets[min(9, int((score or 0) * 10))] += 1
    return buckets
