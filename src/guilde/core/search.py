# ruff: noqa: S608 -- table and column names come from SearchIndex declarations in code; values are parameters.
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
   term, an error code, a customer's jargon) still finds old rows that have it.
3. Ranking of at most `CANDIDATES` rows: the share of the typed words a row has, each weighted by
   its rarity, minus a small penalty for a length different from the text's. Only a row with the
   same words and length scores the maximum: an exact duplicate comes first. SQLite: in Python,
   on the candidates' text (`rank_by_overlap`); PostgreSQL: in the same statement, on their
   `tsvector`s. Not bm25: it weighs each word by reading all of its postings on every query, which
   grows with the table.

`core` imports no domain: everything here is keyed by table and column names.
"""

from __future__ import annotations

import itertools
import math
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection
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
#: Words as both backends see them: runs of letters and digits. The underscore is a word character
#: for Python's `\w` but a separator for FTS5's unicode61 tokenizer; keeping it would turn one quoted
#: token into a phrase, which a `detail=none` index refuses.
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_UNFINISHED_RE = re.compile(r"[^\W_]+$", re.UNICODE)


@dataclass(frozen=True)
class SearchIndex:
    """A full-text index over some text columns of one table.

    `detail` and `columnsize` are FTS5 options (SQLite). The search reads rowids only — no phrase
    queries, no bm25 — so by default the index keeps neither token positions nor column sizes:
    about 5x smaller (27 MB instead of 135 MB at 1M feedbacks) and cheaper to keep up to date.
    """

    table: str
    columns: tuple[str, ...]
    trigram_column: str | None = None
    detail: str = "none"
    columnsize: bool = False

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def vector_column(self) -> str:
        return "search_vector"


class _StripMarks(dict[int, int | None]):
    """A `str.translate` table that drops combining marks, filled as characters are met (a complete
    table takes a quarter of a second to build, and a text uses a few dozen characters)."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_STRIP_MARKS = _StripMarks()


def fold(text: str) -> str:
    """Lower-cased and without accents ("Léa" → "lea"): the form names are sorted and matched in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return decomposed if decomposed.isascii() else decomposed.translate(_STRIP_MARKS)


# Folded like the text they are compared with ("être" → "etre").
STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)


class _WordCharacters(dict[int, int | None]):
    """A `str.translate` table for `_tokens`: combining marks dropped (as `fold` does), any other
    character that is not a letter or digit turned into a space, filled as characters are met."""

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        value = None if unicodedata.combining(char) else code if char.isalnum() else 32
        self[code] = value
        return value


_WORD_CHARACTERS = _WordCharacters()


def _tokens(text: str) -> list[str]:
    """Every letter-and-digit run of `text`, folded — `_TOKEN_RE.findall(fold(text))` — with one
    table lookup per character and a split, all in C: ~5 µs for a 200-character feedback instead
    of ~25 µs. Ranking reads a hundred candidates' texts per search."""
    return unicodedata.normalize("NFKD", text.casefold()).translate(_WORD_CHARACTERS).split()


def _words(text: str) -> list[str]:
    """The distinct words of `text` worth comparing, in text order: folded, at least 3 characters,
    no stop words, no numbers."""
    seen: dict[str, None] = {}
    for word in _tokens(text or ""):
        if len(word) < 3 or word in seen or word in STOP_WORDS or word.isdigit():
            continue
        seen[word] = None
    return list(seen)


def search_tokens(text: str, *, limit: int = 8) -> list[str]:
    """The few words of `text` worth searching for: folded, no stop words, longest (rarest) first.

    Tokens are plain letter-and-digit runs, so no query syntax of either backend can get through.
    """
    words = _words(text)
    order = {word: position for position, word in enumerate(words)}
    ranked = sorted(words, key=lambda w: (-len(w), order[w]))[:limit]
    return sorted(ranked, key=order.__getitem__)


def fts5_query(tokens: list[str], *, operator: str = "OR") -> str:
    """An FTS5 MATCH expression with every token double-quoted (no operator injection)."""
    quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
    return f" {operator} ".join(quoted)


