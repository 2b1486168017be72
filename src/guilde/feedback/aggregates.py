"""Pre-aggregated KPI tables: what each feedback contributes, kept in step by the services.

Every feedback contributes a few counts, computed from its current state by `contributions`:

- on the day it was received / processed / resolved / declined: +1 to that day's "event" row
  (and +1 `processed_late` / `resolved_late` when it took longer than the policy's SLA);
- on the day it was received: +1 to its cohort rows ("all", its source, area, team, quality
  score), with `processed`, `resolved`, `declined` telling its current state;
- on the day it was processed / resolved: +1 to the lead-time histogram bucket of its duration.

Each count goes to a day row and to a month row (grain "d" and "m"), days in the TIME_ZONE
setting's calendar, so a 12-month window reads ~12 month rows plus the days at its edges.

A write service takes the state of the feedback it changes before and after (`state_of`), and
`record(before=…, after=…)` applies the difference as upserts, in the service's transaction, so
the tables are never out of step with the rows. Bulk loads (the benchmark generator, a restore)
call `rebuild()` (`manage.py rebuild_kpi_aggregates`), which recomputes everything from the rows
with the same `contributions` function. SLA lateness is judged with the policy's current SLA:
changing an SLA schedules a rebuild (see services.update_policy).

Lead-time buckets are log-spaced: bucket 0 holds durations up to one minute, bucket b > 0
durations in (1 min x 2^((b-1)/8), 1 min x 2^(b/8)]: 8 buckets per doubling, each ~9 % wide. A
percentile read from the histogram (interpolated geometrically inside its bucket) is within
that bucket, i.e. at most ~9 % off, typically under 2 %. See guilde.feedback.kpis for when exact
percentiles are computed instead.
"""

from __future__ import annotations

import math
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import Feedback, KpiLeadTime, KpiStat

BUCKETS_PER_DOUBLING = 8
BUCKET_BASE_SECONDS = 60.0
#: Columns of a KpiStat row, in the order of the count vectors below.
STAT_COLUMNS = ("received", "processed", "resolved", "declined", "processed_late", "resolved_late")
COHORT_DIMENSIONS = ("all", "source", "area", "team", "quality")
STATE_FIELDS = (
    "received_at",
    "processed_at",
    "resolved_at",
    "declined_at",
    "status",
    "source",
    "product_area_id",
    "submitter_team",
    "quality_score",
)
_UPSERT_BATCH = 200


@dataclass(frozen=True)
class KpiState:
    """What the KPIs read of one feedback."""

    received_at: datetime
    processed_at: datetime | None
    resolved_at: datetime | None
    declined_at: datetime | None
    status: str
    source: str
    product_area_id: int | None
    submitter_team: str
    quality_score: int


def state_of(feedback: Feedback) -> KpiState:
    return KpiState(
        received_at=feedback.received_at,
        processed_at=feedback.processed_at,
        resolved_at=feedback.resolved_at,
        declined_at=feedback.declined_at,
        status=feedback.status,
        source=feedback.source,
        product_area_id=feedback.product_area_id,
        submitter_team=feedback.submitter_team or "",
        quality_score=int(feedback.quality_score or 0),
    )


def with_changes(state: KpiState, **changes: Any) -> KpiState:
    return replace(state, **changes)


# --- buckets and calendar -------------------------------------------------------------------


def bucket_of(seconds: float) -> int:
    if seconds <= BUCKET_BASE_SECONDS:
        return 0
    return max(1, math.ceil(math.log2(seconds / BUCKET_BASE_SECONDS) * BUCKETS_PER_DOUBLING - 1e-9))


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """(low, high] of a bucket, in seconds."""
    if bucket <= 0:
        return 0.0, BUCKET_BASE_SECONDS
    return (
        BUCKET_BASE_SECONDS * 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING),
        BUCKET_BASE_SECONDS * 2 ** (bucket / BUCKETS_PER_DOUBLING),
    )


@lru_cache(maxsize=4)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def zone() -> zoneinfo.ZoneInfo:
    """The calendar the aggregates count days in (the TIME_ZONE setting)."""
    return _zone(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone())


# --- contributions --------------------------------------------------------------------------

# A contribution: (table, dimension or kind, key or bucket, moment, counts).
Contribution = tuple[str, str, Any, datetime, tuple[int, ...]]


