# ruff: noqa: S608 -- table and column names come from SearchIndex declarations in code; values are parameters.
"""Creating and dropping an index (from a migration), and indexing a bulk insertion in one statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from guilde.core.search.index import SearchIndex


def install_statements(index: SearchIndex, vendor: str) -> list[str]:
    cols = ", ".join(index.columns)
    if vendor == "sqlite":
        fts, table = index.fts_table, index.table
        new_values = ", ".join(f"new.{c}" for c in index.columns)
        old_values = ", ".join(f"old.{c}" for c in index.columns)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
            f"tokenize='unicode61 remove_diacritics 2', detail={index.detail}, columnsize={int(index.columnsize)})",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old_values}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new_values}); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
            # One segment instead of the dozens a bulk rebuild leaves: every query word opens an
            # iterator per segment (a pass over 4 words opens up to 12). ~1 s at 1M rows.
            f"INSERT INTO {fts}({fts}) VALUES ('optimize')",
        ]
    if vendor == "postgresql":
        document = " || ' ' || ".join(f"coalesce({c}, '')" for c in index.columns)
        statements = [
            f"ALTER TABLE {index.table} ADD COLUMN IF NOT EXISTS {index.vector_column} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {document})) STORED",
            f"CREATE INDEX IF NOT EXISTS {index.table}_fts_idx ON {index.table} USING gin ({index.vector_column})",
        ]
        if index.trigram_column:
            # The operators only: the trigram fallback compares the newest rows read by primary
            # key, which never uses a trigram index, while each insert would add ~40 postings to
            # one (feedback migration 0005 drops the index earlier versions created).
            statements.append("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return statements
    return []


def uninstall_statements(index: SearchIndex, vendor: str) -> list[str]:
    if vendor == "sqlite":
        fts = index.fts_table
        return [
            f"DROP TRIGGER IF EXISTS {fts}_ai",
            f"DROP TRIGGER IF EXISTS {fts}_ad",
            f"DROP TRIGGER IF EXISTS {fts}_au",
            f"DROP TABLE IF EXISTS {fts}",
        ]
    if vendor == "postgresql":
        statements = [f"DROP INDEX IF EXISTS {index.table}_fts_idx"]
        if index.trigram_column:
            statements.append(f"DROP INDEX IF EXISTS {index.table}_{index.trigram_column}_trgm_idx")
        statements.append(f"ALTER TABLE {index.table} DROP COLUMN IF EXISTS {index.vector_column}")
        return statements
    return []


@contextmanager
def bulk_insertion(index: SearchIndex, db: Any) -> Iterator[None]:
    """Rows inserted into `index.table` inside the block are indexed by one statement at its end.

    SQLite: the insert trigger runs once per row, a third of an import's search-index cost. The
    trigger is dropped for the block and created again after one `INSERT … SELECT` of the new
    rows. This must run in a transaction holding SQLite's write lock (the project's
    `transaction_mode` is IMMEDIATE): no other connection can write meanwhile, readers keep
    seeing the committed schema, and a rollback restores the trigger. Only inserts: rows updated
    or deleted in the block would still go through their own triggers. PostgreSQL: nothing to
    do, the generated column follows each row.
    """
    if db.vendor != "sqlite":
        yield
        return
    if not db.in_atomic_block:
        raise RuntimeError("bulk_insertion needs a transaction")
    fts, table, cols = index.fts_table, index.table, ", ".join(index.columns)
    insert_trigger = install_statements(index, "sqlite")[1]
    with db.cursor() as cursor:
        # New rows get ids above the current largest (AUTOINCREMENT, and this transaction is the only writer).
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        (top,) = cursor.fetchone()
        cursor.execute(f"DROP TRIGGER {fts}_ai")
    try:
        yield
    finally:
        with db.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {cols} FROM {table} WHERE id > %s",
                [top],
            )
            cursor.execute(insert_trigger)


def install_index(schema_editor: Any, index: SearchIndex) -> None:
    for statement in install_statements(index, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def uninstall_index(schema_editor: Any, index: SearchIndex) -> None:
    for statement in uninstall_statements(index, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def rebuild_sqlite_fts(schema_editor: Any, old: SearchIndex, new: SearchIndex) -> None:
    """Replaces an SQLite FTS5 table by one with other options, rebuilt from the rows (a migration
    step; PostgreSQL has nothing to change). ~10 s at 1M rows."""
    if schema_editor.connection.vendor != "sqlite":
        return
    uninstall_index(schema_editor, old)
    install_index(schema_editor, new)
