"""Feedback process KPIs: received / processed / resolved / declined, lead times, SLA, backlog, quality.

Two ways to the same numbers, chosen per call by `use_aggregates()`:

- **Exact, from the rows** while the base is small (at most EXACT_MAX_ROWS feedbacks) or the
  aggregate tables are empty: indexed range queries on the denormalised timestamps
  (received_at, processed_at, resolved_at, declined_at) that the services keep in step with the
  StatusChange history. Percentiles are linear-interpolation percentiles (PostgreSQL's
  percentile_cont; on SQLite the two neighbouring values are fetched with ORDER BY … LIMIT 2
  OFFSET k and interpolated, which gives exactly the same numbers).
- **From the pre-aggregated tables** (guilde.feedback.aggregates) above that: a 12-month window
  reads ~12 month rows and the day rows at its edges per dimension. The page's windows are whole
  days (`whole_days`: up to today's local midnight) and backlog ages are counted in whole days,
  so it reads no feedback row and costs the same at 10k or 1M feedbacks; a window cut inside a
  day (another caller's) still gets its partial days' figures from the rows. Counts are
  exact. Days, weeks and months are those of the TIME_ZONE setting. Percentiles come from
  log-spaced histograms (8 buckets per doubling): within ~9 % in the worst case, typically
  under 2 % (measured at 1M in bench/RESULTS.md). SLA lateness uses the policy's current SLA
  (a change of SLA rebuilds the aggregates in the background worker).
"""

from __future__ import annotations

import math
import zoneinfo
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from guilde.feedback import aggregates
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import Feedback, KpiLeadTime, KpiStat, ProductArea
from guilde.feedback.selectors import get_policy

PERIODS = {"week": TruncWeek, "month": TruncMonth}
DIMENSIONS = {"source": "source", "team": "submitter_team", "area": "product_area__name_en"}
EVENTS = {
    "received": "received_at",
    "processed": "processed_at",
    "resolved": "resolved_at",
    "declined": "declined_at",
}
LEAD_TIMES = {"process": "processed_at", "resolve": "resolved_at"}
BACKLOG_BUCKETS = ((0, 7), (7, 30), (30, 90), (90, None))


def _exact_throughput(*, start: datetime, end: datetime, period: str = "week") -> list[dict[str, Any]]:
    """Rows {period, received, processed, resolved, declined}, oldest first, one indexed range query per event."""
    trunc = PERIODS[period]
    table: dict[Any, dict[str, Any]] = {}
    for event, column in EVENTS.items():
        rows = (
            Feedback.objects.filter(**{f"{column}__gte": start, f"{column}__lt": end})
            .annotate(p=trunc(column, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)))
            .values("p")
            .annotate(n=Count("pk"))
            .order_by("p")
        )
        for row in rows:
            key = row["p"].date() if hasattr(row["p"], "date") else row["p"]
            table.setdefault(key, {"period": key, **dict.fromkeys(EVENTS, 0)})[event] = row["n"]
    return [table[k] for k in sorted(table)]


