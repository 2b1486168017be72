import itertools
import random
import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from guilde.feedback.enums import CriterionKind
from guilde.feedback.scoring import (
    _IMPACT_RE,
    _SOLUTION_RE,
    Criterion,
    PriorityDrivers,
    PriorityWeights,
    QualityInput,
    criterion_passes,
    priority_score,
    quality_score,
)

RUBRIC = [
    Criterion("problem", CriterionKind.PROBLEM_NOT_SOLUTION, 40),
    Criterion("who", CriterionKind.NAMES_CUSTOMER_AND_SEGMENT, 30),
    Criterion("evidence", CriterionKind.HAS_EVIDENCE, 20),
    Criterion("impact", CriterionKind.SAYS_IMPACT, 10),
]


def test_quality_score_all_criteria_met_is_100():
    data = QualityInput(
        problem="Finance teams lose two hours each month re-typing invoices.",
        evidence="“We re-type everything by hand” — CFO",
        has_account=True,
        has_segment=True,
        impact="high",
    )
    assert quality_score(RUBRIC, data).score == 100
    assert quality_score(RUBRIC, data).missing == []


def test_quality_score_weighted_share_of_passed_criteria():
    # problem (40) passes, who (30) fails (no segment), evidence (20) passes, impact (10) fails (no impact set).
    data = QualityInput(problem="Exports time out for big accounts.", evidence="ticket 123", has_account=True)
    result = quality_score(RUBRIC, data)
    assert result.score == 60  # (40 + 20) / 100
    assert result.missing == ["who", "impact"]


def test_quality_score_rounds_half_up():
    rubric = [Criterion("a", CriterionKind.HAS_EVIDENCE, 1), Criterion("b", CriterionKind.HAS_PRODUCT_AREA, 7)]
    # 1 / 8 = 12.5 % → 13
    assert quality_score(rubric, QualityInput(evidence="quote")).score == 13


def test_quality_score_with_no_rubric_is_100():
    assert quality_score([], QualityInput()).score == 100


def test_solution_wording_fails_problem_not_solution_in_both_languages():
    assert not criterion_passes(
        CriterionKind.PROBLEM_NOT_SOLUTION, QualityInput(problem="Please add a button to export")
    )
    assert not criterion_passes(CriterionKind.PROBLEM_NOT_SOLUTION, QualityInput(problem="Il faudrait un export"))
    assert criterion_passes(CriterionKind.PROBLEM_NOT_SOLUTION, QualityInput(problem="Les exports échouent"))


# The wording checks as first written (IGNORECASE over the raw text): the folded-text patterns
# must find the same texts.
_SOLUTION_ORACLE = re.compile(
    r"\b(add(ing)? a (button|field|option|toggle|setting)|we should|you should|please add|just add|"
    r"build a|implement|create a (button|field|page)|need a (button|field|toggle)|"
    r"ajouter (un|une) (bouton|champ|option)|il faudrait|faut ajouter|vous devriez|implémenter|créer un bouton)\b",
    re.IGNORECASE,
)
_IMPACT_ORACLE = re.compile(
    r"\b(lose|losing|lost|churn|cost|costs|hours?|days?|blocked|blocking|cannot|can't|revenue|renewal|"
    r"perd|perdent|perte|heures?|jours?|bloqu\w*|impossible|chiffre d'affaires|renouvellement|résili\w*)\b",
    re.IGNORECASE,
)
_PIECES = [
    "We SHOULD",
    "please Add",
    "ADDING A TOGGLE",
    "add a setting",
    "implementation",
    "Implement",
    "IMPLÉMENTER",
    "créer un BOUTON",
    "Ajouter une option",
    "il FAUDRAIT",
    "vous devriez",
    "need a field",
    "build a",
    "builder",
    "lose",
    "LOSING",
    "Lost",
    "closet",
    "cost",
    "COSTS",
    "hour",
    "Hours",
    "day",
    "DAYS",
    "today",
    "unblocked",
    "Blocked",
    "blocking",
    "cannot",
    "CAN'T",
    "revenue",
    "Renewal",
    "perd",
    "perdent",
    "Perte",
    "heure",
    "JOURS",
    "bloqués",
    "Bloquant",
    "IMPOSSIBLE",
    "chiffre d'affaires",
    "Chiffre D'Affaires",
    "renouvellement",
    "RÉSILIATION",
    "résilié",
    "Résilier",
    "exports",
    "the",
    "invoice",
    "données",
    "équipe",
    "-",
    ",",
    "«",
    "»",
    "l'équipe",
    "2 heures",
    "x",
    "Églises",
    "ÉTÉ",
]


def test_wording_checks_find_what_the_case_insensitive_patterns_found():
    rng = random.Random(4)
    texts = [" ".join(pair) for pair in itertools.product(_PIECES, repeat=2)]
    texts += [" ".join(rng.choices(_PIECES, k=rng.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        assert bool(_SOLUTION_RE.search(text.casefold())) == bool(_SOLUTION_ORACLE.search(text)), text
        assert bool(_IMPACT_RE.search(text.casefold())) == bool(_IMPACT_ORACLE.search(text)), text


def test_quality_score_rounds_like_decimal_half_up_for_every_share():
    for total in range(1, 61):
        for passed in range(total + 1):
            rubric = [
                Criterion("a", CriterionKind.HAS_EVIDENCE, passed),
                Criterion("b", CriterionKind.HAS_PRODUCT_AREA, total - passed),
            ]
            expected = int((Decimal(100 * passed) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            assert quality_score(rubric, QualityInput(evidence="quote")).score == expected, (passed, total)


def test_links_count_as_evidence():
    assert criterion_passes(CriterionKind.HAS_EVIDENCE, QualityInput(links=["https://support.example.com/t/1"]))


NOW = datetime(2025, 6, 1, tzinfo=UTC)


def test_priority_score_hand_computed():
    weights = PriorityWeights(
        accounts=30,
        arr=30,
        segments=10,
        recency=10,
        strategic_fit=20,
        accounts_cap=20,
        arr_cap=Decimal(1_000_000),
        recency_half_life_days=90,
    )
    drivers = PriorityDrivers(
        account_count=10,  # 10/20 = 0.5 → 100*30*0.5/100 = 15
        arr_at_stake=Decimal(250_000),  # 0.25 → 7.5
        segment_count=3,  # 1 → 10
        last_feedback_at=NOW - timedelta(days=90),  # 0.5 → 5
        strategic_fit=5,  # 1 → 20
        effort=4,  # sqrt(4) = 2
    )
    score, breakdown = priority_score(drivers, weights, now=NOW)
    # value = 15 + 7.5 + 10 + 5 + 20 = 57.5; score = 57.5 / 2
    assert breakdown["value"] == 57.5
    assert score == Decimal("28.75")
    assert breakdown["drivers"]["accounts"] == {"raw": 10, "normalised": 0.5, "weight": 30, "points": 15.0}
    assert breakdown["drivers"]["recency"]["points"] == 5.0
    assert breakdown["effort_factor"] == 2.0


def test_priority_score_caps_drivers_and_handles_no_feedback():
    drivers = PriorityDrivers(
        account_count=500,
        arr_at_stake=Decimal(10**9),
        segment_count=9,
        last_feedback_at=None,
        strategic_fit=1,
        effort=1,
    )
    score, breakdown = priority_score(drivers, PriorityWeights(), now=NOW)
    # accounts 30 + arr 30 + segments 10 + recency 0 + fit 0 = 70, effort 1
    assert score == Decimal("70.00")
    assert breakdown["drivers"]["recency"]["raw"] is None
