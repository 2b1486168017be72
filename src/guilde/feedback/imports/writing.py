"""An import's one pass: rows checked and written in bulk as they are read, all-or-nothing.

The rows come from `validation.validated_chunks` (parsed, cleaned and checked), so each is
turned into the feedback's column values by `services.intake.feedback_values` — the function
`build_feedback` uses, so an imported row is the row a form would have saved — and from there
straight into database values: no model instance, no ORM compilation per row. A second thread
writes each chunk (multi-row INSERT on SQLite, COPY on PostgreSQL) while this one checks and
prepares the next; the search index follows through the table's own triggers / generated column.
"""

from __future__ import annotations

import itertools
import queue
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection, connections
from django.db.models import Field
from django.utils import timezone

from guilde.core import search
from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.imports.parsing import _Resolver
from guilde.feedback.imports.validation import Report
from guilde.feedback.models import FEEDBACK_SEARCH_INDEX, CustomerAccount, Feedback, ImportJob, StatusChange
from guilde.feedback.services import FeedbackData
from guilde.feedback.services.intake import _submitter_team, feedback_values

#: Parameters per INSERT statement (SQLite allows 32,766): ~850 feedback rows, 5,000 history rows.
_MAX_PARAMETERS = 30000
#: SQLite page cache of the import's connection while it writes, in KiB (the default is 2 MB).
#: A 100,000-row import updates every leaf page of a dozen indexes of a 1M-row table: with the
#: default cache each page is read and written again many times, and dirty pages spill into the
#: write-ahead log in the middle of the transaction. The cache is given back afterwards.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024
#: Distinct JSON / decimal values whose database form is kept (tags, links, quality gaps, ARR
#: figures repeat a lot); cleared when full so memory stays bounded.
_PREPARED_CACHE_SIZE = 20000
_FEEDBACK_VALUE_FIELDS = frozenset(
    {
        "title",
        "problem",
        "evidence",
        "links",
        "account_id",
        "contact_name",
        "segment_id",
        "plan",
        "arr",
        "currency",
        "impact",
        "product_area_id",
        "source",
        "language",
        "tags",
        "quality_score",
        "quality_missing",
        "external_id",
        "received_at",
    }
)
#: Field types whose Python value is already what the driver takes.
_PLAIN_FIELDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def _memoised(prepare: Callable[[Any], Any], key: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        k = key(value)
        try:
            return cache[k]
        except KeyError:
            if len(cache) >= _PREPARED_CACHE_SIZE:
                cache.clear()
            prepared = cache[k] = prepare(value)
            return prepared

    return convert


class _FeedbackRows:
    """Turns `feedback_values` dicts into INSERT parameters for every concrete Feedback column.

    Columns the import does not set take their model default, prepared once; the timestamps of
    `auto_now`/`auto_now_add` are the time of the statement, like `save()` would stamp them.
    """

    def __init__(self, *, actor_id: int | None, team: str) -> None:
        db = connections[connection.alias]  # the real wrapper: the `connection` proxy costs a lookup per use
        self.db = db
        fields = [f for f in Feedback._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
        self.columns = tuple(str(f.column) for f in fields)
        self.template: list[Any] = []
        self.plain: list[tuple[int, str]] = []
        self.converted: list[tuple[int, str, Callable[[Any], Any]]] = []
        self.stamped: list[int] = []
        fixed = {"submitter_id": actor_id, "last_changed_by_id": actor_id, "submitter_team": team}
        for position, field in enumerate(fields):
            self.template.append(None)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.stamped.append(position)
            elif field.attname in fixed:
                self.template[position] = fixed[field.attname]
            elif field.attname in _FEEDBACK_VALUE_FIELDS:
                kind = field.get_internal_type()
                if kind in _PLAIN_FIELDS:
                    self.plain.append((position, field.attname))
                elif kind == "DateTimeField":
                    self.converted.append((position, field.attname, db.ops.adapt_datetimefield_value))
                elif kind == "JSONField":
                    self.converted.append((position, field.attname, self._prepared(field, key=_json_key)))
                else:
                    self.converted.append((position, field.attname, self._prepared(field, key=_same)))
            else:
                default = field.get_db_prep_save(field.get_default(), db)
                # A choices default is an enum member: the drivers take the plain string.
                self.template[position] = str(default) if isinstance(default, str) else default

    def _prepared(self, field: Field, *, key: Callable[[Any], Any]) -> Callable[[Any], Any]:
        db = self.db
        return _memoised(lambda value: field.get_db_prep_save(value, db), key)

    def rows(self, items: list[dict[str, Any]]) -> list[list[Any]]:
        stamp = self.db.ops.adapt_datetimefield_value(timezone.now())
        template = self.template
        for position in self.stamped:
            template[position] = stamp
        plain, converted = self.plain, self.converted
        rows = []
        for values in items:
            row = template.copy()
            for position, name in plain:
                row[position] = values[name]
            for position, name, convert in converted:
                row[position] = convert(values[name])
            rows.append(row)
        return rows


def _json_key(value: Any) -> Any:
    # Lists of strings (links, tags, rubric keys); anything else is prepared each time.
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return object()


def _same(value: Any) -> Any:
    return value


def _insert(db: Any, table: str, columns: tuple[str, ...], rows: list[list[Any]], *, returning: str = "") -> list[Any]:
    """SQLite: multi-row INSERTs of ready database values; the `returning` column of each row, in order.

    The statements go straight to the driver's own `execute`, with its `?` marks: Django's
    wrapper would first rewrite every `%s` of each ~100 KB statement (~10 % of the writing).
    """
    qn = db.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    row_marks = "(" + ", ".join(["?"] * len(columns)) + ")"
    per_statement = _MAX_PARAMETERS // len(columns)
    tail = f" RETURNING {qn(returning)}" if returning else ""
    returned: list[Any] = []
    with db.cursor() as cursor:
        driver_cursor = cursor.cursor
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            sqlite3.Cursor.execute(
                driver_cursor,
                f"INSERT INTO {qn(table)} ({names}) VALUES {', '.join([row_marks] * len(batch))}{tail}",  # noqa: S608
                [value for row in batch for value in row],
            )
            if returning:
                returned += [r[0] for r in driver_cursor.fetchall()]
    return returned


def _copy(db: Any, table: str, columns: tuple[str, ...], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: the rows streamed with COPY … FROM STDIN, formatted by psycopg's C code.

    A multi-row INSERT of 800 rows carries ~28,000 parameters that the driver adapts and binds
    one by one: on PostgreSQL that was more client CPU than the server's own work.
    """
    qn = db.ops.quote_name
    with (
        db.cursor() as cursor,
        cursor.cursor.copy(f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _next_ids(db: Any, table: str, count: int) -> list[int]:
    """PostgreSQL: `count` new primary keys of `table`, taken from its sequence (COPY returns none)."""
    with db.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [pk for (pk,) in cursor.fetchall()]


@contextmanager
def _import_cache() -> Iterator[None]:
    """A large SQLite page cache on this connection for the duration of the writes."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _already_imported(db: Any, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (source, external_id) pairs are already in the table."""
    if not keys:
        return set()
    sources = sorted({s for s, _e in keys})
    external_ids = [e for _s, e in keys]
    qn = db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn('source')}, {qn('external_id')} FROM {qn(Feedback._meta.db_table)} "  # noqa: S608
            f"WHERE {qn('source')} IN ({', '.join(['%s'] * len(sources))}) "
            f"AND {qn('external_id')} IN ({', '.join(['%s'] * len(external_ids))}) "
            # The unique index's own condition, spelled the same: without it SQLite cannot use
            # that partial index and walks every row of the sources (0.8 s per chunk at 1M rows).
            f"AND NOT ({qn('external_id')} = '')",
            [*sources, *external_ids],
        )
        return {(source, external_id) for source, external_id in cursor.fetchall()}


class _BackgroundWriter:
    """Runs `write(batch)` for each submitted batch on a second thread, in order, on `db`.

    The database does its part (index updates, the search index) while this thread prepares the
    next chunk in Python: the drivers release the GIL while a statement runs, so SQLite's work
    and PostgreSQL's round trips overlap the preparation instead of following it. Same
    connection, so the same transaction; only the writer uses it while it runs. At most two
    batches wait (bounded memory). The first error stops the writing and is raised on leaving
    the `with` block (or at the next `submit`).
    """

    def __init__(self, db: Any, write: Callable[[Any], None]) -> None:
        self.db = db
        self.write = write
        self.waiting: queue.Queue[Any] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="guilde-import-writer", daemon=True)

    def __enter__(self) -> _BackgroundWriter:
        self.db.inc_thread_sharing()
        self.thread.start()
        return self

    def _run(self) -> None:
        while True:
            batch = self.waiting.get()
            if batch is _DONE:
                return
            if self.error is None:
                try:
                    self.write(batch)
                except BaseException as exc:  # handed to the submitting thread, which raises it
                    self.error = exc

    def submit(self, batch: Any) -> None:
        if self.error is not None:
            raise self.error
        self._put(batch)

    def _put(self, batch: Any) -> None:
        # Never wait forever on a writer that is gone.
        while True:
            try:
                self.waiting.put(batch, timeout=1)
                return
            except queue.Full:
                if not self.thread.is_alive():
                    raise RuntimeError("the import's writer thread stopped") from self.error

    def __exit__(self, *exc_info: object) -> None:
        if self.thread.is_alive():
            self._put(_DONE)
        self.thread.join()
        self.db.dec_thread_sharing()
        if self.error is not None and exc_info[0] is None:
            raise self.error


