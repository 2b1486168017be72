"""The search at "any size": the thresholds that make a big table behave differently (rarity
probe, recent window, whole-index budget, candidates per pass) are scaled down, so a few hundred
rows take the same paths as a million rows do with the real values."""

import importlib
import re
import types
import unicodedata

import pytest
from django.db import connection

from guilde.core import search
from guilde.core.search import ranked_ids, similar
from guilde.core.search.sqlite import _passes
from guilde.feedback.models import FEEDBACK_SEARCH_INDEX, Feedback
from tests.factories.accounts import UserFactory
from tests.factories.feedback import FeedbackFactory

pytestmark = pytest.mark.django_db

TARGET_TITLE = "Invoice PDF export fails for multi-currency accounts"
TARGET_PROBLEM = "When an account bills in several currencies the PDF export of its invoices times out."


@pytest.fixture(autouse=True)
def _fresh_statistics():
    search.clear_caches()
    yield
    search.clear_caches()


@pytest.fixture
def big_table(monkeypatch):
    """The thresholds of a large table, divided by about 5,000."""
    for name, value in {
        "CANDIDATES": 5,
        "DF_PROBE": 10,
        "WINDOW": 40,
        "WHOLE_INDEX_POSTINGS": 30,
        "RECENT_WINDOW": 40,
        "PG_MAX_GIN_ROWS": 10,
        "PG_ALL_WORDS_GIN_ROWS": 30,
    }.items():
        monkeypatch.setattr(search.tuning, name, value)