def contributions(
    state: KpiState, *, process_sla_s: float, resolve_sla_s: float, only: str = ""
) -> Iterator[Contribution]:
    """What one feedback counts for; `only` keeps the contributions dated by one timestamp column
    (received_at, processed_at, resolved_at, declined_at)."""
    received = state.received_at
    processed, resolved, declined = state.processed_at, state.resolved_at, state.declined_at
    if not only or only == "received_at":
        yield ("s", "event", "", received, (1, 0, 0, 0, 0, 0))
        cohort = (
            1,
            int(processed is not None),
            int(state.status == FeedbackStatus.RESOLVED),
            int(state.status == FeedbackStatus.DECLINED),
            0,
            0,
        )
        yield ("s", "all", "", received, cohort)
        yield ("s", "source", state.source, received, cohort)
        yield ("s", "area", str(state.product_area_id or ""), received, cohort)
        yield ("s", "team", state.submitter_team[:120], received, cohort)
        yield ("s", "quality", str(state.quality_score), received, cohort)
    if processed is not None and (not only or only == "processed_at"):
        lead = (processed - received).total_seconds()
        yield ("s", "event", "", processed, (0, 1, 0, 0, int(lead > process_sla_s), 0))
        yield ("h", "process", bucket_of(lead), processed, (1,))
    if resolved is not None and (not only or only == "resolved_at"):
        lead = (resolved - received).total_seconds()
        yield ("s", "event", "", resolved, (0, 0, 1, 0, 0, int(lead > resolve_sla_s)))
        yield ("h", "resolve", bucket_of(lead), resolved, (1,))
    if declined is not None and (not only or only == "declined_at"):
        yield ("s", "event", "", declined, (0, 0, 0, 1, 0, 0))


def sla_seconds(policy: Any = None) -> tuple[float, float]:
    if policy is None:
        from guilde.feedback.selectors import get_policy

        policy = get_policy()
    return policy.processing_sla_days * 86400.0, policy.resolution_sla_days * 86400.0


class Accumulator:
    """Sums contributions per (table, grain, day, dimension, key)."""

    def __init__(self, *, process_sla_s: float, resolve_sla_s: float, months: bool = True) -> None:
        self.process_sla_s, self.resolve_sla_s, self.months = process_sla_s, resolve_sla_s, months
        # (table, grain, day, dimension, key, counts) → signed multiplicity: one dict increment per
        # contribution; the count vectors are folded once, in nonzero().
        self.cells: dict[tuple, int] = defaultdict(int)
        self._months: dict[date, date] = {}

    def add(self, state: KpiState, sign: int = 1, only: str = "") -> None:
        tz = zone()
        cells, months = self.cells, self._months
        for table, dimension, key, moment, counts in contributions(
            state, process_sla_s=self.process_sla_s, resolve_sla_s=self.resolve_sla_s, only=only
        ):
            day = moment.astimezone(tz).date()
            cells[(table, "d", day, dimension, key, counts)] += sign
            if self.months:
                month = months.get(day)
                if month is None:
                    month = months[day] = day.replace(day=1)
                cells[(table, "m", month, dimension, key, counts)] += sign

    def nonzero(self) -> Iterator[tuple[tuple[str, str, date, str, Any], list[int]]]:
        folded: dict[tuple[str, str, date, str, Any], list[int]] = {}
        for (table, grain, day, dimension, key, counts), times in self.cells.items():
            if not times:
                continue
            cell = folded.get((table, grain, day, dimension, key))
            if cell is None:
                folded[(table, grain, day, dimension, key)] = [c * times for c in counts]
            else:
                for i, c in enumerate(counts):
                    cell[i] += c * times
        for cell_key in sorted(folded, key=lambda k: (k[0], k[3], k[1], k[2], str(k[4]))):
            counts = folded[cell_key]
            if any(counts):
                yield cell_key, counts


# --- writing --------------------------------------------------------------------------------


