"""The triage inbox: filters, keyset pagination, submitter teams and counts."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import FEEDBACK_SEARCH_INDEX, Feedback
from guilde.feedback.rules import is_product_side
from guilde.feedback.selectors._common import MAX_PAGE_SIZE, PAGE_SIZE, _inbox_queryset
from guilde.feedback.selectors.config import get_policy
from guilde.feedback.selectors.visibility import visible_feedback

SORTS = {
    "newest": (("-received_at", "-id"), "received_at", True),
    "oldest": (("received_at", "id"), "received_at", False),
    "quality": (("-quality_score", "-id"), "quality_score", True),
    "quality_low": (("quality_score", "id"), "quality_score", False),
    "arr": (("-arr", "-id"), "arr", True),
}
AGE_BUCKETS = {"lt7": (0, 7), "7to30": (7, 30), "30to90": (30, 90), "gt90": (90, None)}


@dataclass
class InboxFilters:
    status: list[str] = field(default_factory=list)
    area: int | None = None
    source: str = ""
    segment: int | None = None
    account: int | None = None
    submitter: int | None = None
    team: str = ""
    age: str = ""
    overdue: bool = False
    quality_min: int | None = None
    quality_max: int | None = None
    q: str = ""
    sort: str = "newest"

    @classmethod
    def from_query(cls, data: Any) -> InboxFilters:
        """Lenient parsing of a GET query (QueryDict or dict): unknown or bad values are ignored."""

        def _get(key: str) -> str:
            value = data.get(key, "") if hasattr(data, "get") else ""
            return str(value or "").strip()

        def _int(key: str) -> int | None:
            try:
                return int(_get(key))
            except ValueError:
                return None

        statuses = data.getlist("status") if hasattr(data, "getlist") else data.get("status", [])
        if isinstance(statuses, str):
            statuses = [statuses]
        sort = _get("sort")
        return cls(
            status=[s for s in statuses if s in FeedbackStatus.values],
            area=_int("area"),
            source=_get("source"),
            segment=_int("segment"),
            account=_int("account"),
            submitter=_int("submitter"),
            team=_get("team"),
            age=_get("age") if _get("age") in AGE_BUCKETS else "",
            overdue=_get("overdue") in {"1", "true", "on", "yes"},
            quality_min=_int("quality_min"),
            quality_max=_int("quality_max"),
            q=_get("q")[:200],
            sort=sort if sort in SORTS else "newest",
        )


@dataclass
class InboxPage:
    items: list[Any]  # Feedback instances (`inbox`) or `InboxRow`s (`inbox_rows`)
    next_cursor: str | None
    filters: InboxFilters


class InboxRow(NamedTuple):
    """What a row of the inbox page shows, read as plain values.

    Fifty model instances with four related ones each were a third of the page's cost; a tuple
    of the columns shown is a tenth of that. Only the inbox page uses these: the API and the
    other lists keep `inbox`'s model instances."""

    pk: int
    title: str
    contact_name: str
    account_name: str | None
    supporter_count: int
    status: str
    product_area_id: int | None
    area_name_en: str | None
    area_name_fr: str | None
    source: str
    quality_score: int
    arr: Decimal
    currency: str
    received_at: datetime


# The columns of an `InboxRow`, in its order.
INBOX_ROW_COLUMNS = (
    "pk",
    "title",
    "contact_name",
    "account__name",
    "supporter_count",
    "status",
    "product_area_id",
    "product_area__name_en",
    "product_area__name_fr",
    "source",
    "quality_score",
    "arr",
    "currency",
    "received_at",
)


def encode_cursor(value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        raw = ["t", value.isoformat(), pk]
    elif isinstance(value, Decimal):
        raw = ["d", str(value), pk]
    else:
        raw = ["i", int(value), pk]
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int] | None:
    """The (value, id) a cursor points after, or None when it is garbage (then page one is shown)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        pk = int(pk)
        if kind == "t":
            parsed = parse_datetime(value)
            return (parsed, pk) if parsed else None
        if kind == "d":
            return Decimal(value), pk
        if kind == "i":
            return int(value), pk
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, InvalidOperation):
        return None
    return None


def filtered_feedback(viewer: Any, filters: InboxFilters, *, now: datetime | None = None) -> QuerySet[Feedback]:
    """The viewer's visible feedback narrowed by the filters (no ordering, no paging)."""
    now = now or timezone.now()
    qs = visible_feedback(viewer)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.area:
        qs = qs.filter(product_area_id=filters.area)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.segment and is_product_side(viewer):
        qs = qs.filter(segment_id=filters.segment)
    if filters.account:
        qs = qs.filter(account_id=filters.account)
    if filters.submitter:
        qs = qs.filter(submitter_id=filters.submitter)
    if filters.team:
        qs = qs.filter(submitter_team=filters.team)
    if filters.age:
        low, high = AGE_BUCKETS[filters.age]
        qs = qs.filter(received_at__lte=now - timedelta(days=low))
        if high is not None:
            qs = qs.filter(received_at__gt=now - timedelta(days=high))
    if filters.overdue:
        policy = get_policy()
        qs = qs.filter(status=FeedbackStatus.NEW, received_at__lt=now - timedelta(days=policy.processing_sla_days))
    if filters.quality_min is not None:
        qs = qs.filter(quality_score__gte=filters.quality_min)
    if filters.quality_max is not None:
        qs = qs.filter(quality_score__lte=filters.quality_max)
    if filters.q:
        ids = _search_ids(filters.q)
        qs = qs.filter(pk__in=ids)
    return qs


