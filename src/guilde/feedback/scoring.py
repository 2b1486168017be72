"""Quality and priority formulas: pure functions of plain values, so they can be checked by hand.

Quality score (0-100)
    Each active rubric criterion has an integer weight and a check (`CriterionKind`). The score is
    round(100 * Σ weight of passed criteria / Σ weight of all criteria). With no criteria, 100.

Priority score (0-100 * fit / effort, stored with two decimals)
    Five drivers, each normalised to 0..1:
      accounts  = min(distinct accounts / accounts_cap, 1)
      arr       = min(ARR at stake / arr_cap, 1)
      segments  = min(distinct segments / 3, 1)        (SMB, mid-market, enterprise: all three = 1)
      recency   = 0.5 ** (days since the latest feedback / half_life_days)   (0 without feedback)
      fit       = (strategic fit - 1) / 4               (1 → 0, 5 → 1)
    value  = 100 * Σ(weight * driver) / Σ weights       (0..100)
    score  = value / effort_factor, effort_factor = sqrt(effort in person-weeks)
    Dividing by the square root rather than the effort itself keeps big bets visible: a 4-week
    opportunity needs twice (not four times) the value of a 1-week one to rank level with it.
    The breakdown stores each driver's raw value, normalised value, weight and points
    (100 * weight * driver / Σ weights) so the ranking can be explained line by line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from guilde.feedback.enums import CriterionKind

SEGMENTS_FOR_FULL_SCORE = 3
MIN_PROBLEM_WORDS = 12


def _phrases(*alternatives: str) -> re.Pattern[str]:
    """Any of the phrases as whole words, for searching case-folded text.

    Each alternative starts with a plain letter: the lookahead on those first letters lets the
    engine skip most word starts at once, and matching folded text without IGNORECASE is about
    twice as fast (a CSV import scores every row: this was a third of its Python time).
    """
    firsts = "".join(sorted({alternative[0] for alternative in alternatives}))
    return re.compile(rf"\b(?=[{firsts}])(?:{'|'.join(alternatives)})\b")


# Wording that proposes a fix rather than describing the customer's problem (EN and FR).
_SOLUTION_RE = _phrases(
    r"add(ing)? a (button|field|option|toggle|setting)",
    "we should",
    "you should",
    "please add",
    "just add",
    "build a",
    "implement",
    r"create a (button|field|page)",
    r"need a (button|field|toggle)",
    r"ajouter (un|une) (bouton|champ|option)",
    "il faudrait",
    "faut ajouter",
    "vous devriez",
    "implémenter",
    "créer un bouton",
)
# Words that say what the problem costs the customer.
_IMPACT_RE = _phrases(
    "lose",
    "losing",
    "lost",
    "churn",
    "cost",
    "costs",
    "hours?",
    "days?",
    "blocked",
    "blocking",
    "cannot",
    "can't",
    "revenue",
    "renewal",
    "perd",
    "perdent",
    "perte",
    "heures?",
    "jours?",
    r"bloqu\w*",
    "impossible",
    "chiffre d'affaires",
    "renouvellement",
    r"résili\w*",
)


@dataclass(frozen=True)
class QualityInput:
    """The fields a feedback's quality depends on."""

    problem: str = ""
    evidence: str = ""
    links: list[str] = field(default_factory=list)
    has_account: bool = False
    contact_name: str = ""
    has_segment: bool = False
    impact: str = ""
    has_product_area: bool = False


@dataclass(frozen=True)
class Criterion:
    key: str
    kind: str
    weight: int


@dataclass(frozen=True)
class QualityResult:
    score: int
    missing: list[str]


def criterion_passes(kind: str, data: QualityInput) -> bool:
    return _passes(kind, data, (data.problem or "").strip())