def tsquery(tokens: list[str], *, operator: str = "|") -> str:
    # Tokens are letters and digits only; the quoting still guards against a lexeme being read as syntax.
    return f" {operator} ".join("'" + token.replace("'", "") + "'" for token in tokens)


def fts5_expression(words: list[str], at_least: int) -> str:
    """Rows with at least `at_least` of `words`: an OR of the ANDs of every such combination."""
    if at_least <= 1 or at_least >= len(words):
        return fts5_query(words, operator="AND" if at_least > 1 else "OR")
    groups = itertools.combinations(words, at_least)
    return " OR ".join(f"({fts5_query(list(group), operator='AND')})" for group in groups)


def _ts_term(word: str, spellings: dict[str, list[str]] | None) -> str:
    forms = (spellings or {}).get(word) or [word]
    return tsquery(forms) if len(forms) == 1 else f"({tsquery(forms)})"


def ts_expression(words: list[str], at_least: int, spellings: dict[str, list[str]] | None = None) -> str:
    """Like `fts5_expression`; each word matches any of its `spellings` (see `pg_spellings`)."""
    terms = {word: _ts_term(word, spellings) for word in words}
    if at_least <= 1 or at_least >= len(words):
        return (" & " if at_least > 1 else " | ").join(terms[w] for w in words)
    groups = itertools.combinations(words, at_least)
    return " | ".join("(" + " & ".join(terms[w] for w in group) + ")" for group in groups)


def pg_spellings(text: str) -> dict[str, list[str]]:
    """Each folded word of `text` with its lower-case spellings in the text ("securite": ["securite",
    "sécurité"]): PostgreSQL's 'simple' lexemes keep their accents, the words here do not."""
    spellings: dict[str, list[str]] = {}
    for form in _TOKEN_RE.findall(unicodedata.normalize("NFC", text.lower())):
        folded = _tokens(form)
        if len(folded) == 1:
            forms = spellings.setdefault(folded[0], [folded[0]])
            if form not in forms:
                forms.append(form)
    return spellings


# --- installing an index (from a migration) -------------------------------------------------


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


# --- querying -------------------------------------------------------------------------------


#: How many of the rarest words of the text select the candidates.
QUERY_TOKENS = 4
#: How many words of the text (the longest) are looked up for rarity. Every word of the text counts
#: in the ranking; the ones not looked up weigh as much as the most common looked-up one.
LOOKUP_TOKENS = 16
#: Candidates read per pass, newest first (more when a caller asks for more results).
CANDIDATES = 50
#: At most this many candidates are ranked (SQLite: ~10 µs each, in Python); any beyond follow in pass
#: order — strongest pass first, newest first. Only large `limit`s (the inbox's text filter, 500,
#: which orders rows its own way) have more.
RANKED_MAX = 100
#: Ranking reads this many characters of a candidate's text at most (a long one costs as much as a
#: short one; titles and first sentences carry what it is about).
RANK_TEXT_CHARS = 1000
#: A length different from the text's costs this much at most (the weighted share of the text's
#: words a row has counts 1): among rows with the same typed words, the closest in length first.
LENGTH_PENALTY = 0.2
#: A word in at least this share of the rows (and at least `CANDIDATES` rows) is left out of the
#: "any word" pass when rarer ones exist: its newest matches would crowd out the distinctive ones.
COMMON_SHARE = 0.05
#: SQLite: a rarity probe reads at most this many postings of a word, newest first (below, the
#: count is exact).
DF_PROBE = 500
#: SQLite: a pass whose walk is estimated below this many postings reads the whole index (1-3 ms);
#: any other reads only the newest `WINDOW` rows by rowid.
WHOLE_INDEX_POSTINGS = 30_000
WINDOW = 200_000
#: PostgreSQL: rows with all the rarest words are read through the GIN index when the rarest of
#: them is estimated in fewer rows than this (1-4 ms at 1M; the bitmap heap scan visits every match).
PG_ALL_WORDS_GIN_ROWS = 10_000
#: PostgreSQL: the rows with the most of the rarest words come from the newest `RECENT_WINDOW` rows
#: by primary key, unless those words are estimated in fewer rows than this in all (then: GIN).
#: Reading and matching 4,000 rows' vectors costs ~2.3 ms at any size (5,000 before the GIN pass
#: above was added: together they cost what the former two window passes did).
PG_MAX_GIN_ROWS = 3000
RECENT_WINDOW = 4000
#: PostgreSQL: characters of the text compared by trigrams when no word matched.
TRIGRAM_PROBE = 80