def _analyze():
    """PostgreSQL estimates word frequencies from the planner's statistics (a real table has them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feedback_feedback")
    search.clear_caches()


def _filler(count, user):
    """Newer rows sharing most of the target's words — the title repeated (which bm25 and ts_rank
    reward), the problem reworded, or common words only — and one that has all of them and more."""
    FeedbackFactory(title=TARGET_TITLE, problem=f"{TARGET_PROBLEM} The preview is slow too.", submitter=user)
    for i in range(count):
        kind = i % 3
        if kind == 0:
            title, problem = f"{TARGET_TITLE} {TARGET_TITLE}", f"The PDF export of invoices fails ({i})."
        elif kind == 1:
            title, problem = "Invoice PDF export fails", f"Several currencies: the export of invoices {i} times out."
        else:
            title, problem = "Export is slow", f"The export of accounts {i} times out."
        FeedbackFactory(title=title, problem=problem, submitter=user)


@pytest.mark.parametrize("newer_rows", [0, 12, 150])
def test_an_exact_duplicate_typed_again_is_the_first_suggestion_at_any_size(big_table, newer_rows):
    user = UserFactory()
    target = FeedbackFactory(title=TARGET_TITLE, problem=TARGET_PROBLEM, submitter=user)
    _filler(newer_rows, user)
    _analyze()

    text = f"{TARGET_TITLE} {TARGET_PROBLEM}"
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, text, limit=20)[0] == target.pk
    assert similar(Feedback.objects.all(), FEEDBACK_SEARCH_INDEX, text, limit=5)[0] == target


def test_an_exact_duplicate_is_first_with_the_real_thresholds():
    user = UserFactory()
    target = FeedbackFactory(title=TARGET_TITLE, problem=TARGET_PROBLEM, submitter=user)
    _filler(30, user)
    _analyze()
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, f"{TARGET_TITLE} {TARGET_PROBLEM}", limit=20)[0] == target.pk


def test_a_distinctive_word_finds_an_old_row_beyond_the_recent_window(big_table):
    user = UserFactory()
    old = FeedbackFactory(title="Zanzibar connector drops invoices", problem="The export stops.", submitter=user)
    for i in range(60):
        FeedbackFactory(title=f"Invoices export {i}", problem="The export of invoices stops.", submitter=user)
    _analyze()

    found = ranked_ids(FEEDBACK_SEARCH_INDEX, "zanzibar invoices export stops", limit=5)

    assert found[0] == old.pk


def test_common_wording_suggests_the_newest_rows_first(big_table):
    user = UserFactory()
    rows = [FeedbackFactory(title="Export is slow", problem="The export is slow.", submitter=user) for _ in range(8)]
    _analyze()

    found = ranked_ids(FEEDBACK_SEARCH_INDEX, "export slow", limit=3)

    assert found == [r.pk for r in reversed(rows[-3:])]


def test_an_unfinished_last_word_does_not_hide_what_the_other_words_find():
    user = UserFactory()
    target = FeedbackFactory(title="Dashboard export is slow", problem="Exporting the dashboard takes minutes.")
    FeedbackFactory(title="Calendar sync", problem="Google calendar sync is slow.", submitter=user)
    _analyze()

    # "minu" (being typed) matches nothing; on PostgreSQL it used to look like the rarest word.
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "Dashboard export takes minu", limit=5)[0] == target.pk
    # A word-fragment alone still searches (PostgreSQL then tries trigrams on the titles).
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "Dashboard", limit=5) == [target.pk]


def test_accented_words_match_on_both_backends():
    target = FeedbackFactory(title="Sécurité des données", problem="Le chiffrement des données exportées.")
    FeedbackFactory(title="Données de facturation", problem="Export des factures.")
    _analyze()

    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "sécurité données exportées", limit=5)[0] == target.pk


def test_words_are_split_as_the_full_text_index_splits_them():
    reference = re.compile(r"[^\W_]+")

    def slow_fold(text):
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    for text in [
        "Ça coûte 12€ — «déjà vu» n°5, naïve café",
        "snake_case and kebab-case, Œuvre STRAẞE ﬁn ½",
        "東京タワー Ωmega a\u0301b\u0327c \u034fjoined",
    ]:
        assert search._tokens(text) == reference.findall(slow_fold(text))
        assert search.fold(text) == slow_fold(text)
    # The underscore separates words, as in FTS5: one quoted token never becomes a phrase, which
    # a detail=none index would refuse.
    row = FeedbackFactory(title="snake case", problem="snake_case names")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "snake_case", limit=5) == [row.pk]


def test_a_word_the_full_text_index_would_split_is_left_out_not_an_error():
    row = FeedbackFactory(title="Tai Lue keyboard", problem="Typing xx\u19b0yy fails.")
    # U+19B0 is a letter for Python, a separator for SQLite's Unicode tables: "xx\u19b0yy" would
    # be a two-word phrase for FTS5. The other words still find the row.
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "keyboard xx\u19b0yy typing", limit=5) == [row.pk]


def test_a_row_with_the_same_words_and_length_scores_highest():
    weights = {"invoice": 2.0, "export": 1.0, "pdf": 3.0}
    texts = {
        1: "invoice export pdf",  # same words, same length
        2: "invoice export pdf invoice export pdf and more",  # superset, longer
        3: "invoice pdf",  # fewer words
        4: "invoice export pdf" + " more" * 500,  # read up to RANK_TEXT_CHARS only, known to be long
    }
    candidates = {pk: (text[: search.tuning.RANK_TEXT_CHARS], len(text)) for pk, text in texts.items()}
    assert search.rank_by_overlap(candidates, "Invoice export PDF", weights) == [1, 2, 4, 3]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 definition")
def test_migration_rebuilds_the_sqlite_index_from_the_rows_with_rowids_only():
    migration = importlib.import_module("guilde.feedback.migrations.0006_feedback_search_rowids")
    row = FeedbackFactory(title="Gantt chart printing", problem="Printing a Gantt chart cuts the last column.")
    with connection.cursor() as cursor:
        editor = types.SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.backwards(None, editor)
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'feedback_feedback_fts'")
        assert "detail=full" in cursor.fetchone()[0]
        migration.forwards(None, editor)
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'feedback_feedback_fts'")
        definition = cursor.fetchone()[0]

    assert "detail=none" in definition
    assert "columnsize=0" in definition
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "gantt printing", limit=5) == [row.pk]
    # The triggers are back: a new row is indexed.
    newer = FeedbackFactory(title="Gantt chart colours", problem="Printing in grey.")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "gantt colours", limit=5)[0] == newer.pk


def test_a_word_in_fewer_rows_than_a_pass_reads_is_read_alone_first_beside_common_words():
    frequencies = {"zanzibar": 20.0, "invoices": 90_000.0, "export": 500_000.0}
    chosen = ["zanzibar", "invoices", "export"]

    passes = _passes(chosen, ["zanzibar"], frequencies, 50)

    assert passes == [(1, ["zanzibar"]), (2, chosen)]
    # Beside words about as rare, the AND of all of them costs little: it stays first.
    assert _passes(chosen, ["zanzibar"], {**frequencies, "invoices": 40.0, "export": 60.0}, 50)[0] == (3, chosen)
    assert _passes(chosen, ["invoices"], {**frequencies, "zanzibar": 60.0}, 50)[0] == (3, chosen)