def _upsert(table: str, key_columns: tuple[str, ...], value_columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = key_columns + value_columns
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{qn(c)} = {qn(table)}.{qn(c)} + excluded.{qn(c)}" for c in value_columns)
    head = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES "  # noqa: S608 -- names from code
    tail = f" ON CONFLICT ({', '.join(qn(c) for c in key_columns)}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), _UPSERT_BATCH):
            batch = rows[i : i + _UPSERT_BATCH]
            params = [value for row in batch for value in row]
            cursor.execute(head + ", ".join([placeholder] * len(batch)) + tail, params)


def apply(accumulator: Accumulator) -> None:
    stats, leads = [], []
    for (table, grain, day, dimension, key), counts in accumulator.nonzero():
        if table == "s":
            stats.append((dimension, grain, day.isoformat(), key, *counts))
        else:
            leads.append((dimension, grain, day.isoformat(), key, counts[0]))
    _upsert(KpiStat._meta.db_table, ("dimension", "grain", "day", "key"), STAT_COLUMNS, stats)
    _upsert(KpiLeadTime._meta.db_table, ("kind", "grain", "day", "bucket"), ("count",), leads)


def record(*, before: Iterable[KpiState] = (), after: Iterable[KpiState] = (), policy: Any = None) -> None:
    """Applies the difference between feedback states to the aggregates (call inside the service's
    transaction, after the rows are written)."""
    before, after = list(before), list(after)
    if not before and not after:
        return
    process_sla_s, resolve_sla_s = sla_seconds(policy)
    accumulator = Accumulator(process_sla_s=process_sla_s, resolve_sla_s=resolve_sla_s)
    for state in before:
        accumulator.add(state, -1)
    for state in after:
        accumulator.add(state, +1)
    apply(accumulator)


def iter_states(*, batch_size: int = 20000) -> Iterator[KpiState]:
    """Every feedback's state, in primary-key batches (bounded memory on 1M rows)."""
    last = 0
    while True:
        rows = list(Feedback.objects.filter(pk__gt=last).order_by("pk").values_list("pk", *STATE_FIELDS)[:batch_size])
        if not rows:
            return
        for row in rows:
            yield KpiState(*row[1:8], row[8] or "", int(row[9] or 0))  # type: ignore[misc,call-arg]
        last = rows[-1][0]


def rebuild(*, progress: Callable[[int], None] | None = None, batch_size: int = 20000) -> dict[str, int]:
    """Recomputes both tables from the feedback rows, in one transaction. Returns row counts."""
    process_sla_s, resolve_sla_s = sla_seconds()
    accumulator = Accumulator(process_sla_s=process_sla_s, resolve_sla_s=resolve_sla_s)
    seen = 0
    for state in iter_states(batch_size=batch_size):
        accumulator.add(state)
        seen += 1
        if progress is not None and seen % batch_size == 0:
            progress(seen)
    stats: list[tuple] = []
    leads: list[tuple] = []
    for (table, grain, day, dimension, key), counts in accumulator.nonzero():
        if table == "s":
            stats.append((grain, day.isoformat(), dimension, key, *counts))
        else:
            leads.append((grain, day.isoformat(), dimension, key, counts[0]))
    qn = connection.ops.quote_name
    stat_columns = ("grain", "day", "dimension", "key", *STAT_COLUMNS)
    lead_columns = ("grain", "day", "kind", "bucket", "count")
    with transaction.atomic(), connection.cursor() as cursor:
        KpiStat.objects.all().delete()
        KpiLeadTime.objects.all().delete()
        for model, columns, rows in ((KpiStat, stat_columns, stats), (KpiLeadTime, lead_columns, leads)):
            sql = (
                f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            for i in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[i : i + 5000])
    return {"feedbacks": seen, "stats": len(stats), "lead_times": len(leads)}


# --- reading helpers (used by guilde.feedback.kpis) -----------------------------------------


@dataclass
class Window:
    """A [start, end) window cut into month rows, day rows and partial days read from the rows."""

    months: tuple[date, date] | None
    days: list[tuple[date, date]]
    partial: list[tuple[datetime, datetime]]


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def split(start: datetime | None, end: datetime, *, use_months: bool = True) -> Window:
    """Cuts a window at local midnights: whole months, whole days, and at most two partial days."""
    partial: list[tuple[datetime, datetime]] = []
    end_day = local_day(end)
    end_midnight = day_start(end_day)
    if end > end_midnight:
        partial.append((max(end_midnight, start) if start else end_midnight, end))
    if start is None:
        first = date(1970, 1, 1)
    else:
        first = local_day(start)
        if start > day_start(first):
            if first == end_day:
                return Window(months=None, days=[], partial=[(start, end)])
            partial.insert(0, (start, day_start(first + timedelta(days=1))))
            first += timedelta(days=1)
    if first >= end_day:
        return Window(months=None, days=[], partial=partial)
    if not use_months:
        return Window(months=None, days=[(first, end_day)], partial=partial)
    month_from = first if first.day == 1 else _next_month(first)
    month_to = end_day.replace(day=1)
    if month_from >= month_to:
        return Window(months=None, days=[(first, end_day)], partial=partial)
    days = [(a, b) for a, b in ((first, month_from), (month_to, end_day)) if a < b]
    return Window(months=(month_from, month_to), days=days, partial=partial)


TIMESTAMP_COLUMNS = ("received_at", "processed_at", "resolved_at", "declined_at")


def raw_states(start: datetime, end: datetime) -> Iterator[tuple[str, KpiState]]:
    """(column, state) of the feedback whose `column` is in [start, end) (a partial day: few rows).

    One indexed range query per timestamp column: an OR of four ranges makes SQLite scan the table.
    """
    for column in TIMESTAMP_COLUMNS:
        found = Feedback.objects.filter(**{f"{column}__gte": start, f"{column}__lt": end}).values_list(*STATE_FIELDS)
        for row in found:
            yield column, KpiState(*row[:7], row[7] or "", int(row[8] or 0))  # type: ignore[misc,call-arg]


def _duration_seconds_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({column} - received_at))"
    return f"(julianday({column}) - julianday(received_at)) * 86400.0"