#: SQLite: estimated document frequencies of common words, per process, with the time they were read.
#: Rare words (an exact count below `DF_PROBE`) are counted again each time: it is cheap, and a new
#: row may be the first to use one.
_df_cache: dict[tuple[str, str], tuple[float, float]] = {}
_DF_CACHE_SIZE = 20000
DF_CACHE_TTL = 600.0
_pg_stats_cache: dict[tuple[str, str], tuple[float, float, dict[str, float], float]] = {}
PG_STATS_TTL = 600.0


def clear_caches() -> None:
    """Forgets the word statistics read so far (tests; after a bulk load outside the services)."""
    _df_cache.clear()
    _pg_stats_cache.clear()


def rarest_tokens(
    tokens: list[str], frequencies: dict[str, int | float], *, limit: int = QUERY_TOKENS, diverse: bool = False
) -> list[str]:
    """The `limit` rarest of `tokens` by document frequency (longest first on ties), in text order.

    Tokens known to match nothing (frequency 0) are dropped: they would empty every AND query.
    A token missing from `frequencies` counts as rare only by its length.

    `diverse` (frequencies that are counts, not estimates): words matching exactly as many rows
    usually match the same rows — a set phrase, a form's boilerplate — so one of them says as much
    as all; the others come after the rarest word of every other count.
    """
    order = {token: position for position, token in enumerate(tokens)}
    known = sorted(
        (t for t in tokens if frequencies.get(t, 1) != 0), key=lambda t: (frequencies.get(t, 0), -len(t), order[t])
    )
    if diverse:
        seen: dict[float, int] = {}
        rank: dict[str, int] = {}
        for token in known:
            count = frequencies.get(token, 0)
            rank[token] = seen[count] = seen.get(count, -1) + 1
        known.sort(key=rank.__getitem__)  # stable: rarest first within each round
    return sorted(known[:limit], key=order.__getitem__)


def _sqlite_frequencies(cursor: Any, index: SearchIndex, tokens: list[str], rows: int) -> dict[str, float]:
    """Document frequency of each token: exact below `DF_PROBE`, else estimated from how far back
    the newest `DF_PROBE` matches reach (a word in 1 row out of 100 has its 500th newest match about
    50,000 rowids back). One statement for all the words not cached; each reads at most `DF_PROBE`
    postings, whatever the size of the table (fts5vocab, or a plain count, reads them all).
    """
    fts = index.fts_table
    now = time.monotonic()
    found: dict[str, float] = {}
    missing: list[str] = []
    for token in tokens:
        cached = _df_cache.get((fts, token))
        if cached is not None and now - cached[0] < DF_CACHE_TTL:
            found[token] = cached[1]
        else:
            missing.append(token)
    if not missing:
        return found
    probe = (
        f"SELECT %s, count(*), min(rowid) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH %s "
        "ORDER BY rowid DESC LIMIT %s)"
    )
    params: list[Any] = []
    for position, token in enumerate(missing):
        params += [position, fts5_query([token]), DF_PROBE]
    try:
        cursor.execute(" UNION ALL ".join([probe] * len(missing)), params)
        results = cursor.fetchall()
    except DatabaseError:
        # A few letters are letters for Python's Unicode tables but separators for SQLite's older
        # ones (New Tai Lue vowels...): FTS5 then reads the word as a phrase, which a detail=none
        # index refuses. Such a word counts as found nowhere, so no pass uses it.
        results = []
        for position, token in enumerate(missing):
            try:
                cursor.execute(probe, [position, fts5_query([token]), DF_PROBE])
                results += cursor.fetchall()
            except DatabaseError:
                found[token] = 0.0
    for position, count, oldest in results:
        token = missing[position]
        if count < DF_PROBE:
            found[token] = float(count)
            continue
        span = max(rows - oldest + 1, DF_PROBE)
        found[token] = DF_PROBE * max(rows, span) / span
        if len(_df_cache) >= _DF_CACHE_SIZE:
            _df_cache.clear()
        _df_cache[(fts, token)] = (now, found[token])
    return found