def _exact_breakdown(*, dimension: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per source, team or area: received, processed, resolved, declined among feedback received in the window."""
    column = DIMENSIONS[dimension]
    rows = (
        Feedback.objects.filter(received_at__gte=start, received_at__lt=end)
        .values(column)
        .annotate(
            received=Count("pk"),
            processed=Count("pk", filter=Q(processed_at__isnull=False)),
            resolved=Count("pk", filter=Q(status=FeedbackStatus.RESOLVED)),
            declined=Count("pk", filter=Q(status=FeedbackStatus.DECLINED)),
        )
        .order_by("-received")
    )
    return [{"key": r[column] or "", **{k: r[k] for k in EVENTS}} for r in rows]


def _duration_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({column} - received_at)) / 3600.0"
    return f"(julianday({column}) - julianday(received_at)) * 24.0"


def _exact_percentiles(
    *, kind: str, start: datetime, end: datetime, points: tuple[float, ...] = (0.5, 0.9)
) -> dict[str, Any]:
    """Lead time in hours from receipt to processing or resolution, for feedback processed/resolved
    in the window: count, then each percentile (None when there is no data)."""
    column = LEAD_TIMES[kind]
    table = Feedback._meta.db_table
    duration = _duration_sql(column)
    where = f"{column} >= %s AND {column} < %s"
    result: dict[str, Any] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            selects = ", ".join(f"percentile_cont({p}) WITHIN GROUP (ORDER BY {duration})" for p in points)
            cursor.execute(f"SELECT COUNT(*), {selects} FROM {table} WHERE {where}", [start, end])  # noqa: S608
            row = cursor.fetchone()
            result["count"] = row[0]
            for p, value in zip(points, row[1:], strict=True):
                result[f"p{round(p * 100)}"] = None if value is None else round(float(value), 4)
            return result
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", [start, end])  # noqa: S608
        count = cursor.fetchone()[0]
        result["count"] = count
        for p in points:
            if not count:
                result[f"p{round(p * 100)}"] = None
                continue
            position = p * (count - 1)
            low = math.floor(position)
            cursor.execute(
                f"SELECT {duration} AS d FROM {table} WHERE {where} ORDER BY d LIMIT 2 OFFSET %s",  # noqa: S608
                [start, end, low],
            )
            values = [float(v[0]) for v in cursor.fetchall()]
            fraction = position - low
            value = values[0] if len(values) == 1 or fraction == 0 else values[0] + (values[1] - values[0]) * fraction
            result[f"p{round(p * 100)}"] = round(value, 4)
    return result


@dataclass
class Kpis:
    start: datetime
    end: datetime
    period: str
    series: list[dict[str, Any]]
    by_source: list[dict[str, Any]]
    by_team: list[dict[str, Any]]
    by_area: list[dict[str, Any]]
    time_to_process: dict[str, Any]
    time_to_resolve: dict[str, Any]
    sla_breaches: dict[str, int]
    backlog: list[dict[str, Any]]
    quality: dict[str, Any] = field(default_factory=dict)


def _exact_sla_breaches(*, start: datetime, end: datetime, now: datetime) -> dict[str, int]:
    """Processed late within the window, and still waiting beyond the SLA right now."""
    policy = get_policy()
    table = Feedback._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE processed_at >= %s AND processed_at < %s "  # noqa: S608
            f"AND {_duration_sql('processed_at')} > %s",
            [start, end, policy.processing_sla_days * 24],
        )
        processed_late = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE resolved_at >= %s AND resolved_at < %s "  # noqa: S608
            f"AND {_duration_sql('resolved_at')} > %s",
            [start, end, policy.resolution_sla_days * 24],
        )
        resolved_late = cursor.fetchone()[0]
    waiting = Feedback.objects.filter(
        status=FeedbackStatus.NEW, received_at__lt=_overdue_before(now, policy.processing_sla_days)
    ).count()
    return {"processed_late": processed_late, "resolved_late": resolved_late, "waiting_overdue": waiting}


def _overdue_before(now: datetime, sla_days: int) -> datetime:
    """Received before this, still new: waiting longer than the SLA, in whole days (received on day
    d, overdue from day d + SLA + 1 on)."""
    return aggregates.day_start(aggregates.local_day(now) - timedelta(days=sla_days))


def _age_range(now: datetime, low: int, high: int | None) -> tuple[datetime | None, datetime]:
    """[start, end) of the feedback received `low` to `high` whole days ago (today is day 0)."""
    today = aggregates.local_day(now)
    end = aggregates.day_start(today - timedelta(days=low - 1))
    start = aggregates.day_start(today - timedelta(days=high - 1)) if high is not None else None
    return start, end


def _exact_backlog_age(*, now: datetime) -> list[dict[str, Any]]:
    """New (unprocessed) feedback by age bucket, in one conditional-aggregate query on (status, received_at)."""
    counts_by = {}
    for low, high in BACKLOG_BUCKETS:
        start, end = _age_range(now, low, high)
        condition = Q(received_at__lt=end)
        if start is not None:
            condition &= Q(received_at__gte=start)
        counts_by[f"b{low}"] = Count("pk", filter=condition)
    counts = Feedback.objects.filter(status=FeedbackStatus.NEW).aggregate(**counts_by)
    return [{"from_days": low, "to_days": high, "count": counts[f"b{low}"]} for low, high in BACKLOG_BUCKETS]


def _exact_quality_share(*, start: datetime, end: datetime) -> dict[str, Any]:
    bar = get_policy().quality_bar
    counts = Feedback.objects.filter(received_at__gte=start, received_at__lt=end).aggregate(
        total=Count("pk"), useful=Count("pk", filter=Q(quality_score__gte=bar))
    )
    total = counts["total"] or 0
    return {
        "bar": bar,
        "total": total,
        "useful": counts["useful"] or 0,
        "percent": round(100 * counts["useful"] / total, 1) if total else None,
    }


#: Up to this many feedbacks, KPIs are computed exactly from the rows (a few ms at that size).
EXACT_MAX_ROWS = 5000


#: Within one kpis() call, the rows of each partial day are read once and shared by every figure.
_partials: ContextVar[dict[Any, aggregates.Accumulator] | None] = ContextVar("kpi_partials", default=None)


def _partial_cells(window: aggregates.Window) -> aggregates.Accumulator:
    cache = _partials.get()
    key = tuple(window.partial)
    if cache is not None and key in cache:
        return cache[key]
    cells = aggregates.partial_cells(window)
    if cache is not None:
        cache[key] = cells
    return cells


def _new_count(start: datetime | None, end: datetime) -> int:
    """Feedback still new, received in [start, end): stored whole days plus the partial days' rows."""
    window = aggregates.split(start, end)
    stored = aggregates.grouped(_stat_totals("all", window).items())[""]
    partial = 0
    for a, b in window.partial:
        partial += Feedback.objects.filter(status=FeedbackStatus.NEW, received_at__gte=a, received_at__lt=b).count()
    return stored[0] - stored[1] + partial


def use_aggregates() -> bool:
    """Aggregates once the base is larger than EXACT_MAX_ROWS, and only when they have been built."""
    if not KpiStat.objects.exists():
        return False
    return Feedback.objects.all()[: EXACT_MAX_ROWS + 1].count() > EXACT_MAX_ROWS


def _stat_condition(window: aggregates.Window, *, months: bool = True) -> Q | None:
    """The stored rows covering the window's whole days and months (None: there are none)."""
    ranges: list[tuple[str, date, date]] = [("d", a, b) for a, b in window.days]
    if window.months and months:
        ranges.append(("m", *window.months))
    if not ranges:
        return None
    condition = Q()
    for grain, a, b in ranges:
        condition |= Q(grain=grain, day__gte=a, day__lt=b)
    return condition


def _stat_rows(dimension: str, window: aggregates.Window, *, months: bool = True) -> list[tuple[Any, Any, list[int]]]:
    """(day, key, counts) of the stored rows covering the window's whole days and months."""
    condition = _stat_condition(window, months=months)
    if condition is None:
        return []
    rows = KpiStat.objects.filter(condition, dimension=dimension).values_list("day", "key", *aggregates.STAT_COLUMNS)
    return [(row[0], row[1], list(row[2:])) for row in rows]


_SUMS = {f"sum_{column}": Sum(column) for column in aggregates.STAT_COLUMNS}


def _stat_totals(dimension: str, window: aggregates.Window) -> dict[str, list[int]]:
    """Counts per key over the window's whole days and months, added up by the database.

    The day rows at a window's edges multiply with the base's density (at 1M every team has a row
    on every day: ~1,200 team rows for 12 months against ~600 at 10k); summed in SQL, Python sees
    one row per key, a number the base's size does not change."""
    condition = _stat_condition(window)
    if condition is None:
        return {}
    rows = (
        KpiStat.objects.filter(condition, dimension=dimension)
        .values("key")
        .annotate(**_SUMS)
        .order_by()
        .values_list("key", *_SUMS)
    )
    return {row[0]: [int(value or 0) for value in row[1:]] for row in rows}


def _cohort(dimension: str, start: datetime | None, end: datetime) -> dict[str, list[int]]:
    window = aggregates.split(start, end)
    partial = _partial_cells(window)
    stored = list(_stat_totals(dimension, window).items())
    extra = [
        (cell_key[4], counts)
        for cell_key, counts in partial.nonzero()
        if cell_key[0] == "s" and cell_key[3] == dimension
    ]
    return aggregates.grouped(stored + extra)


def _period_of(day: date, period: str) -> date:
    return day.replace(day=1) if period == "month" else day - timedelta(days=day.weekday())


def throughput(
    *, start: datetime, end: datetime, period: str = "week", exact: bool | None = None
) -> list[dict[str, Any]]:
    """Rows {period, received, processed, resolved, declined}, oldest first."""
    if not (use_aggregates() if exact is None else not exact):
        return _exact_throughput(start=start, end=end, period=period)
    period = period if period in PERIODS else "week"
    window = aggregates.split(start, end, use_months=False)
    by_day = [(day, counts) for day, _key, counts in _stat_rows("event", window)]
    by_day += [
        (cell_key[2], counts)
        for cell_key, counts in _partial_cells(window).nonzero()
        if cell_key[0] == "s" and cell_key[3] == "event"
    ]
    table: dict[date, dict[str, Any]] = {}
    for day, counts in by_day:
        key = _period_of(day, period)
        row = table.setdefault(key, {"period": key, **dict.fromkeys(EVENTS, 0)})
        for i, event in enumerate(EVENTS):
            row[event] += counts[i]
    return [table[k] for k in sorted(table) if any(table[k][e] for e in EVENTS)]


def breakdown(*, dimension: str, start: datetime, end: datetime, exact: bool | None = None) -> list[dict[str, Any]]:
    """Per source, team or area: received, processed, resolved, declined among feedback received in the window."""
    if not (use_aggregates() if exact is None else not exact):
        return _exact_breakdown(dimension=dimension, start=start, end=end)
    stored = _cohort(dimension, start, end)
    if dimension == "area":
        ids = [int(k) for k in stored if k]
        names = dict(ProductArea.objects.filter(pk__in=ids).values_list("pk", "name_en"))
        stored = aggregates.grouped((names.get(int(k), "") if k else "", v) for k, v in stored.items())
    ordered = sorted(((k, c) for k, c in stored.items() if c[0]), key=lambda kc: (-kc[1][0], kc[0]))
    return [{"key": key, **{e: counts[i] for i, e in enumerate(EVENTS)}} for key, counts in ordered]


def _histogram_percentiles(histogram: dict[int, int], points: tuple[float, ...]) -> dict[str, Any]:
    count = sum(histogram.values())
    result: dict[str, Any] = {"count": count}
    buckets = sorted((b, n) for b, n in histogram.items() if n > 0)
    for p in points:
        name = f"p{round(p * 100)}"
        if not count:
            result[name] = None
            continue
        rank = p * (count - 1)
        seen = 0
        value = 0.0
        for bucket, n in buckets:
            if rank < seen + n:
                low, high = aggregates.bucket_bounds(bucket)
                fraction = (rank - seen + 0.5) / n
                # Durations are roughly log-normal: interpolate geometrically inside the bucket.
                value = low + (high - low) * fraction if low <= 0 else low * (high / low) ** fraction
                break
            seen += n
        else:
            value = aggregates.bucket_bounds(buckets[-1][0])[1]
        result[name] = round(value / 3600.0, 4)
    return result


def percentiles(
    *,
    kind: str,
    start: datetime,
    end: datetime,
    points: tuple[float, ...] = (0.5, 0.9),
    exact: bool | None = None,
) -> dict[str, Any]:
    """Lead time in hours from receipt to processing or resolution, for feedback processed/resolved
    in the window: count, then each percentile (None when there is no data)."""
    if not (use_aggregates() if exact is None else not exact):
        return _exact_percentiles(kind=kind, start=start, end=end, points=points)
    if kind not in LEAD_TIMES:
        raise KeyError(kind)
    window = aggregates.split(start, end)
    ranges: list[tuple[str, date, date]] = [("d", a, b) for a, b in window.days]
    if window.months:
        ranges.append(("m", *window.months))
    histogram: dict[int, int] = {}
    if ranges:
        condition = Q()
        for grain, a, b in ranges:
            condition |= Q(grain=grain, day__gte=a, day__lt=b)
        rows = (
            KpiLeadTime.objects.filter(condition, kind=kind)
            .values("bucket")
            .annotate(n=Sum("count"))
            .values_list("bucket", "n")
        )
        histogram = dict(rows)
    for cell_key, counts in _partial_cells(window).nonzero():
        if cell_key[0] == "h" and cell_key[3] == kind:
            histogram[cell_key[4]] = histogram.get(cell_key[4], 0) + counts[0]
    return _histogram_percentiles(histogram, points)


def sla_breaches(*, start: datetime, end: datetime, now: datetime, exact: bool | None = None) -> dict[str, int]:
    """Processed late within the window, and still waiting beyond the SLA right now."""
    if not (use_aggregates() if exact is None else not exact):
        return _exact_sla_breaches(start=start, end=end, now=now)
    policy = get_policy()
    window = aggregates.split(start, end)
    late = aggregates.grouped(_stat_totals("event", window).items())[""]
    for cell_key, counts in _partial_cells(window).nonzero():
        if cell_key[0] == "s" and cell_key[3] == "event":
            late = [a + b for a, b in zip(late, counts, strict=True)]
    waiting = _new_count(None, _overdue_before(now, policy.processing_sla_days))
    return {"processed_late": late[4], "resolved_late": late[5], "waiting_overdue": waiting}


def backlog_age(*, now: datetime, exact: bool | None = None) -> list[dict[str, Any]]:
    """New (unprocessed) feedback by age in whole days (TIME_ZONE calendar; today is day 0)."""
    if not (use_aggregates() if exact is None else not exact):
        return _exact_backlog_age(now=now)
    return [
        {"from_days": low, "to_days": high, "count": _new_count(*_age_range(now, low, high))}
        for low, high in BACKLOG_BUCKETS
    ]


def quality_share(*, start: datetime, end: datetime, exact: bool | None = None) -> dict[str, Any]:
    if not (use_aggregates() if exact is None else not exact):
        return _exact_quality_share(start=start, end=end)
    bar = get_policy().quality_bar
    by_score = _cohort("quality", start, end)
    total = sum(c[0] for c in by_score.values())
    useful = sum(c[0] for k, c in by_score.items() if k and int(k) >= bar)
    return {"bar": bar, "total": total, "useful": useful, "percent": round(100 * useful / total, 1) if total else None}


def whole_days(*, days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the last `days` whole days before today in the TIME_ZONE calendar: from a
    local midnight to today's. The aggregates are per local day, so such a window is read from
    them alone; one ending at `now` would also read today's feedback rows, ~900 at 1M."""
    today = aggregates.local_day(now or timezone.now())
    return aggregates.day_start(today - timedelta(days=days)), aggregates.day_start(today)


def kpis(
    *, start: datetime | None = None, end: datetime | None = None, period: str = "week", now: datetime | None = None
) -> Kpis:
    """Everything the KPIs page shows, for a window (default: the last 365 whole days)."""
    now = now or timezone.now()
    if end is None:
        default_start, end = whole_days(days=365, now=now)
        start = start or default_start
    elif start is None:
        start = end - timedelta(days=365)
    period = period if period in PERIODS else "week"
    exact = not use_aggregates()
    token = _partials.set({})
    try:
        return _bundle(start=start, end=end, period=period, now=now, exact=exact)
    finally:
        _partials.reset(token)


def _bundle(*, start: datetime, end: datetime, period: str, now: datetime, exact: bool) -> Kpis:
    return Kpis(
        start=start,
        end=end,
        period=period,
        series=throughput(start=start, end=end, period=period, exact=exact),
        by_source=breakdown(dimension="source", start=start, end=end, exact=exact),
        by_team=breakdown(dimension="team", start=start, end=end, exact=exact),
        by_area=breakdown(dimension="area", start=start, end=end, exact=exact),
        time_to_process=percentiles(kind="process", start=start, end=end, exact=exact),
        time_to_resolve=percentiles(kind="resolve", start=start, end=end, exact=exact),
        sla_breaches=sla_breaches(start=start, end=end, now=now, exact=exact),
        backlog=backlog_age(now=now, exact=exact),
        quality=quality_share(start=start, end=end, exact=exact),
    )
