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
CANDIDATES = 1000


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


#: How many tokens of the typed text are searched: the rarest ones say the most and cost the least.
QUERY_TOKENS = 4
#: Document frequencies are counted up to this many rows (SQLite): a bounded probe per token.
DF_CAP = 50000
#: PostgreSQL: a pass whose estimated matches exceed this many rows reads only the newest
#: `RECENT_WINDOW` rows by primary key instead of building a GIN bitmap of all of them.
PG_MAX_GIN_ROWS = 3000
RECENT_WINDOW = 5000
#: PostgreSQL: characters of the text compared by trigrams when no word matched.
TRIGRAM_PROBE = 80

_df_cache: dict[tuple[str, str, str], int] = {}
_DF_CACHE_SIZE = 20000
#: Only frequent words' counts are cached (per process): they barely change as rows come in.
DF_CACHE_MIN = 200
_pg_stats_cache: dict[tuple[str, str], tuple[float, float, dict[str, float], float]] = {}
PG_STATS_TTL = 600.0


def rarest_tokens(tokens: list[str], frequencies: dict[str, int | float], *, limit: int = QUERY_TOKENS) -> list[str]:
    """The `limit` rarest of `tokens` by document frequency (longest first on ties), in text order.

    Tokens known to match nothing (frequency 0) are dropped: they would empty every AND query.
    A token missing from `frequencies` counts as rare only by its length.
    """
    order = {token: position for position, token in enumerate(tokens)}
    known = [t for t in tokens if frequencies.get(t, 1) != 0]
    ranked = sorted(known, key=lambda t: (frequencies.get(t, 0), -len(t), order[t]))[:limit]
    return sorted(ranked, key=order.__getitem__)


def _sqlite_frequencies(cursor: Any, index: SearchIndex, tokens: list[str]) -> dict[str, int]:
    """Document frequency of each token, counted up to `DF_CAP` (a bounded doclist walk).

    fts5vocab would give exact counts but walks a word's whole doclist (~100 ms for a word in
    40 % of 1M rows); the capped count costs at most `DF_CAP` postings.
    """
    fts = index.fts_table
    found: dict[str, int] = {}
    for token in tokens:
        key = ("sqlite", fts, token)
        if key not in _df_cache:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH %s LIMIT %s)",
                [fts5_query([token]), DF_CAP],
            )
            count = cursor.fetchone()[0]
            if count < DF_CACHE_MIN:
                # Rare words are cheap to count again, and a new one may appear at any time.
                found[token] = count
                continue
            if len(_df_cache) >= _DF_CACHE_SIZE:
                _df_cache.clear()
            _df_cache[key] = count
        found[token] = _df_cache[key]
    return found


def _pg_frequencies(cursor: Any, index: SearchIndex, tokens: list[str]) -> tuple[dict[str, float], float]:
    """Estimated matching rows per token and the table's row estimate, from the planner statistics.

    ANALYZE keeps the most common lexemes of a tsvector column and their frequencies in
    `pg_stats`; a lexeme not among them is rarer than the rarest listed one. Read once per
    `PG_STATS_TTL` seconds per process, so a query costs no extra statement most of the time.
    """
    import time

    key = (index.table, index.vector_column)
    cached = _pg_stats_cache.get(key)
    if cached is None or time.monotonic() - cached[0] > PG_STATS_TTL:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s AND attname = %s",
            [index.table, index.vector_column],
        )
        row = cursor.fetchone()
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [index.table])
        rows = max(float(cursor.fetchone()[0] or 0), 0.0)
        elems: dict[str, float] = {}
        floor = 0.0
        if row and row[0] and row[1]:
            elems = dict(zip(row[0], row[1], strict=False))
            floor = min(row[1][: len(row[0])] or [0.0])
        cached = (time.monotonic(), floor, elems, rows)
        _pg_stats_cache[key] = cached
    _at, floor, elems, rows = cached
    # Unlisted lexemes: rarer than the rarest listed one. Never 0: an estimate is not a proof that
    # a word matches nothing (that would drop it from the query), and equal estimates fall back
    # to length as the rarity proxy.
    return {t: max(elems.get(t, floor / 2) * rows, 0.5) for t in tokens}, rows