def _pg_frequencies(
    cursor: Any, index: SearchIndex, tokens: list[str]
) -> tuple[dict[str, float], float, set[str] | None]:
    """Estimated matching rows per token, the table's row estimate and which tokens the statistics
    list (None: no statistics yet), from the planner statistics.

    ANALYZE keeps the most common lexemes of a tsvector column and their frequencies in
    `pg_stats`; a lexeme not among them is rarer than the rarest listed one. Read once per
    `PG_STATS_TTL` seconds per process, so a query costs no extra statement most of the time.
    """
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
    estimates = {t: max(elems.get(t, floor / 2) * rows, 0.5) for t in tokens}
    return estimates, rows, ({t for t in tokens if t in elems} if elems else None)


def _walk_estimate(words: list[str], at_least: int, frequencies: dict[str, float]) -> float:
    """Roughly how many postings a pass reads: each AND of the pass is driven by its rarest word."""
    counts = sorted(frequencies.get(w, 0.0) for w in words)
    # Of the combinations of `at_least` words, as many have each word as their rarest one as
    # there are combinations of the commoner words left.
    return sum(count * math.comb(len(counts) - 1 - i, at_least - 1) for i, count in enumerate(counts))


def _sqlite_pass(
    cursor: Any, index: SearchIndex, words: list[str], at_least: int, *, floor: int, count: int
) -> list[int]:
    fts = index.fts_table
    window = f"AND rowid > {int(floor)} " if floor > 0 else ""
    cursor.execute(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s {window}ORDER BY rowid DESC LIMIT %s",
        [fts5_expression(words, at_least), count],
    )
    return [pk for (pk,) in cursor.fetchall()]


def _sqlite_candidates(
    cursor: Any, index: SearchIndex, text: str, limit: int
) -> tuple[list[int], dict[str, float], float]:
    """Candidate ids (strongest pass first), the words' document frequencies and the row count."""
    cursor.execute(f"SELECT max(id) FROM {index.table}")
    rows = int(cursor.fetchone()[0] or 0)
    tokens = search_tokens(text, limit=LOOKUP_TOKENS)
    frequencies = _sqlite_frequencies(cursor, index, tokens, rows)
    chosen = rarest_tokens(tokens, frequencies, diverse=True)
    rare = [t for t in chosen if frequencies[t] < max(COMMON_SHARE * rows, CANDIDATES)] or chosen
    # Strictest first: rows with all the rarest words, then all but one, ... then any. FTS5 cannot
    # tell which words a row matched: each pass is a query, newest first, stopping at `count`.
    passes = [(at_least, chosen) for at_least in range(len(chosen), 1, -1)]
    if chosen:
        passes.append((1, rare))
    found: dict[int, None] = {}
    for at_least, words in passes:
        whole = _walk_estimate(words, at_least, frequencies) < WHOLE_INDEX_POSTINGS
        floor = 0 if whole else rows - WINDOW
        found.update(
            dict.fromkeys(_sqlite_pass(cursor, index, words, at_least, floor=floor, count=max(limit, CANDIDATES)))
        )
        if len(found) >= limit:
            break
    return list(found), frequencies, float(rows)


