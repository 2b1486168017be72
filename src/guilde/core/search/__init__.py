"""Similar-item search behind one small, backend-agnostic API.

SQLite: an external-content FTS5 table over the indexed columns, kept in sync by triggers; it
stores rowids only (`detail=none`, `columnsize=0`: no positions, no lengths — nothing here reads
them). PostgreSQL: a stored generated `tsvector` column with a GIN index ('simple' configuration
so French and English both work), plus a `pg_trgm` GIN index on the title for near-identical
wording.

A domain declares a `SearchIndex` once, installs it from a migration (`install_index`), and
calls `similar(queryset, text)`: the index gives ranked candidate ids, then the domain's own
queryset (already filtered to what the viewer may see) keeps the visible ones, in rank order.

Why the cost does not grow with the table (`ranked_ids`):

1. Rarity. Each word's document frequency comes from a probe that reads at most `DF_PROBE`
   postings, newest first (SQLite: below that the count is exact; above, how far back the newest
   matches reach gives the estimate), or from the planner's lexeme statistics (PostgreSQL).
2. Candidates. The index only selects rows, by the `QUERY_TOKENS` rarest words — those with all
   of them, then with all but one, ... then with any — newest first, a bounded number. A pass
   reads the whole index only when its words are rare enough to bound the postings it walks;
   otherwise it reads the newest `WINDOW` rows (SQLite) / `RECENT_WINDOW` rows (PostgreSQL). So
   for wording made of common words, **suggestions come from recent feedback** — what a new
   feedback usually duplicates, and what is still open — while a distinctive word (a product
   term, an error code, a customer's jargon) still finds old rows that have it: on SQLite, a word
   in fewer rows than a pass reads is read alone first when an AND with commoner words would walk
   far more postings than its own (`_passes`).
   SQLite cost, measured at 1M rows: FTS5 decodes the doclist of every word of a pass, ~15-30 ns
   a posting newest first, until it has `CANDIDATES` matches — and an AND that matches few rows
   walks down to its next match whatever the rowid window (the window bounds only the passes that
   match enough rows). So the strict passes over common words still cost 1-3 ms at 1M rows
   (0.1-0.2 ms at 10k). "At least k of the words" is split in halves (`fts5_expression`): each
   word is walked fewer times, by ANDs of pairs — a third less time than every combination's AND.
3. Ranking of at most `CANDIDATES` rows: the share of the typed words a row has, each weighted by
   its rarity, minus a small penalty for a length different from the text's. Only a row with the
   same words and length scores the maximum: an exact duplicate comes first. SQLite: in Python,
   on the candidates' text (`rank_by_overlap`); PostgreSQL: in the same statement, on their
   `tsvector`s. Not bm25: it weighs each word by reading all of its postings on every query, which
   grows with the table.

One job per module: `text` (the words compared), `index` (what a domain declares), `install`
(migrations, bulk insertion), `rarity` (rarest words, weights), `sqlite` and `postgres` (each
backend's candidates and ranking), `tuning` (the numbers above, read at call time).

`core` imports no domain: everything here is keyed by table and column names.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model, QuerySet

from guilde.core.search import tuning
from guilde.core.search.index import SearchIndex
from guilde.core.search.install import (
    bulk_insertion,
    install_index,
    install_statements,
    rebuild_sqlite_fts,
    uninstall_index,
    uninstall_statements,
)
from guilde.core.search.postgres import (
    _pg_ranked,
    _pg_stats_cache,
    _pg_trigram_matches,
    pg_spellings,
    ts_expression,
    tsquery,
)
from guilde.core.search.rarity import _weights, rarest_tokens
from guilde.core.search.sqlite import (
    _df_cache,
    _sqlite_candidates,
    _texts,
    fts5_expression,
    fts5_query,
    rank_by_overlap,
)
from guilde.core.search.text import STOP_WORDS, _tokens, _words, fold, search_tokens

# What migrations, domains, the benchmark and tests import from `guilde.core.search`. The tuning
# numbers are not re-exported: a copy here would not change what the modules read (patch `tuning`).
__all__ = [
    "STOP_WORDS",
    "SearchIndex",
    "_df_cache",
    "_tokens",
    "bulk_insertion",
    "clear_caches",
    "fold",
    "fts5_expression",
    "fts5_query",
    "install_index",
    "install_statements",
    "pg_spellings",
    "rank_by_overlap",
    "ranked_ids",
    "rarest_tokens",
    "rebuild_sqlite_fts",
    "search_tokens",
    "similar",
    "ts_expression",
    "tsquery",
    "tuning",
    "uninstall_index",
    "uninstall_statements",
]


def clear_caches() -> None:
    """Forgets the word statistics read so far (tests; after a bulk load outside the services)."""
    _df_cache.clear()
    _pg_stats_cache.clear()


def ranked_ids(index: SearchIndex, text: str, *, limit: int = 10) -> list[int]:
    """Ids of the rows most similar to `text`, best first, at most `limit` (see the module notes).

    The `QUERY_TOKENS` rarest of the looked-up words select candidates, newest first and bounded:
    rows with all of them, then with all but one, ... then with any (common words left out). Then
    every word of the text ranks them. PostgreSQL falls back to trigram matches on the newest
    titles when no word matched.
    """
    words = _words(text)
    if not words or limit <= 0 or connection.vendor not in ("sqlite", "postgresql"):
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = _pg_ranked(cursor, index, text, limit)
            if found or not index.trigram_column:
                return found
            # Near-identical wording (typos, word fragments) when no word matched at all.
            return _pg_trigram_matches(cursor, index, text, limit)
        candidates, frequencies, rows = _sqlite_candidates(cursor, index, text, limit)
        if not candidates:
            return []
        # Ranking reads the first candidates only, the strongest pass first: one pass's worth,
        # or what a large `limit` asks for up to `RANKED_MAX`.
        ranked_count = min(tuning.RANKED_MAX, max(limit, tuning.CANDIDATES))
        head, tail = candidates[:ranked_count], candidates[ranked_count:]
        texts = _texts(cursor, index, head)
    ranked = rank_by_overlap(texts, text, _weights(words, frequencies, rows))
    return (ranked + tail)[:limit]


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
