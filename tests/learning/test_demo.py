import pytest

from guilde.community.demo import seed_community
from guilde.learning.demo import seed_learning
from guilde.learning.enums import PathPurpose, QuestionStatus
from guilde.learning.models import Attempt, Enrolment, Path, Question, Quiz


@pytest.mark.django_db
def test_demo_seeds_a_bilingual_bank_quizzes_paths_and_attempts_once():
    seed_community()

    first = seed_learning()
    counts = (Question.objects.count(), Quiz.objects.count(), Attempt.objects.count(), Enrolment.objects.count())
    second = seed_learning()

    assert "60 questions" in first
    assert second == "learning: already there"
    assert counts == (
        Question.objects.count(),
        Quiz.objects.count(),
        Attempt.objects.count(),
        Enrolment.objects.count(),
    )
    published = Question.objects.filter(status=QuestionStatus.PUBLISHED)
    assert published.count() == 60
    assert not published.filter(text_fr="").exists()
    assert Quiz.objects.filter(is_published=True).count() == 5
    assert set(Path.objects.values_list("purpose", flat=True)) == {PathPurpose.ONBOARDING, PathPurpose.PRODUCT_CULTURE}
    assert Attempt.objects.filter(submitted_at__isnull=False).count() > 50
    assert "\u202f?" in Question.objects.filter(text_fr__endswith="?").first().text_fr