def _pg_ranked(cursor: Any, index: SearchIndex, text: str, limit: int) -> list[int]:
    """`ranked_ids` on PostgreSQL, in one statement: the candidates (the rows with all the rarest
    words when those are rare, through GIN; the rows with the most of them among the newest
    `RECENT_WINDOW`, or among all rows through GIN when the words are rare enough), ranked in
    the database on their `tsvector`s — the same score as `rank_by_overlap`, the length being the
    number of distinct lexemes — so no text travels and no Python loop runs per candidate."""
    words = _words(text)
    # Statistics are read once for all words, so every word may be the rarest. A word matches as
    # many rows as its spellings together.
    spellings = pg_spellings(text)
    lexemes = sorted({form for word in words for form in spellings.get(word, [word])})
    estimates, rows, listed = _pg_frequencies(cursor, index, lexemes)
    frequencies = {w: sum(estimates[form] for form in spellings.get(w, [w])) for w in words}
    selecting = words
    unfinished = _UNFINISHED_RE.search(text)
    if unfinished and listed is not None and len(words) > 1:
        # The last word, with nothing after it, may be still being typed ("notif"). Unlisted in the
        # statistics, it would look like the rarest word and empty the AND query; SQLite's exact
        # count (0) drops such a fragment by itself. It still counts in the ranking.
        last = _words(unfinished.group())
        if last and last[0] == words[-1] and not listed.intersection(spellings.get(last[0], last)):
            selecting = words[:-1]
    chosen = rarest_tokens(selecting, frequencies)
    if not chosen:
        return []
    count = max(limit, CANDIDATES)
    table, vector = index.table, index.vector_column
    rare = [t for t in chosen if frequencies[t] < max(COMMON_SHARE * rows, CANDIDATES)] or chosen
    # The score reads the `LOOKUP_TOKENS` rarest words (as SQLite looks up): a long text (the
    # detail page's whole feedback) costs no more to plan and run than a short one, and the common
    # words left out weigh little. An exact duplicate still has all of them, and the same length.
    scoring = set(rarest_tokens(words, frequencies, limit=LOOKUP_TOKENS)) | set(chosen)
    words = [w for w in words if w in scoring]
    # q.w<i>: each scoring word; any_word: any of the rare ones; all_words: all of the chosen ones.
    terms = [f"to_tsquery('simple', %s) AS w{i}" for i in range(len(words))]
    params: list[Any] = [_ts_term(w, spellings) for w in words]
    terms += ["to_tsquery('simple', %s) AS any_word", "length(to_tsvector('simple', %s)) AS text_length"]
    params += [ts_expression(rare, 1, spellings), text]
    ctes, passes = [], []
    if len(chosen) > 1 and _walk_estimate(chosen, len(chosen), frequencies) <= PG_ALL_WORDS_GIN_ROWS:
        # All matches through the GIN bitmap, materialised before the ORDER BY id: with a LIMIT
        # next to it the planner may walk the primary key backwards through most of the table.
        terms.append("to_tsquery('simple', %s) AS all_words")
        params.append(ts_expression(chosen, len(chosen), spellings))
        ctes.append(f"strong AS MATERIALIZED (SELECT id FROM {table}, q WHERE {vector} @@ q.all_words)")
        passes.append("SELECT 0 AS pass, id, row_number() OVER (ORDER BY id DESC) AS position FROM strong")
    if _walk_estimate(rare, 1, frequencies) <= PG_MAX_GIN_ROWS or rows <= RECENT_WINDOW:
        ctes.append(f"matches AS MATERIALIZED (SELECT id, {vector} AS v FROM {table}, q WHERE {vector} @@ q.any_word)")
    else:
        ctes.append(
            f"matches AS MATERIALIZED (SELECT id, v FROM (SELECT id, {vector} AS v FROM {table} "
            "ORDER BY id DESC LIMIT %s) recent, q WHERE v @@ q.any_word)"
        )
        params.append(RECENT_WINDOW)
    # The rows with the most of the rarest words first: what the passes do on SQLite, in one scan.
    position = {w: i for i, w in enumerate(words)}
    matched = " + ".join(f"(v @@ q.w{position[w]})::int" for w in rare)
    passes.append(
        f"SELECT 1 AS pass, id, row_number() OVER (ORDER BY {matched} DESC, id DESC) AS position FROM matches, q"
    )
    weights = _weights(words, frequencies, rows)
    total = sum(weights.values()) or 1.0
    shared = " + ".join(f"(t.{vector} @@ q.w{i})::int * {weights[w] / total!r}" for i, w in enumerate(words))
    score = (
        f"({shared}) - {LENGTH_PENALTY!r} * abs(length(t.{vector}) - q.text_length)::float8 "
        f"/ greatest(length(t.{vector}), q.text_length, 1)"
    )
    union = " UNION ALL ".join(f"SELECT * FROM ({p}) p{i}" for i, p in enumerate(passes))
    cursor.execute(
        f"WITH q AS MATERIALIZED (SELECT {', '.join(terms)}), {', '.join(ctes)}, "
        f"candidates AS (SELECT id, min(pass * %s + position) AS ord FROM ({union}) u "
        "WHERE position <= %s GROUP BY id), "
        "head AS (SELECT id, ord FROM candidates ORDER BY ord LIMIT %s) "
        f"SELECT h.id, h.ord, {score} FROM head h JOIN {table} t ON t.id = h.id, q "
        "UNION ALL SELECT c.id, c.ord, NULL FROM candidates c WHERE c.id NOT IN (SELECT id FROM head)",
        [*params, count + 1, count, min(RANKED_MAX, count)],
    )
    results = cursor.fetchall()
    # Ranked by score, newest first on ties; the rest (large `limit`s only) in pass order.
    head = sorted((r for r in results if r[2] is not None), key=lambda r: (-r[2], -r[0]))
    tail = sorted((r for r in results if r[2] is None), key=lambda r: r[1])
    return [pk for pk, _order, _score in head + tail][:limit]


