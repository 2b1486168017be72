"""The learning pages in the page cache: re-sent while nothing changed, never across viewers or rights."""

import pytest
from django.urls import reverse

from guilde.learning.enums import Audience, PathPurpose, QuestionKind, StepKind
from guilde.learning.models import Attempt
from tests.core.page_cache_checks import assert_built, assert_served_from_cache, fetch, signed_in
from tests.factories.learning import PathFactory, QuestionFactory, QuizFactory, StepFactory, submitted_attempt
from tests.learning.conftest import make_user

pytestmark = pytest.mark.django_db

BANK = reverse("learning:question_bank")
STATISTICS = reverse("learning:statistics")
ONBOARDING = reverse("learning:onboarding")


@pytest.fixture
def question():
    return QuestionFactory(text_en="What is a discovery trio?")


@pytest.fixture
def quiz(question):
    return QuizFactory(title_en="Discovery basics", questions=[question])


@pytest.fixture
def answered_question():
    """A question with an answer (the page of one never answered fails to render: not the cache's doing)."""
    question = QuestionFactory(text_en="What is a product trio?")
    submitted_attempt(quiz=QuizFactory(questions=[question]), user=make_user("member"), scores=[1])
    return question


@pytest.fixture
def onboarding_path():
    path = PathFactory(title_en="Welcome aboard", purpose=PathPurpose.ONBOARDING, audience=Audience.COMMUNITY)
    StepFactory(path=path, kind=StepKind.READ)
    return path


@pytest.fixture
def urls(question, quiz, answered_question, onboarding_path):
    return {
        "question bank": BANK,
        "question bank, filtered": BANK + "?q=trio",
        "statistics": STATISTICS,
        "quiz statistics": STATISTICS + f"?quiz={quiz.pk}",
        "question statistics": reverse("learning:question_statistics", args=[answered_question.pk]),
        "onboarding": ONBOARDING,
    }


@pytest.fixture
def ops_reader(ops):
    return signed_in(ops, BANK)


@pytest.mark.parametrize(
    "name",
    ["question bank", "question bank, filtered", "statistics", "quiz statistics", "question statistics", "onboarding"],
)
def test_a_page_read_again_is_served_from_the_cache(ops_reader, urls, name):
    assert_served_from_cache(ops_reader, urls[name])


@pytest.mark.parametrize("name", ["question bank", "statistics", "question statistics", "onboarding"])
def test_any_write_in_the_module_rebuilds_the_page(ops_reader, urls, onboarding_path, name):
    assert_served_from_cache(ops_reader, urls[name])
    signed_in(make_user("member"), BANK).post(reverse("learning:path_enrol", args=[onboarding_path.pk]))
    assert_built(ops_reader, urls[name])


def test_a_new_question_shows_in_the_authors_bank_at_once(volunteer):
    author = signed_in(volunteer, BANK)
    assert "Which are product risks?" not in assert_served_from_cache(author, BANK).decode()
    author.post(
        reverse("learning:question_create"),
        {
            "kind": QuestionKind.SINGLE,
            "text_en": "Which are product risks?",
            "text_fr": "Quels sont les risques produit ?",
            "choices_en": "*Value\nVelocity",
            "choices_fr": "Valeur\nVélocité",
        },
        follow=True,
    )
    assert "Which are product risks?" in assert_built(author, BANK)


def test_a_finished_attempt_shows_in_the_quiz_statistics_at_once(ops_reader, urls, quiz, question):
    url = urls["quiz statistics"]
    assert "How attempts scored" not in assert_served_from_cache(ops_reader, url).decode()
    learner = make_user("member")
    learner_browser = signed_in(learner, BANK)
    learner_browser.post(reverse("learning:quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    right = question.choices.get(is_correct=True)
    learner_browser.post(
        reverse("learning:attempt", args=[attempt.pk]), {"question": question.pk, "response": right.pk}
    )
    learner_browser.post(reverse("learning:attempt_finish", args=[attempt.pk]))
    assert "How attempts scored" in assert_built(ops_reader, url)


def test_a_newcomer_shows_in_onboarding_at_once(ops_reader, onboarding_path):
    newcomer = make_user("member", user__full_name="Nadia Newcomer")
    assert "Nadia Newcomer" not in assert_served_from_cache(ops_reader, ONBOARDING).decode()
    signed_in(newcomer, BANK).post(reverse("learning:path_enrol", args=[onboarding_path.pk]))
    assert "Nadia Newcomer" in assert_built(ops_reader, ONBOARDING)


@pytest.mark.parametrize("name", ["question bank", "statistics", "question statistics"])
def test_two_viewers_never_share_a_page(ops_reader, urls, name):
    assert_served_from_cache(ops_reader, urls[name])
    author = signed_in(make_user("volunteer"), BANK, csrf_from=ops_reader)
    assert_built(author, urls[name])


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("member", "question bank"),
        ("member", "statistics"),
        ("member", "question statistics"),
        ("volunteer", "onboarding"),
    ],
)
def test_a_forbidden_viewer_is_still_refused(ops_reader, urls, role, name):
    """Learning answers 404 to a forbidden page, exactly as to a missing one."""
    assert_served_from_cache(ops_reader, urls[name])
    other = signed_in(make_user(role), BANK if role == "volunteer" else reverse("learning:index"), csrf_from=ops_reader)
    fetch(other, urls[name], status=404)
    fetch(other, urls[name], status=404)
