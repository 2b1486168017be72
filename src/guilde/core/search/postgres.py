# ruff: noqa: S608 -- table and column names come from SearchIndex declarations in code; values are parameters.
"""PostgreSQL: tsquery expressions, planner word statistics, and the search ranked in one statement."""

from __future__ import annotations

import itertools
import time
import unicodedata
from typing import Any

from guilde.core.search import tuning
from guilde.core.search.index import SearchIndex
from guilde.core.search.rarity import _walk_estimate, _weights, rarest_tokens
from guilde.core.search.text import _TOKEN_RE, _UNFINISHED_RE, _tokens, _words


def tsquery(tokens: list[str], *, operator: str = "|") -> str:
    # Tokens are letters and digits only; the quoting still guards against a lexeme being read as syntax.
    return f" {operator} ".join("'" + token.replace("'", "") + "'" for token in tokens)


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


_pg_stats_cache: dict[tuple[str, str], tuple[float, float, dict[str, float], float]] = {}
PG_STATS_TTL = 600.0


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
    count = max(limit, tuning.CANDIDATES)
    table, vector = index.table, index.vector_column
    rare = [t for t in chosen if frequencies[t] < max(tuning.COMMON_SHARE * rows, tuning.CANDIDATES)] or chosen
    # The score reads the `LOOKUP_TOKENS` rarest words (as SQLite looks up): a long text (the
    # detail page's whole feedback) costs no more to plan and run than a short one, and the common
    # words left out weigh little. An exact duplicate still has all of them, and the same length.
    scoring = set(rarest_tokens(words, frequencies, limit=tuning.LOOKUP_TOKENS)) | set(chosen)
    words = [w for w in words if w in scoring]
    # q.w<i>: each scoring word; any_word: any of the rare ones; all_words: all of the chosen ones.
    terms = [f"to_tsquery('simple', %s) AS w{i}" for i in range(len(words))]
    params: list[Any] = [_ts_term(w, spellings) for w in words]
    terms += ["to_tsquery('simple', %s) AS any_word", "length(to_tsvector('simple', %s)) AS text_length"]
    params += [ts_expression(rare, 1, spellings), text]
    ctes, passes = [], []
    if len(chosen) > 1 and _walk_estimate(chosen, len(chosen), frequencies) <= tuning.PG_ALL_WORDS_GIN_ROWS:
        # All matches through the GIN bitmap, materialised before the ORDER BY id: with a LIMIT
        # next to it the planner may walk the primary key backwards through most of the table.
        terms.append("to_tsquery('simple', %s) AS all_words")
        params.append(ts_expression(chosen, len(chosen), spellings))
        ctes.append(f"strong AS MATERIALIZED (SELECT id FROM {table}, q WHERE {vector} @@ q.all_words)")
        passes.append("SELECT 0 AS pass, id, row_number() OVER (ORDER BY id DESC) AS position FROM strong")
    if _walk_estimate(rare, 1, frequencies) <= tuning.PG_MAX_GIN_ROWS or rows <= tuning.RECENT_WINDOW:
        ctes.append(f"matches AS MATERIALIZED (SELECT id, {vector} AS v FROM {table}, q WHERE {vector} @@ q.any_word)")
    else:
        ctes.append(
            f"matches AS MATERIALIZED (SELECT id, v FROM (SELECT id, {vector} AS v FROM {table} "
            "ORDER BY id DESC LIMIT %s) recent, q WHERE v @@ q.any_word)"
        )
        params.append(tuning.RECENT_WINDOW)
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
        f"({shared}) - {tuning.LENGTH_PENALTY!r} * abs(length(t.{vector}) - q.text_length)::float8 "
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
        [*params, count + 1, count, min(tuning.RANKED_MAX, count)],
    )
    results = cursor.fetchall()
    # Ranked by score, newest first on ties; the rest (large `limit`s only) in pass order.
    head = sorted((r for r in results if r[2] is not None), key=lambda r: (-r[2], -r[0]))
    tail = sorted((r for r in results if r[2] is None), key=lambda r: r[1])
    return [pk for pk, _order, _score in head + tail][:limit]


def _pg_trigram_matches(cursor: Any, index: SearchIndex, text: str, limit: int) -> list[int]:
    """The rows whose `trigram_column` is closest to `text`, for when no word matched at all.

    Bounded like the word passes: the newest rows by primary key, a short probe. Through the
    trigram GIN index, common trigrams cost a posting list of most rows (~0.5 s at 1M).
    """
    column = index.trigram_column
    probe = text[: tuning.TRIGRAM_PROBE]
    cursor.execute(
        f"SELECT id FROM (SELECT id, {column} AS c FROM {index.table} ORDER BY id DESC LIMIT %s) "
        "recent WHERE c %% %s ORDER BY c <-> %s, id DESC LIMIT %s",
        [tuning.RECENT_WINDOW, probe, probe, limit],
    )
    return [pk for (pk,) in cursor.fetchall()]
