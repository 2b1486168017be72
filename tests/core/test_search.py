import pytest
from django.db import connection, transaction

from guilde.core import search
from guilde.core.search import fts5_expression, fts5_query, ranked_ids, rarest_tokens, search_tokens, similar
from guilde.feedback.models import FEEDBACK_SEARCH_INDEX, Feedback
from tests.factories.feedback import FeedbackFactory


def test_search_tokens_drop_stop_words_in_both_languages_and_fold_accents():
    assert search_tokens("The customer cannot export les factures en PDF") == ["export", "factures", "pdf"]
    assert search_tokens("Échéancier à l'export") == ["echeancier", "export"]


def test_search_tokens_keep_the_longest_words_when_too_many():
    tokens = search_tokens("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima", limit=3)
    assert tokens == ["charlie", "foxtrot", "juliet"]


def test_fts5_query_quotes_every_token_so_no_syntax_gets_through():
    assert fts5_query(["export", 'pdf"OR*']) == '"export" OR "pdf""OR*"'
    # Tokenisation already strips operators and parentheses.
    assert search_tokens('export NEAR(pdf) OR title:* -"drop"') == ["export", "near", "pdf", "title", "drop"]


def test_fts5_expression_names_each_word_fewer_times_than_every_combination():
    assert (
        fts5_expression(["a", "b", "c", "d"], 3)
        == '(("a" OR "b") AND ("c" AND "d")) OR (("a" AND "b") AND ("c" OR "d"))'
    )
    assert fts5_expression(["a", "b", "c"], 2) == '(("b" AND "c")) OR (("a") AND ("b" OR "c"))'
    assert fts5_expression(["a", "b"], 2) == '"a" AND "b"'
    assert fts5_expression(["a", "b"], 1) == '"a" OR "b"'


@pytest.mark.django_db
def test_fts5_expression_matches_the_rows_with_at_least_that_many_of_the_words():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full-text index")
    words = ["alpha", "bravo", "charlie", "delta"]
    rows = {}
    for mask in range(1, 16):
        have = [w for i, w in enumerate(words) if mask >> i & 1]
        rows[FeedbackFactory(title=" ".join(have), problem="text").pk] = len(have)
    fts = FEEDBACK_SEARCH_INDEX.fts_table
    for at_least in (1, 2, 3, 4):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [fts5_expression(words, at_least)])
            found = {pk for (pk,) in cursor.fetchall()}
        assert found == {pk for pk, count in rows.items() if count >= at_least}


@pytest.mark.django_db
def test_similar_ranks_the_closest_feedback_first():
    best = FeedbackFactory(title="Invoice export to PDF fails", problem="Exporting invoices as PDF times out.")
    FeedbackFactory(title="Calendar sync", problem="Google calendar sync is slow.")
    partial = FeedbackFactory(title="PDF preview", problem="The preview of contracts is blurry.")
    found = similar(Feedback.objects.all(), FEEDBACK_SEARCH_INDEX, "export invoices pdf", limit=5)
    assert found[0] == best
    assert partial in found
    assert len(found) == 2


@pytest.mark.django_db
def test_similar_respects_the_queryset_filter():
    hidden = FeedbackFactory(title="Invoice export broken", problem="invoices export")
    shown = FeedbackFactory(title="Invoice export slow", problem="invoices export")
    found = similar(Feedback.objects.exclude(pk=hidden.pk), FEEDBACK_SEARCH_INDEX, "invoice export", limit=5)
    assert found == [shown]


@pytest.mark.django_db
def test_index_follows_updates_and_deletes():
    feedback = FeedbackFactory(title="Dark mode", problem="The app is too bright at night.")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "bright night") == [feedback.pk]
    Feedback.objects.filter(pk=feedback.pk).update(title="Colour contrast", problem="Low contrast on buttons.")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "bright night") == []
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "contrast buttons") == [feedback.pk]
    feedback.delete()
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "contrast buttons") == []


