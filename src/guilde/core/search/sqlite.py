# ruff: noqa: S608 -- table and column names come from SearchIndex declarations in code; values are parameters.
"""SQLite: FTS5 query expressions, probed word frequencies, candidate passes and the ranking in Python."""

from __future__ import annotations

import time
from typing import Any

from django.db import DatabaseError

from guilde.core.search import tuning
from guilde.core.search.index import SearchIndex
from guilde.core.search.rarity import _walk_estimate, rarest_tokens
from guilde.core.search.text import _tokens, search_tokens


def fts5_query(tokens: list[str], *, operator: str = "OR") -> str:
    """An FTS5 MATCH expression with every token double-quoted (no operator injection)."""
    quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
    return f" {operator} ".join(quoted)


def fts5_expression(words: list[str], at_least: int) -> str:
    """Rows with at least `at_least` of `words`: at least i of the first half of the words and the
    rest of the second half, for each possible i.

    FTS5 walks a word's postings once for each time the expression names it, and an AND that matches
    few rows walks them all: split so, "3 of 4 words" names them 8 times instead of 12 (an OR of the
    ANDs of every combination) and ANDs pairs, not triples — the same rows, in a third less time at 1M rows.
    """
    if at_least <= 1 or at_least >= len(words):
        return fts5_query(words, operator="AND" if at_least > 1 else "OR")
    first, second = words[: len(words) // 2], words[len(words) // 2 :]
    terms = []
    for i in range(max(0, at_least - len(second)), min(at_least, len(first)) + 1):
        parts = [fts5_expression(half, n) for half, n in ((first, i), (second, at_least - i)) if n > 0]
        terms.append(" AND ".join(f"({part})" for part in parts))
    return " OR ".join(f"({term})" for term in terms)


#: SQLite: estimated document frequencies of common words, per process, with the time they were read.
#: Rare words (an exact count below `DF_PROBE`) are counted again each time: it is cheap, and a new
#: row may be the first to use one.
_df_cache: dict[tuple[str, str], tuple[float, float]] = {}
_DF_CACHE_SIZE = 20000
DF_CACHE_TTL = 600.0


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
        params += [position, fts5_query([token]), tuning.DF_PROBE]
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
                cursor.execute(probe, [position, fts5_query([token]), tuning.DF_PROBE])
                results += cursor.fetchall()
            except DatabaseError:
                found[token] = 0.0
    for position, count, oldest in results:
        token = missing[position]
        if count < tuning.DF_PROBE:
            found[token] = float(count)
            continue
        span = max(rows - oldest + 1, tuning.DF_PROBE)
        found[token] = tuning.DF_PROBE * max(rows, span) / span
        if len(_df_cache) >= _DF_CACHE_SIZE:
            _df_cache.clear()
        _df_cache[(fts, token)] = (now, found[token])
    return found


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
    tokens = search_tokens(text, limit=tuning.LOOKUP_TOKENS)
    frequencies = _sqlite_frequencies(cursor, index, tokens, rows)
    chosen = rarest_tokens(tokens, frequencies, diverse=True)
    rare = [t for t in chosen if frequencies[t] < max(tuning.COMMON_SHARE * rows, tuning.CANDIDATES)] or chosen
    # FTS5 cannot tell which words a row matched: each pass is a query, newest first, stopping at `count`.
    count = max(limit, tuning.CANDIDATES)
    found: dict[int, None] = {}
    for at_least, words in _passes(chosen, rare, frequencies, count):
        whole = _walk_estimate(words, at_least, frequencies) < tuning.WHOLE_INDEX_POSTINGS
        floor = 0 if whole else rows - tuning.WINDOW
        found.update(dict.fromkeys(_sqlite_pass(cursor, index, words, at_least, floor=floor, count=count)))
        if len(found) >= limit:
            break
    return list(found), frequencies, float(rows)


def _passes(
    chosen: list[str], rare: list[str], frequencies: dict[str, float], count: int
) -> list[tuple[int, list[str]]]:
    """(at_least, words) of each pass, strictest first: rows with all the `chosen` words, then all
    but one, ... then any of the `rare` ones (none without chosen words).

    When the rarest word is in at most `count` rows but the AND of all the words would walk far
    more postings than that (`_and_walk`: common words beside it, in a large table), the first pass
    reads all the rows of that word instead: a superset of the rows with every chosen word, for the
    postings of one word.
    """
    if not chosen:
        return []
    passes = [(at_least, chosen) for at_least in range(len(chosen), 1, -1)]
    rarest = min(chosen, key=frequencies.__getitem__)
    if passes and frequencies[rarest] <= count and _and_walk(chosen, frequencies) >= tuning.WHOLE_INDEX_POSTINGS:
        passes[0] = (1, [rarest])
    passes.append((1, rare))
    # The rarest word alone may also be all the "any rare word" pass reads: the same query, once.
    return [p for i, p in enumerate(passes) if p not in passes[:i]]


def _and_walk(words: list[str], frequencies: dict[str, float]) -> float:
    """Roughly how many postings FTS5 decodes for an AND of `words` that matches few rows: those of
    every word, not only of the rarest (an AND walks each word's doclist down to its next match,
    whatever the rowid window), except that a word in d rows lets it skip to about d doclist pages
    (`PAGE_POSTINGS` postings each) of a commoner word.
    """
    counts = [frequencies.get(word, 0.0) for word in words]
    pages = min(counts) * tuning.PAGE_POSTINGS
    return sum(min(count, pages) for count in counts)


def _texts(cursor: Any, index: SearchIndex, ids: list[int]) -> dict[int, tuple[str, int]]:
    """Each row's indexed text, cut at `RANK_TEXT_CHARS`, and its full length."""
    columns = ", ".join(index.columns)
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(f"SELECT id, {columns} FROM {index.table} WHERE id IN ({marks})", ids)
    texts = {}
    for pk, *values in cursor.fetchall():
        text = " ".join(value for value in values if value)
        texts[pk] = (text[: tuning.RANK_TEXT_CHARS], len(text))
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
        scored.append((coverage - tuning.LENGTH_PENALTY * difference, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [pk for _score, pk in scored]
