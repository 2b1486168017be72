"""Feedback configuration reads: policy, quality rubric, priority weights, product areas, segments."""

from __future__ import annotations

from django.db.models import QuerySet

from guilde.feedback.models import FeedbackPolicy, ProductArea, QualityCriterion, Segment
from guilde.feedback.scoring import Criterion, PriorityWeights


def get_policy() -> FeedbackPolicy:
    policy, _created = FeedbackPolicy.objects.get_or_create(pk=1)
    return policy


def active_criteria() -> list[Criterion]:
    return [
        Criterion(key=c.key, kind=c.kind, weight=c.weight)
        for c in QualityCriterion.objects.filter(is_active=True).order_by("position", "id")
    ]


def rubric() -> QuerySet[QualityCriterion]:
    return QualityCriterion.objects.order_by("position", "id")


def priority_weights(policy: FeedbackPolicy | None = None) -> PriorityWeights:
    policy = policy or get_policy()
    return PriorityWeights(
        accounts=policy.weight_accounts,
        arr=policy.weight_arr,
        segments=policy.weight_segments,
        recency=policy.weight_recency,
        strategic_fit=policy.weight_strategic_fit,
        accounts_cap=policy.accounts_cap,
        arr_cap=policy.arr_cap,
        recency_half_life_days=policy.recency_half_life_days,
    )


def product_areas(*, include_archived: bool = False) -> QuerySet[ProductArea]:
    areas = ProductArea.objects.all()
    return areas if include_archived else areas.filter(is_archived=False)


def segments() -> QuerySet[Segment]:
    return Segment.objects.all()