def partial_cells(window: Window, *, sla: tuple[float, float] | None = None) -> Accumulator:
    """The contributions of the window's partial days, computed from the rows.

    A partial day lies within one local day, so everything it contributes is counted by a few
    grouped queries on the indexed timestamp columns (no row is turned into a model or a state).
    """
    from django.db.models import Count, Q

    process_sla_s, resolve_sla_s = sla or sla_seconds()
    accumulator = Accumulator(process_sla_s=process_sla_s, resolve_sla_s=resolve_sla_s, months=False)
    cells = accumulator.cells
    table = connection.ops.quote_name(Feedback._meta.db_table)
    for a, b in window.partial:
        day = local_day(a)
        received = Feedback.objects.filter(received_at__gte=a, received_at__lt=b)
        groups = (
            received.values("source", "product_area_id", "submitter_team", "quality_score", "status")
            .annotate(n=Count("pk"), processed=Count("pk", filter=Q(processed_at__isnull=False)))
            .order_by()
        )
        for g in groups:
            for done, n in ((1, g["processed"]), (0, g["n"] - g["processed"])):
                if not n:
                    continue
                cohort = (
                    1,
                    done,
                    int(g["status"] == FeedbackStatus.RESOLVED),
                    int(g["status"] == FeedbackStatus.DECLINED),
                    0,
                    0,
                )
                cells[("s", "d", day, "event", "", (1, 0, 0, 0, 0, 0))] += n
                cells[("s", "d", day, "all", "", cohort)] += n
                cells[("s", "d", day, "source", g["source"], cohort)] += n
                cells[("s", "d", day, "area", str(g["product_area_id"] or ""), cohort)] += n
                cells[("s", "d", day, "team", (g["submitter_team"] or "")[:120], cohort)] += n
                cells[("s", "d", day, "quality", str(int(g["quality_score"] or 0)), cohort)] += n
        with connection.cursor() as cursor:
            for column, kind, sla_s, late in (
                ("processed_at", "process", process_sla_s, (0, 1, 0, 0, 1, 0)),
                ("resolved_at", "resolve", resolve_sla_s, (0, 0, 1, 0, 0, 1)),
            ):
                on_time = tuple(c if i < 4 else 0 for i, c in enumerate(late))
                cursor.execute(
                    f"SELECT {_duration_seconds_sql(column)} FROM {table} WHERE {column} >= %s AND {column} < %s",  # noqa: S608
                    [connection.ops.adapt_datetimefield_value(a), connection.ops.adapt_datetimefield_value(b)],
                )
                for (seconds,) in cursor.fetchall():
                    seconds = float(seconds)
                    cells[("s", "d", day, "event", "", late if seconds > sla_s else on_time)] += 1
                    cells[("h", "d", day, kind, bucket_of(seconds), (1,))] += 1
        declined = Feedback.objects.filter(declined_at__gte=a, declined_at__lt=b).count()
        if declined:
            cells[("s", "d", day, "event", "", (0, 0, 0, 1, 0, 0))] += declined
    return accumulator


def grouped(by: Iterable[tuple[Any, Iterable[int]]]) -> dict[Any, list[int]]:
    out: dict[Any, list[int]] = defaultdict(lambda: [0] * len(STAT_COLUMNS))
    for key, counts in by:
        cell = out[key]
        for i, c in enumerate(counts):
            cell[i] += c
    return out
