"""Word rarity, shared by both backends: the rarest words of a text, the postings a pass walks, the weights."""

from __future__ import annotations

import math

from guilde.core.search import tuning


def rarest_tokens(
    tokens: list[str], frequencies: dict[str, int | float], *, limit: int = tuning.QUERY_TOKENS, diverse: bool = False
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


def _walk_estimate(words: list[str], at_least: int, frequencies: dict[str, float]) -> float:
    """Roughly how many postings a pass reads: each AND of the pass is driven by its rarest word."""
    counts = sorted(frequencies.get(w, 0.0) for w in words)
    # Of the combinations of `at_least` words, as many have each word as their rarest one as
    # there are combinations of the commoner words left.
    return sum(count * math.comb(len(counts) - 1 - i, at_least - 1) for i, count in enumerate(counts))


def _weights(words: list[str], frequencies: dict[str, float], rows: float) -> dict[str, float]:
    """Inverse document frequency of each word; words not looked up weigh like the commonest one that was."""
    known = {w: math.log(1 + (rows + 1) / (frequencies[w] + 1)) for w in words if w in frequencies}
    fallback = min(known.values(), default=1.0)
    return {w: known.get(w, fallback) for w in words}
