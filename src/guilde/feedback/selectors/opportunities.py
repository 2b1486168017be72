"""Opportunities: ranking, detail, linked feedback, pickers, and the roadmap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from guilde.feedback.enums import ROADMAP_COLUMNS, OpportunityStatus
from guilde.feedback.models import Feedback, Opportunity
from guilde.feedback.rules import is_product_side
from guilde.feedback.selectors._common import _inbox_queryset
from guilde.feedback.selectors.visibility import visible_feedback


def opportunity_ranking(
    *, viewer: Any, status: str = "", area: int | None = None, q: str = "", limit: int = 100, offset: int = 0
) -> QuerySet[Opportunity]:
    """Opportunities best first by their stored priority score (index-backed)."""
    qs = Opportunity.objects.select_related("product_area", "owner")
    if status in OpportunityStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=OpportunityStatus.SHIPPED)
    if area:
        qs = qs.filter(product_area_id=area)
    q = (q or "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    if not is_product_side(viewer):
        qs = qs.defer("score_breakdown", "arr_at_stake")
    return qs.order_by("-priority_score", "id")[offset : offset + limit]


def opportunity_for(*, viewer: Any, pk: int) -> Opportunity:
    opportunity = Opportunity.objects.select_related("product_area", "owner").filter(pk=pk).first()
    if opportunity is None or not getattr(viewer, "is_authenticated", False):
        raise Http404
    return opportunity


def linked_feedback(*, viewer: Any, opportunity: Opportunity, limit: int = 200) -> QuerySet[Feedback]:
    return _inbox_queryset(visible_feedback(viewer).filter(opportunity_links__opportunity=opportunity)).order_by(
        "-received_at", "-id"
    )[:limit]


@dataclass
class RoadmapCard:
    pk: int
    title: str
    status: str
    product_area: str
    feedback_count: int
    shipped_at: datetime | None
    priority_score: Decimal | None
    arr_at_stake: Decimal | None
    account_count: int | None
    version: int = 0


def roadmap(*, viewer: Any, shipped_limit: int = 30, per_column: int = 100) -> dict[str, list[RoadmapCard]]:
    """Now / next / later / shipped columns. Stakeholders get titles and statuses, never the figures."""
    show_figures = is_product_side(viewer)
    columns: dict[str, list[RoadmapCard]] = {c: [] for c in ROADMAP_COLUMNS}
    base = Opportunity.objects.select_related("product_area").only(
        "id",
        "title",
        "status",
        "product_area__name_en",
        "product_area__name_fr",
        "feedback_count",
        "shipped_at",
        "priority_score",
        "arr_at_stake",
        "account_count",
        "version",
    )
    for column in ROADMAP_COLUMNS:
        limit = shipped_limit if column == OpportunityStatus.SHIPPED else per_column
        order = ("-shipped_at", "-id") if column == OpportunityStatus.SHIPPED else ("-priority_score", "id")
        for o in base.filter(status=column).order_by(*order)[:limit]:
            columns[column].append(
                RoadmapCard(
                    pk=o.pk,
                    title=o.title,
                    status=o.status,
                    product_area=o.product_area.name if o.product_area else "",
                    feedback_count=o.feedback_count,
                    shipped_at=o.shipped_at,
                    priority_score=o.priority_score if show_figures else None,
                    arr_at_stake=o.arr_at_stake if show_figures else None,
                    account_count=o.account_count if show_figures else None,
                    version=o.version,
                )
            )
    return columns


OPPORTUNITY_CHOICES_LIMIT = 200


def open_opportunities() -> QuerySet[Opportunity]:
    """Opportunities feedback can still be linked to (validation set of the pickers)."""
    return Opportunity.objects.exclude(status=OpportunityStatus.SHIPPED).order_by("-priority_score", "id")


def opportunity_choices() -> list[tuple[Any, str]]:
    """What the pickers list: the best-ranked open opportunities, titles only."""
    rows = open_opportunities().values_list("pk", "title")[:OPPORTUNITY_CHOICES_LIMIT]
    return [("", "—"), *rows]
