import pytest

from guilde.core.search import fts5_query, ranked_ids, search_tokens, similar
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
