"""The numbers that bound the search's cost and shape its ranking (see the package notes).

The other modules read them here at call time (`tuning.CANDIDATES`), so a test can scale them down
for a small table by patching this module. `QUERY_TOKENS` is the exception: it is the default of
`rarest_tokens`' `limit`, fixed when `rarity` is imported.
"""

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
#: SQLite: a pass whose walk, estimated from the rarest word of each AND (`_walk_estimate`), is below
#: this many postings reads the whole index; any other reads only the newest `WINDOW` rows by rowid.
#: (FTS5 also decodes the commoner words' postings: 1-3 ms at 1M rows when few rows match.)
WHOLE_INDEX_POSTINGS = 30_000
WINDOW = 200_000
#: SQLite: postings in one FTS5 doclist page (4 KB of rowid deltas, about a byte each): what an AND
#: decodes of a common word for each row of a rare word beside it.
PAGE_POSTINGS = 3000
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