_DONE = object()


def _known_accounts(resolver: _Resolver, names: set[str]) -> None:
    """Every account the file names, in `resolver`: those missing are created (in the caller's
    transaction), so checking the rows needs no query while the writer thread uses the connection."""
    for batch in itertools.batched(sorted(names), 1000):
        resolver.load_accounts(set(batch))
    # One account per spelling folded; the name it takes is the same whatever the set's order.
    missing: dict[str, str] = {}
    for name in sorted(names):
        if name.casefold() not in resolver.accounts:
            missing.setdefault(name.casefold(), name)
    if missing:
        CustomerAccount.objects.bulk_create(
            [CustomerAccount(name=n, search_name=k) for k, n in missing.items()], batch_size=500
        )
        for batch in itertools.batched(sorted(missing), 1000):
            resolver.load_accounts(set(batch))


def _import_pass(
    job: ImportJob, names: set[str], resolver: _Resolver, chunks: Iterator[list[FeedbackData]], report: Report
) -> tuple[int, int]:
    """Writes the valid rows `chunks` yields (`validation.validated_chunks` on `resolver`) in the
    caller's transaction: (created, skipped as already imported). Stops at the first chunk with a
    bad row (`report.errors`): the caller rolls back what was written, at once — on SQLite the
    transaction holds the only write lock — and reads the rest of the file for the report."""
    db = connections[connection.alias]  # the real wrapper, shared with the writer thread
    criteria = selectors.active_criteria()
    policy = selectors.get_policy()
    now = timezone.now()
    actor_id = job.created_by_id
    team = _submitter_team(job.created_by) if job.created_by is not None else ""
    _known_accounts(resolver, names)
    feedback_rows = _FeedbackRows(actor_id=actor_id, team=team)
    feedback_table, history_table = Feedback._meta.db_table, StatusChange._meta.db_table
    history_columns = ("feedback_id", "actor_id", "at", "from_status", "to_status", "note")
    new = FeedbackStatus.NEW.value
    # The KPI aggregates of every row, summed in memory (one cell per day and dimension, not per
    # row) and written once at the end, in the same transaction.
    process_sla_s, resolve_sla_s = aggregates.sla_seconds(policy)
    kpis = aggregates.Accumulator(process_sla_s=process_sla_s, resolve_sla_s=resolve_sla_s)
    # One counter per thread: `+=` on a shared one is not atomic.
    counts = {"created": 0, "already": 0, "repeated": 0}
    # Rows found already imported by the writer: their KPI contribution, counted ahead by this
    # thread (already-imported rows are rare: only a file imported again has them), is taken back.
    taken_back: list[dict[str, Any]] = []
    received_column = feedback_rows.columns.index("received_at")
    copy = db.vendor == "postgresql"

    def write(batch: tuple[list[dict[str, Any]], list[list[Any]]]) -> None:
        items, rows = batch
        already = _already_imported(db, {(v["source"], v["external_id"]) for v in items if v["external_id"]})
        if already:
            known = [bool(v["external_id"]) and (v["source"], v["external_id"]) in already for v in items]
            taken_back.extend(v for v, skip in zip(items, known, strict=True) if skip)
            counts["already"] += sum(known)
            items = [v for v, skip in zip(items, known, strict=True) if not skip]
            rows = [row for row, skip in zip(rows, known, strict=True) if not skip]
        if not rows:
            return
        if copy:
            ids = _next_ids(db, feedback_table, len(rows))
            _copy(
                db,
                feedback_table,
                ("id", *feedback_rows.columns),
                ([pk, *row] for pk, row in zip(ids, rows, strict=True)),
            )
        else:
            ids = _insert(db, feedback_table, feedback_rows.columns, rows, returning="id")
        # The first history row of each, at its received_at (already in database form in the row).
        history = [[pk, actor_id, row[received_column], "", new, ""] for pk, row in zip(ids, rows, strict=True)]
        if copy:
            _copy(db, history_table, history_columns, history)
        else:
            _insert(db, history_table, history_columns, history)
        counts["created"] += len(items)

    # A new feedback counts in the KPIs by its received day, source, area and quality alone (it
    # has no other date yet): rows alike are counted together, then added once per kind.
    tz = aggregates.zone()
    kinds: Counter[tuple[date, str, int | None, int]] = Counter()

    def kind(values: dict[str, Any]) -> tuple[date, str, int | None, int]:
        day = values["received_at"].astimezone(tz).date()
        return (day, values["source"], values["product_area_id"], values["quality_score"])

    def kpi_state(day: date, source: str, area_id: int | None, quality_score: int) -> aggregates.KpiState:
        return aggregates.KpiState(
            received_at=aggregates.day_start(day),
            processed_at=None,
            resolved_at=None,
            declined_at=None,
            status=new,
            source=source,
            product_area_id=area_id,
            submitter_team=team,
            quality_score=quality_score,
        )

    seen: set[tuple[str, str]] = set()
    # (The writer thread is joined before the search index takes in the new rows.)
    with _import_cache(), search.bulk_insertion(FEEDBACK_SEARCH_INDEX, db), _BackgroundWriter(db, write) as writer:
        for chunk in chunks:
            if report.errors:
                break
            items: list[dict[str, Any]] = []
            for data in chunk:
                key = (data.source, data.external_id)
                if data.external_id and key in seen:
                    counts["repeated"] += 1
                    continue
                seen.add(key)
                items.append(feedback_values(data, criteria=criteria, now=now))
            writer.submit((items, feedback_rows.rows(items)))
            kinds.update(map(kind, items))
    if report.errors:
        return 0, 0
    kinds.subtract(map(kind, taken_back))
    for (day, source, area_id, quality_score), times in kinds.items():
        if times:
            kpis.add(kpi_state(day, source, area_id, quality_score), times)
    aggregates.apply(kpis)
    return counts["created"], counts["already"] + counts["repeated"]