def _search_ids(text: str, limit: int = 500) -> list[int]:
    from guilde.core.search import ranked_ids

    return ranked_ids(FEEDBACK_SEARCH_INDEX, text, limit=limit)


def _keyset_page(
    *, viewer: Any, filters: InboxFilters | None, cursor: str, page_size: int
) -> tuple[QuerySet[Feedback], InboxFilters, str, int]:
    """The filtered feedback after the cursor, in the page's order, the key the cursor is built on
    and the page size: what `inbox` and `inbox_rows` read the same way."""
    filters = filters or InboxFilters()
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    order, key, descending = SORTS.get(filters.sort, SORTS["newest"])
    if key == "arr" and not is_product_side(viewer):
        order, key, descending = SORTS["newest"]
    qs = filtered_feedback(viewer, filters)
    after = decode_cursor(cursor)
    if after is not None:
        value, pk = after
        # key <= v AND (key < v OR id < pk): the same rows as key < v OR (key = v AND id < pk), but
        # the leading range lets SQLite and PostgreSQL seek the (…, key, id) index instead of scanning.
        if descending:
            qs = qs.filter(**{f"{key}__lte": value}).filter(Q(**{f"{key}__lt": value}) | Q(pk__lt=pk))
        else:
            qs = qs.filter(**{f"{key}__gte": value}).filter(Q(**{f"{key}__gt": value}) | Q(pk__gt=pk))
    return qs.order_by(*order), filters, key, page_size


def _page(rows: list[Any], *, key: str, page_size: int, filters: InboxFilters) -> InboxPage:
    """The first `page_size` of `rows` (read one more to know whether another page follows)."""
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, key), last.pk)
    return InboxPage(items=rows, next_cursor=next_cursor, filters=filters)


def inbox(
    *, viewer: Any, filters: InboxFilters | None = None, cursor: str = "", page_size: int = PAGE_SIZE
) -> InboxPage:
    """One keyset page of the triage inbox: constant queries (one, plus one for the policy when
    filtering on the SLA) and an index range scan at any depth."""
    qs, filters, key, page_size = _keyset_page(viewer=viewer, filters=filters, cursor=cursor, page_size=page_size)
    rows = list(_inbox_queryset(qs)[: page_size + 1])
    return _page(rows, key=key, page_size=page_size, filters=filters)


def inbox_rows(
    *, viewer: Any, filters: InboxFilters | None = None, cursor: str = "", page_size: int = PAGE_SIZE
) -> InboxPage:
    """The same page as `inbox`, as `InboxRow`s: what the inbox page shows, without model instances."""
    qs, filters, key, page_size = _keyset_page(viewer=viewer, filters=filters, cursor=cursor, page_size=page_size)
    rows = [InboxRow._make(values) for values in qs.values_list(*INBOX_ROW_COLUMNS)[: page_size + 1]]
    return _page(rows, key=key, page_size=page_size, filters=filters)


def submitter_teams() -> list[str]:
    """Distinct submitter teams, by a loose index scan: one seek per team on the (submitter_team, …)
    index instead of reading every row (1.2 s on PostgreSQL at 1M feedbacks, 50 ms on SQLite)."""
    table = Feedback._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE t(team) AS ("  # noqa: S608 -- the table name comes from the model
            f"SELECT MIN(submitter_team) FROM {table} WHERE submitter_team > '' "
            f"UNION ALL SELECT (SELECT MIN(submitter_team) FROM {table} WHERE submitter_team > t.team) "
            "FROM t WHERE t.team IS NOT NULL) "
            "SELECT team FROM t WHERE team IS NOT NULL LIMIT 200"
        )
        return [row[0] for row in cursor.fetchall()]


def inbox_counts(*, now: datetime | None = None) -> dict[str, int]:
    """New feedback, and new feedback past the processing SLA: two indexed counts."""
    now = now or timezone.now()
    policy = get_policy()
    new = Feedback.objects.filter(status=FeedbackStatus.NEW)
    return {
        "new": new.count(),
        "overdue": new.filter(received_at__lt=now - timedelta(days=policy.processing_sla_days)).count(),
        "sla_days": policy.processing_sla_days,
    }