@pytest.mark.django_db
def test_hostile_query_text_is_harmless():
    FeedbackFactory(title="Export", problem="export")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, '") OR 1=1; DROP TABLE feedback_feedback; --') == []
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "") == []
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "***") == []


def test_rarest_tokens_keep_the_least_frequent_words_in_text_order():
    tokens = ["export", "invoices", "pdf", "report", "webhook"]
    frequencies = {"export": 400_000, "invoices": 1_200, "pdf": 90, "report": 5_000, "webhook": 700}
    assert rarest_tokens(tokens, frequencies, limit=3) == ["invoices", "pdf", "webhook"]


def test_rarest_tokens_drop_words_that_match_nothing_and_break_ties_by_length():
    tokens = ["alpha", "bravissimo", "charlie", "zzzunknown"]
    frequencies = {"alpha": 5, "bravissimo": 5, "charlie": 5, "zzzunknown": 0}
    assert rarest_tokens(tokens, frequencies, limit=2) == ["bravissimo", "charlie"]
    # Without frequencies, length is the proxy for rarity.
    assert rarest_tokens(tokens, {}, limit=2) == ["bravissimo", "zzzunknown"]


@pytest.mark.django_db
def test_similar_searches_only_the_rarest_words_of_a_long_text(monkeypatch):
    monkeypatch.setattr(search.tuning, "QUERY_TOKENS", 2)
    search._df_cache.clear()
    for i in range(4):
        FeedbackFactory(title=f"Export report {i}", problem="export report dashboard")
    target = FeedbackFactory(title="Webhook retries", problem="webhook retries export report")
    # "export" and "report" are common; the two rare words alone find the target first.
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "export report webhook retries dashboard", limit=3)[0] == target.pk


@pytest.mark.django_db
def test_a_word_found_nowhere_does_not_empty_the_results():
    search._df_cache.clear()
    found = FeedbackFactory(title="Invoice export", problem="invoices export")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "invoice export qwertyuiopasdf") == [found.pk]


@pytest.mark.django_db
def test_bulk_insertion_indexes_the_block_s_rows_at_its_end_and_every_row_after():
    with transaction.atomic(), search.bulk_insertion(FEEDBACK_SEARCH_INDEX, connection):
        inside = FeedbackFactory(title="Webhook retries time out", problem="Webhook retries never stop.")
    after = FeedbackFactory(title="Webhook retries duplicated", problem="Each webhook retry is sent twice.")
    assert set(ranked_ids(FEEDBACK_SEARCH_INDEX, "webhook retries")) == {inside.pk, after.pk}


@pytest.mark.django_db
def test_bulk_insertion_rolled_back_leaves_the_index_as_it_was():
    def failing_import() -> None:
        with transaction.atomic(), search.bulk_insertion(FEEDBACK_SEARCH_INDEX, connection):
            FeedbackFactory(title="Webhook retries time out", problem="Webhook retries never stop.")
            raise ValueError("row 2: invalid")

    with pytest.raises(ValueError, match="row 2"):
        failing_import()
    later = FeedbackFactory(title="Webhook retries duplicated", problem="Each webhook retry is sent twice.")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "webhook retries") == [later.pk]


@pytest.mark.django_db(transaction=True)
def test_bulk_insertion_refuses_to_run_outside_a_transaction():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's index needs no bulk mode")
    with pytest.raises(RuntimeError), search.bulk_insertion(FEEDBACK_SEARCH_INDEX, connection):
        pass


def test_installing_an_index_adds_no_trigram_index_on_postgresql():
    # The trigram fallback reads the newest rows by primary key: a trigram GIN index would only
    # cost every insert ~40 postings (the benchmark's generator installs through these too).
    statements = " ".join(search.install_statements(FEEDBACK_SEARCH_INDEX, "postgresql"))
    assert "gin_trgm_ops" not in statements
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm" in statements


@pytest.mark.django_db
def test_the_migrated_feedback_table_has_no_trigram_index():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Feedback._meta.db_table)
    assert not [name for name in indexes if "trgm" in name]
