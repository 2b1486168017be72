"""Opportunities: ranking, detail, linked feedback, pickers, and the roadmap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
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


# Cards per column and per "Show more": the page's cost is this many cards whatever the data
# (at 1M feedbacks a column holds 600-2,500 opportunities; 330 cards were 640 KB of HTML).
ROADMAP_PAGE_SIZE = 20


class RoadmapColumn(list[RoadmapCard]):
    """One page of a roadmap column: its cards (the list itself), how many the column holds in all
    (None when not counted), the id of the card the next page starts after (None on the last
    page) and how many cards that next page has (what "Show N more" says)."""

    def __init__(
        self, status: str, cards: list[RoadmapCard], *, total: int | None, next_after: int | None, next_count: int
    ) -> None:
        super().__init__(cards)
        self.status = status
        self.total = total
        self.next_after = next_after
        self.next_count = next_count


def _roadmap_base() -> QuerySet[Opportunity]:
    return Opportunity.objects.select_related("product_area").only(
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


def _column_order(status: str) -> tuple[str, ...]:
    # Shipped: most recent first. A plain descending order (no NULLS LAST) so that an index on
    # (status, -shipped_at, -id) can serve it on both databases; an undated shipped card (made in
    # the admin: shipping always dates it) comes last on SQLite and first on PostgreSQL.
    if status == OpportunityStatus.SHIPPED:
        return ("-shipped_at", "-id")
    return ("-priority_score", "id")


def _after(qs: QuerySet[Opportunity], status: str, key: tuple[Decimal, datetime | None, int]) -> QuerySet[Opportunity]:
    """The rows that follow the card with this (score, shipped date, id) in the column's order."""
    score, shipped_at, pk = key
    if status == OpportunityStatus.SHIPPED:
        nulls_first = connection.features.nulls_order_largest  # where a descending order puts NULL
        if shipped_at is None:
            undated = Q(shipped_at__isnull=True, pk__lt=pk)
            return qs.filter(undated | Q(shipped_at__isnull=False) if nulls_first else undated)
        dated = Q(shipped_at__lt=shipped_at) | Q(shipped_at=shipped_at, pk__lt=pk)
        return qs.filter(dated if nulls_first else dated | Q(shipped_at__isnull=True))
    # score <= s AND (score < s OR id > pk): the same rows as score < s OR (score = s AND id > pk),
    # with a leading range so the (status, -priority_score, id) index is sought, not scanned.
    return qs.filter(priority_score__lte=score).filter(Q(priority_score__lt=score) | Q(pk__gt=pk))


def _key_of(pk: int | None) -> tuple[Decimal, datetime | None, int] | None:
    # The cursor is the last shown card's id, its sort values read here: a cursor carrying the
    # score would show it to stakeholders, who never see the figures (it is one primary-key read).
    if not pk:
        return None
    row = Opportunity.objects.filter(pk=pk).values_list("priority_score", "shipped_at").first()
    return (row[0], row[1], pk) if row else None


def roadmap_column(
    *, viewer: Any, status: str, after: int | None = None, limit: int = ROADMAP_PAGE_SIZE, total: int | None = None
) -> RoadmapColumn:
    """One page of a roadmap column, after the card `after` (keyset: the same cost at any depth).

    One query for the cards (plus one primary-key read of the cursor card after the first page).
    It reads a row more than shown to know whether a next page follows, or, when the column's
    `total` cannot tell how big that page is, the whole next page: a count of what follows would
    sort the shipped column a second time. A cursor card that no longer exists means the column's
    first page. Stakeholders get no figures.
    """
    show_figures = is_product_side(viewer)
    key = _key_of(after)
    qs = _roadmap_base().filter(status=status)
    page = _after(qs, status, key) if key else qs
    known = total is not None and key is None
    rows = list(page.order_by(*_column_order(status))[: limit + 1 if known else 2 * limit + 1])
    cards = [
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
        for o in rows[:limit]
    ]
    if len(rows) <= limit:
        return RoadmapColumn(status, cards, total=total, next_after=None, next_count=0)
    following = (total or 0) - limit if known else len(rows) - limit
    return RoadmapColumn(status, cards, total=total, next_after=cards[-1].pk, next_count=min(limit, following))


def roadmap_totals() -> dict[str, int]:
    """How many opportunities each roadmap column holds: one grouped count on the status index."""
    rows = (
        Opportunity.objects.filter(status__in=ROADMAP_COLUMNS).values_list("status").annotate(n=Count("id")).order_by()
    )
    return dict(rows)


def roadmap(*, viewer: Any, per_column: int = ROADMAP_PAGE_SIZE) -> dict[str, RoadmapColumn]:
    """Now / next / later / shipped: each column's first cards and its total.

    Five queries whatever the data (the totals, then one page per column): the page shows the same
    number of cards at 10k and at 1M feedbacks; "Show more" loads the rest column by column.
    """
    totals = roadmap_totals()
    return {
        column: roadmap_column(viewer=viewer, status=column, limit=per_column, total=totals.get(column, 0))
        for column in ROADMAP_COLUMNS
    }


OPPORTUNITY_CHOICES_LIMIT = 200


def open_opportunities() -> QuerySet[Opportunity]:
    """Opportunities feedback can still be linked to (validation set of the pickers)."""
    return Opportunity.objects.exclude(status=OpportunityStatus.SHIPPED).order_by("-priority_score", "id")


def opportunity_choices() -> list[tuple[Any, str]]:
    """What the pickers list: the best-ranked open opportunities, titles only."""
    rows = open_opportunities().values_list("pk", "title")[:OPPORTUNITY_CHOICES_LIMIT]
    return [("", "—"), *rows]
