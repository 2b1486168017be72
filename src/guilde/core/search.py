# ruff: noqa: S608 -- table and column names come from SearchIndex declarations in code; values are parameters.
"""Similar-item search behind one small, backend-agnostic API.

SQLite: an external-content FTS5 table over the indexed columns, kept in sync by triggers, ranked
with bm25. PostgreSQL: a stored generated `tsvector` column with a GIN index (full text, 'simple'
configuration so French and English both work), plus a `pg_trgm` GIN index on the title for
near-identical wording. Both are bounded by the index and a LIMIT: a lookup never scans the table.

A domain declares a `SearchIndex` once, installs it from a migration (`install_index`), and
calls `similar(queryset, text)`: the index gives ranked candidate ids, then the domain's own
queryset (already filtered to what the viewer may see) keeps the visible ones, in rank order.

`core` imports no domain: everything here is keyed by table and column names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

# Words too common in either language to say anything about similarity.
STOP_WORDS = frozenset(
    """
    a an and are as at be been but by can could do does for from has have how i if in into is it its
    me my no not of on or our so that the their them then there these they this to too us was we
    were what when where which who why will with would you your should cannot cant dont doesnt want
    wants need needs customer customers client clients user users please also just like get
    au aux avec ce ces cette dans de des du elle en est et être il ils je la le les leur lui ma mais
    me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te
    tes toi ton tu un une vos votre vous ça été sont ont fait faire peut peuvent veut veulent plus
    sans très aussi comme avoir tout tous toutes besoin
    """.split()  # noqa: SIM905
)
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
#: How many of the newest matches are ranked; bounds the cost of queries made of common words.
CANDIDATES = 2000


@dataclass(frozen=True)
class SearchIndex:
    """A full-text index over some text columns of one table."""

    table: str
    columns: tuple[str, ...]
    trigram_column: str | None = None

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def vector_column(self) -> str:
        return "search_vector"


def fold(text: str) -> str:
    """Lower-cased and without accents ("Léa" → "lea"): the form names are sorted and matched in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_tokens(text: str, *, limit: int = 8) -> list[str]:
    """The few words of `text` worth searching for: folded, no stop words, longest (rarest) first.

    Tokens are plain `\\w+` runs, so no query syntax of either backend can get through.
    """
    seen: dict[str, int] = {}
    for position, word in enumerate(_TOKEN_RE.findall(fold(text or ""))):
        if len(word) < 3 or word.isdigit() or word in STOP_WORDS or word in seen:
            continue
        seen[word] = position
    ranked = sorted(seen, key=lambda w: (-len(w), seen[w]))[:limit]
    return sorted(ranked, key=lambda w: seen[w])


def fts5_query(tokens: list[str], *, operator: str = "OR") -> str:
    """An FTS5 MATCH expression with every token double-quoted (no operator injection)."""
    quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
    return f" {operator} ".join(quoted)


def tsquery(tokens: list[str], *, operator: str = "|") -> str:
    # Tokens are \w+ only; the quoting still guards against a lexeme being read as syntax.
    return f" {operator} ".join("'" + token.replace("'", "") + "'" for token in tokens)


# --- installing an index (from a migration) -------------------------------------------------


def install_statements(index: SearchIndex, vendor: str) -> list[str]:
    cols = ", ".join(index.columns)
    if vendor == "sqlite":
        fts, table = index.fts_table, index.table
        new_values = ", ".join(f"new.{c}" for c in index.columns)
        old_values = ", ".join(f"old.{c}" for c in index.columns)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old_values}); "
            f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new_values}); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]
    if vendor == "postgresql":
        document = " || ' ' || ".join(f"coalesce({c}, '')" for c in index.columns)
        statements = [
            f"ALTER TABLE {index.table} ADD COLUMN IF NOT EXISTS {index.vector_column} tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {document})) STORED",
            f"CREATE INDEX IF NOT EXISTS {index.table}_fts_idx ON {index.table} USING gin ({index.vector_column})",
        ]
        if index.trigram_column:
            statements += [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                f"CREATE INDEX IF NOT EXISTS {index.table}_{index.trigram_column}_trgm_idx ON {index.table} "
                f"USING gin ({index.trigram_column} gin_trgm_ops)",
            ]
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


def install_index(schema_editor: Any, index: SearchIndex) -> None:
    for statement in install_statements(index, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def uninstall_index(schema_editor: Any, index: SearchIndex) -> None:
    for statement in uninstall_statements(index, schema_editor.connection.vendor):
        schema_editor.execute(statement)


# --- querying -------------------------------------------------------------------------------


def ranked_ids(index: SearchIndex, text: str, *, limit: int = 10) -> list[int]:
    """Ids of the rows most similar to `text`, best first, at most `limit`.

    All tokens must match first; when that finds too few, any token may match. Either way only
    the newest `CANDIDATES` matches are ranked (bm25 / ts_rank), so the cost is bounded whatever
    the words: recent feedback is what a duplicate usually duplicates. PostgreSQL adds trigram
    matches on the title.
    """
    tokens = search_tokens(text)
    if not tokens or limit <= 0:
        return []
    vendor = connection.vendor
    found: list[int] = []
    with connection.cursor() as cursor:
        operators = ("AND", "OR") if len(tokens) > 1 else ("AND",)
        for operator in operators:
            if vendor == "sqlite":
                fts = index.fts_table
                # Rank only the newest CANDIDATES matches: the rowid floor is pushed into FTS5,
                # so a query of common words costs the same at 10k or 1M rows.
                match = fts5_query(tokens, operator=operator)
                cursor.execute(
                    f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s AND rowid >= COALESCE("
                    f"(SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0) "
                    "ORDER BY rank LIMIT %s",
                    [match, match, CANDIDATES, limit],
                )
            elif vendor == "postgresql":
                pg_operator = "&" if operator == "AND" else "|"
                vector = index.vector_column
                cursor.execute(
                    f"WITH q AS (SELECT to_tsquery('simple', %s) AS query), "
                    f"candidates AS (SELECT id, {vector} AS v FROM {index.table}, q WHERE {vector} @@ q.query "
                    "ORDER BY id DESC LIMIT %s) "
                    "SELECT id FROM candidates, q ORDER BY ts_rank(v, q.query) DESC, id DESC LIMIT %s",
                    [tsquery(tokens, operator=pg_operator), CANDIDATES, limit],
                )
            else:
                return []
            for (pk,) in cursor.fetchall():
                if pk not in found:
                    found.append(pk)
            if len(found) >= limit:
                break
        if vendor == "postgresql" and index.trigram_column and len(found) < limit:
            column = index.trigram_column
            cursor.execute(
                f"SELECT id FROM {index.table} WHERE {column} %% %s ORDER BY {column} <-> %s LIMIT %s",
                [text[:200], text[:200], limit],
            )
            for (pk,) in cursor.fetchall():
                if pk not in found:
                    found.append(pk)
    return found[:limit]


def similar[M: Model](queryset: QuerySet[M], index: SearchIndex, text: str, *, limit: int = 5) -> list[M]:
    """The rows of `queryset` most similar to `text`, best first.

    Candidates come from the index (a few times `limit`, so rows the queryset filters out —
    not visible to the viewer, wrong status — still leave enough), then one query by primary key.
    """
    ids = ranked_ids(index, text, limit=limit * 4)
    if not ids:
        return []
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows][:limit]
