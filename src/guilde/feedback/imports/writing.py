"""Pass 2 of an import: fast multi-row inserts and the all-or-nothing commit."""

from __future__ import annotations

import operator
from typing import Any

from django.db import connection, connections
from django.db.models import Model
from django.utils import timezone

from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.imports._common import CHUNK, _rows
from guilde.feedback.imports.parsing import _Resolver, _to_data
from guilde.feedback.imports.presets import map_row, mapping_for
from guilde.feedback.models import CustomerAccount, Feedback, ImportJob, StatusChange
from guilde.feedback.services import build_feedback, validate_feedback_data

#: Fields whose Python value is already what the driver takes (no conversion per row).
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
#: Rows per INSERT statement (SQLite allows 32,766 parameters; Feedback has ~36 columns).
_INSERT_ROWS = 800


def _insert_rows(model: type[Model], objects: list[Any]) -> None:
    """Inserts model instances with multi-row INSERT … RETURNING id and sets their pk.

    Same rows as `bulk_create` (same columns, defaults already on the instances, auto_now set,
    values prepared by each field when they need it), without Django compiling every value of
    every row through the ORM: that compilation was half of the import's time.
    """
    if not objects:
        return
    meta = model._meta
    db = connections[connection.alias]  # the real wrapper: the `connection` proxy costs a lookup per use
    fields = [f for f in meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
    converters: list[Any] = []
    for field in fields:
        kind = field.get_internal_type()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            converters.append(lambda obj, f=field: f.get_db_prep_save(f.pre_save(obj, True), db))
        elif kind in _PLAIN_FIELDS:
            converters.append(operator.attrgetter(field.attname))
        else:
            converters.append(lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), db))
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _INSERT_ROWS):
            batch = objects[start : start + _INSERT_ROWS]
            params = [convert(obj) for obj in batch for convert in converters]
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([row_marks] * len(batch))} "  # noqa: S608
                f"RETURNING {qn(str(pk.column))}",
                params,
            )
            for obj, (new_pk,) in zip(batch, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_pk)
                obj._state.adding = False
                obj._state.db = connection.alias


def _insert_values(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERT of ready database values (no RETURNING: the ids are not needed)."""
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = 30000 // len(columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES {', '.join([row_marks] * len(batch))}",  # noqa: S608
                [value for row in batch for value in row],
            )


def _commit_pass(job: ImportJob, unknown_accounts: set[str]) -> tuple[int, int]:
    """Writes every row in the caller's transaction: (created, skipped as already imported)."""
    resolver = _Resolver()
    mapping = mapping_for(job)
    criteria = selectors.active_criteria()
    policy = selectors.get_policy()
    now = timezone.now()
    actor_id = job.created_by_id
    adapt_at = connections[connection.alias].ops.adapt_datetimefield_value
    team = ""
    if job.created_by is not None:
        from guilde.feedback.services.intake import _submitter_team

        team = _submitter_team(job.created_by)
    if unknown_accounts:
        names = {n.casefold(): n for n in unknown_accounts}
        existing = set(
            CustomerAccount.objects.filter(search_name__in=list(names)).values_list("search_name", flat=True)
        )
        CustomerAccount.objects.bulk_create(
            [CustomerAccount(name=n, search_name=k) for k, n in names.items() if k not in existing], batch_size=500
        )
    created = skipped = 0
    seen: set[tuple[str, str]] = set()
    chunk: list[dict[str, str]] = []

    def flush() -> None:
        nonlocal created, skipped
        resolver.load_accounts({m.get("account", "") for m in chunk})
        items: list[Feedback] = []
        for mapped in chunk:
            data, _problems = _to_data(mapped, job, resolver)
            validate_feedback_data(data, policy=policy)
            key = (data.source, data.external_id)
            if data.external_id and key in seen:
                skipped += 1
                continue
            seen.add(key)
            items.append(build_feedback(data, submitter=job.created_by, team=team, criteria=criteria, now=now))
        keyed = {(f.source, f.external_id) for f in items if f.external_id}
        already: set[tuple[str, str]] = set()
        if keyed:
            sources = {s for s, _e in keyed}
            ids = [e for _s, e in keyed]
            already = set(
                Feedback.objects.filter(source__in=sources, external_id__in=ids).values_list("source", "external_id")
            )
        fresh = [f for f in items if not (f.external_id and (f.source, f.external_id) in already)]
        skipped += len(items) - len(fresh)
        _insert_rows(Feedback, fresh)
        aggregates.record(after=[aggregates.state_of(f) for f in fresh], policy=policy)
        # The first history row of each: plain tuples, no model instance per row.
        _insert_values(
            StatusChange,
            ("feedback_id", "actor_id", "at", "from_status", "to_status", "note"),
            [(f.pk, actor_id, adapt_at(f.received_at), "", FeedbackStatus.NEW.value, "") for f in fresh],
        )
        created += len(fresh)
        chunk.clear()

    for _line, row in _rows(job):
        chunk.append(map_row(row, mapping))
        if len(chunk) >= CHUNK:
            flush()
    flush()
    return created, skipped