def _passes(kind: str, data: QualityInput, problem: str) -> bool:
    """`criterion_passes`, given the stripped problem (computed once per feedback, not per criterion)."""
    if kind == CriterionKind.PROBLEM_NOT_SOLUTION:
        return bool(problem) and not _SOLUTION_RE.search(problem.casefold())
    if kind == CriterionKind.NAMES_CUSTOMER_AND_SEGMENT:
        return (data.has_account or bool(data.contact_name.strip())) and data.has_segment
    if kind == CriterionKind.HAS_EVIDENCE:
        return bool(data.evidence.strip()) or any(str(link).strip() for link in data.links)
    if kind == CriterionKind.SAYS_IMPACT:
        return bool(data.impact) and bool(
            _IMPACT_RE.search(problem.casefold()) or _IMPACT_RE.search(data.evidence.casefold())
        )
    if kind == CriterionKind.HAS_PRODUCT_AREA:
        return data.has_product_area
    if kind == CriterionKind.DETAILED_PROBLEM:
        return len(problem.split()) >= MIN_PROBLEM_WORDS
    return False


def quality_score(criteria: list[Criterion], data: QualityInput) -> QualityResult:
    """Weighted share of passed criteria, rounded half up; `missing` lists failed keys in rubric order."""
    total = sum(c.weight for c in criteria)
    if total == 0:
        return QualityResult(score=100, missing=[])
    problem = (data.problem or "").strip()
    passed = 0
    missing = []
    for criterion in criteria:
        if _passes(criterion.kind, data, problem):
            passed += criterion.weight
        else:
            missing.append(criterion.key)
    # round(100 * passed / total), halves up, in integers (weights are non-negative integers).
    score = (200 * passed + total) // (2 * total)
    return QualityResult(score=score, missing=missing)


@dataclass(frozen=True)
class PriorityWeights:
    accounts: int = 30
    arr: int = 30
    segments: int = 10
    recency: int = 10
    strategic_fit: int = 20
    accounts_cap: int = 20
    arr_cap: Decimal = Decimal(1_000_000)
    recency_half_life_days: int = 90


@dataclass(frozen=True)
class PriorityDrivers:
    account_count: int
    arr_at_stake: Decimal
    segment_count: int
    last_feedback_at: datetime | None
    strategic_fit: int
    effort: int


def _round(value: float, places: int = 4) -> float:
    return float(Decimal(str(value)).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP))


def priority_score(drivers: PriorityDrivers, weights: PriorityWeights, *, now: datetime) -> tuple[Decimal, dict]:
    """The opportunity's score and its breakdown (see the module docstring for the formula)."""
    if drivers.last_feedback_at is None:
        recency = 0.0
        age_days = None
    else:
        age_days = max((now - drivers.last_feedback_at).total_seconds() / 86400, 0.0)
        recency = 0.5 ** (age_days / max(weights.recency_half_life_days, 1))
    arr_cap = weights.arr_cap if weights.arr_cap > 0 else Decimal(1)
    normalised = {
        "accounts": min(drivers.account_count / max(weights.accounts_cap, 1), 1.0),
        "arr": min(float(drivers.arr_at_stake / arr_cap), 1.0),
        "segments": min(drivers.segment_count / SEGMENTS_FOR_FULL_SCORE, 1.0),
        "recency": recency,
        "strategic_fit": (min(max(drivers.strategic_fit, 1), 5) - 1) / 4,
    }
    raw = {
        "accounts": drivers.account_count,
        "arr": str(drivers.arr_at_stake),
        "segments": drivers.segment_count,
        "recency": None if age_days is None else _round(age_days, 1),
        "strategic_fit": drivers.strategic_fit,
    }
    weight_of = {
        "accounts": weights.accounts,
        "arr": weights.arr,
        "segments": weights.segments,
        "recency": weights.recency,
        "strategic_fit": weights.strategic_fit,
    }
    total_weight = sum(weight_of.values())
    lines = {}
    value = 0.0
    for key, norm in normalised.items():
        points = 100 * weight_of[key] * norm / total_weight if total_weight else 0.0
        value += points
        lines[key] = {
            "raw": raw[key],
            "normalised": _round(norm),
            "weight": weight_of[key],
            "points": _round(points, 2),
        }
    effort_factor = math.sqrt(max(drivers.effort, 1))
    score = Decimal(str(value / effort_factor)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    breakdown = {
        "drivers": lines,
        "value": _round(value, 2),
        "effort": drivers.effort,
        "effort_factor": _round(effort_factor),
        "score": str(score),
    }
    return score, breakdown