def ranked_ids(index: SearchIndex, text: str, *, limit: int = 10) -> list[int]:
    """Ids of the rows most similar to `text`, best first, at most `limit`.

    Only the `QUERY_TOKENS` rarest words of the text are searched (document frequency from a
    bounded FTS5 probe on SQLite, from the planner's lexeme statistics on PostgreSQL): common
    words match a large share of the rows and say little. All of them must match first; when that
    finds too few, any may match. Either way only the newest `CANDIDATES` matches are ranked
    (bm25 / ts_rank), so the cost is bounded whatever the words: recent feedback is what a
    duplicate usually duplicates. PostgreSQL falls back to trigram matches on the newest titles
    when no word matched.
    """
    tokens = search_tokens(text)
    if not tokens or limit <= 0:
        return []
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return []
    found: list[int] = []
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            frequencies: dict[str, Any] = _sqlite_frequencies(cursor, index, tokens)
            rows_estimate = 0.0
        else:
            frequencies, rows_estimate = _pg_frequencies(cursor, index, tokens)
        chosen = rarest_tokens(tokens, frequencies)
        # The OR pass leaves out the common words when rarer ones exist: the newest rows matching
        # "export" would otherwise crowd out older rows matching the distinctive words.
        rare = [t for t in chosen if frequencies.get(t, 0) < DF_CAP] or chosen
        passes = [("AND", chosen)] if chosen else []
        if len(chosen) > 1:
            passes.append(("OR", rare))
        for operator, words in passes:
            if vendor == "sqlite":
                fts = index.fts_table
                # FTS5 walks the doclists newest first and stops at CANDIDATES: a query of common
                # words costs the same at 10k or 1M rows. bm25 ranks only those.
                cursor.execute(
                    f"SELECT rowid FROM (SELECT rowid, bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH %s "
                    "ORDER BY rowid DESC LIMIT %s) ORDER BY score, rowid DESC LIMIT %s",
                    [fts5_query(words, operator=operator), CANDIDATES, limit],
                )
            else:
                pg_operator = "&" if operator == "AND" else "|"
                counts = [frequencies.get(t, 0.0) for t in words]
                estimate = min(counts) if operator == "AND" else sum(counts)
                vector = index.vector_column
                if estimate <= PG_MAX_GIN_ROWS or rows_estimate <= RECENT_WINDOW:
                    source = f"SELECT id, {vector} AS v FROM {index.table}, q WHERE {vector} @@ q.query"
                    params: list[Any] = [tsquery(words, operator=pg_operator), CANDIDATES, limit]
                else:
                    # Common words: match within the newest rows only, read by primary key.
                    source = (
                        f"SELECT id, v FROM (SELECT id, {vector} AS v FROM {index.table} ORDER BY id DESC "
                        "LIMIT %s) recent, q WHERE v @@ q.query"
                    )
                    params = [tsquery(words, operator=pg_operator), RECENT_WINDOW, CANDIDATES, limit]
                cursor.execute(
                    f"WITH q AS (SELECT to_tsquery('simple', %s) AS query), "
                    f"candidates AS MATERIALIZED ({source} ORDER BY id DESC LIMIT %s) "
                    "SELECT id FROM candidates, q ORDER BY ts_rank(v, q.query) DESC, id DESC LIMIT %s",
                    params,
                )
            for (pk,) in cursor.fetchall():
                if pk not in found:
                    found.append(pk)
            if len(found) >= limit:
                break
        if vendor == "postgresql" and index.trigram_column and not found:
            # Near-identical wording (typos, word fragments) when no word matched at all. Bounded
            # like the word passes: the newest rows by primary key, a short probe. Through the
            # trigram GIN index, common trigrams cost a posting list of most rows (~0.5 s at 1M).
            column = index.trigram_column
            probe = text[:TRIGRAM_PROBE]
            cursor.execute(
                f"SELECT id FROM (SELECT id, {column} AS c FROM {index.table} ORDER BY id DESC LIMIT %s) recent "
                "WHERE c %% %s ORDER BY c <-> %s, id DESC LIMIT %s",
                [RECENT_WINDOW, probe, probe, limit],
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
