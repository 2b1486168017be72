"""Stored scores: the quality input and preview, opportunity priority refresh, background recomputes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import (
    CustomerAccount,
    Feedback,
    FeedbackOpportunity,
    Opportunity,
    ProductArea,
    QualityCriterion,
)
from guilde.feedback.scoring import PriorityDrivers, QualityInput, priority_score, quality_score


def quality_input(
    *,
    problem: str,
    evidence: str = "",
    links: Sequence[str] = (),
    account: CustomerAccount | None = None,
    contact_name: str = "",
    impact: str = "",
    product_area: ProductArea | None = None,
) -> QualityInput:
    return QualityInput(
        problem=problem or "",
        evidence=evidence or "",
        links=list(links or []),
        has_account=account is not None,
        contact_name=contact_name or "",
        has_segment=bool(account is not None and account.segment_id),
        impact=impact or "",
        has_product_area=product_area is not None,
    )


def preview_quality(**fields: Any) -> tuple[int, list[QualityCriterion]]:
    """The live score for a form being typed, with the rubric lines still missing (for hints)."""
    result = quality_score(selectors.active_criteria(), quality_input(**fields))
    missing = list(QualityCriterion.objects.filter(key__in=result.missing).order_by("position", "id"))
    return result.score, missing


def _opportunity_ids_of(feedback_ids: Iterable[int]) -> list[int]:
    return list(
        FeedbackOpportunity.objects.filter(feedback_id__in=list(feedback_ids))
        .values_list("opportunity_id", flat=True)
        .distinct()
    )


def refresh_opportunities(*, opportunity_ids: Iterable[int], now: datetime | None = None) -> None:
    """Recomputes the stored drivers and priority score of the given opportunities.

    Accounts are counted once across linked feedback and their supporters; ARR at stake is the
    sum of those distinct accounts' current ARR. Cost: a handful of indexed aggregates each.
    """
    ids = list(set(opportunity_ids))
    if not ids:
        return
    now = now or timezone.now()
    weights = selectors.priority_weights()
    for opportunity in Opportunity.objects.filter(pk__in=ids):
        links = Feedback.objects.filter(opportunity_links__opportunity=opportunity).exclude(
            status=FeedbackStatus.DUPLICATE
        )
        stats = links.aggregate(count=Count("pk"), last=Max("received_at"))
        direct = CustomerAccount.objects.filter(feedbacks__opportunity_links__opportunity=opportunity).values("pk")
        backing = CustomerAccount.objects.filter(supports__feedback__opportunity_links__opportunity=opportunity).values(
            "pk"
        )
        accounts = CustomerAccount.objects.filter(Q(pk__in=direct) | Q(pk__in=backing)).aggregate(
            count=Count("pk"), arr=Sum("arr"), segments=Count("segment", distinct=True)
        )
        drivers = PriorityDrivers(
            account_count=accounts["count"] or 0,
            arr_at_stake=accounts["arr"] or Decimal(0),
            segment_count=accounts["segments"] or 0,
            last_feedback_at=stats["last"],
            strategic_fit=opportunity.strategic_fit,
            effort=opportunity.effort,
        )
        score, breakdown = priority_score(drivers, weights, now=now)
        Opportunity.objects.filter(pk=opportunity.pk).update(
            feedback_count=stats["count"] or 0,
            account_count=drivers.account_count,
            segment_count=drivers.segment_count,
            arr_at_stake=drivers.arr_at_stake,
            last_feedback_at=drivers.last_feedback_at,
            priority_score=score,
            score_breakdown=breakdown,
        )


def recompute_quality(*, batch_size: int = 2000) -> int:
    """Rescores every feedback against the current rubric, in primary-key batches (bounded memory,
    short transactions). Returns how many changed. Run by the background worker."""
    criteria = selectors.active_criteria()
    changed = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Feedback.objects.filter(pk__gt=last_pk)
                .select_related("account")
                .only(
                    "id",
                    "problem",
                    "evidence",
                    "links",
                    "account__segment_id",
                    "contact_name",
                    "impact",
                    "product_area_id",
                    "quality_score",
                    "quality_missing",
                    *aggregates.STATE_FIELDS,
                )
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return changed
            dirty = []
            rescored: list[tuple[aggregates.KpiState, int]] = []
            for f in rows:
                result = quality_score(
                    criteria,
                    QualityInput(
                        problem=f.problem,
                        evidence=f.evidence,
                        links=list(f.links or []),
                        has_account=f.account_id is not None,
                        contact_name=f.contact_name,
                        has_segment=bool(f.account is not None and f.account.segment_id),
                        impact=f.impact,
                        has_product_area=f.product_area_id is not None,
                    ),
                )
                if result.score != f.quality_score or result.missing != f.quality_missing:
                    if result.score != f.quality_score:
                        rescored.append((aggregates.state_of(f), result.score))
                    f.quality_score, f.quality_missing = result.score, result.missing
                    dirty.append(f)
            Feedback.objects.bulk_update(dirty, ["quality_score", "quality_missing"], batch_size=500)
            aggregates.record(
                before=[b for b, _score in rescored],
                after=[aggregates.with_changes(b, quality_score=score) for b, score in rescored],
            )
            changed += len(dirty)
            last_pk = rows[-1].pk


def recompute_all_priorities(*, batch_size: int = 500) -> int:
    count = 0
    last_pk = 0
    while True:
        ids = list(Opportunity.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return count
        with transaction.atomic():
            refresh_opportunities(opportunity_ids=ids)
        count += len(ids)
        last_pk = ids[-1]