def _texts(cursor: Any, index: SearchIndex, ids: list[int]) -> dict[int, tuple[str, int]]:
    """Each row's indexed text, cut at `RANK_TEXT_CHARS`, and its full length."""
    columns = ", ".join(index.columns)
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(f"SELECT id, {columns} FROM {index.table} WHERE id IN ({marks})", ids)
    texts = {}
    for pk, *values in cursor.fetchall():
        text = " ".join(value for value in values if value)
        texts[pk] = (text[:RANK_TEXT_CHARS], len(text))
    return texts


def rank_by_overlap(candidates: dict[int, tuple[str, int]], text: str, weights: dict[str, float]) -> list[int]:
    """Candidate ids, best first, by similarity to `text`: the share of its words (`weights`: word →
    rarity) a candidate has, weighted, minus up to `LENGTH_PENALTY` for a length in words different
    from the text's; newest first on ties. Only a text with the same words and length scores 1.

    `candidates`: id → (the start of its text, the full text's length in characters). Only the
    first `RANK_TEXT_CHARS` are read (the length in words of a longer text is extrapolated):
    a few C string methods per candidate, ~8 µs for 300 characters.
    """
    total = sum(weights.values()) or 1.0
    wanted = set(weights)
    length = len(_tokens(text))
    scored: list[tuple[float, int]] = []
    for pk, (own_text, own_chars) in candidates.items():
        own = _tokens(own_text)
        own_length = len(own) * own_chars / len(own_text) if own_chars > len(own_text) > 0 else len(own)
        coverage = sum(weights[w] for w in wanted.intersection(own)) / total
        difference = abs(own_length - length) / max(own_length, length, 1)
        scored.append((coverage - LENGTH_PENALTY * difference, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [pk for _score, pk in scored]


def _weights(words: list[str], frequencies: dict[str, float], rows: float) -> dict[str, float]:
    """Inverse document frequency of each word; words not looked up weigh like the commonest one that was."""
    known = {w: math.log(1 + (rows + 1) / (frequencies[w] + 1)) for w in words if w in frequencies}
    fallback = min(known.values(), default=1.0)
    return {w: known.get(w, fallback) for w in words}


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
            # Near-identical wording (typos, word fragments) when no word matched at all. Bounded
            # like the word passes: the newest rows by primary key, a short probe. Through the
            # trigram GIN index, common trigrams cost a posting list of most rows (~0.5 s at 1M).
            column = index.trigram_column
            probe = text[:TRIGRAM_PROBE]
            cursor.execute(
                f"SELECT id FROM (SELECT id, {column} AS c FROM {index.table} ORDER BY id DESC LIMIT %s) "
                "recent WHERE c %% %s ORDER BY c <-> %s, id DESC LIMIT %s",
                [RECENT_WINDOW, probe, probe, limit],
            )
            return [pk for (pk,) in cursor.fetchall()]
        candidates, frequencies, rows = _sqlite_candidates(cursor, index, text, limit)
        if not candidates:
            return []
        # Ranking reads the first candidates only, the strongest pass first: one pass's worth,
        # or what a large `limit` asks for up to `RANKED_MAX`.
        ranked_count = min(RANKED_MAX, max(limit, CANDIDATES))
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
