"""The similar-feedback search index declaration."""

from guilde.core.search import SearchIndex

#: The full-text index over feedback, installed by migration 0002 (see guilde.core.search).
FEEDBACK_SEARCH_INDEX = SearchIndex(table="feedback_feedback", columns=("title", "problem"), trigram_column="title")
