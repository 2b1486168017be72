import pytest

from guilde.community.demo import demo_steps
from guilde.feedback.demo import seed_feedback_demo
from guilde.feedback.models import Feedback, FeedbackPolicy, Opportunity, QualityCriterion, Segment, StatusChange
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_history_once():
    UserFactory(role="stakeholder")
    UserFactory(role="member")
    seed_feedback_demo(count=120)
    assert Feedback.objects.count() == 120
    assert StatusChange.objects.count() > 120
    assert Feedback.objects.filter(language="fr").exists()
    assert Opportunity.objects.filter(feedback_count__gt=0).exists()
    assert seed_feedback_demo(count=120) == "feedback: already seeded"
    assert Feedback.objects.count() == 120


def test_demo_step_is_registered():
    assert "feedback" in [step.name for step in demo_steps()]


def test_demo_on_a_flushed_database_brings_back_the_default_definition():
    QualityCriterion.objects.all().delete()
    Segment.objects.all().delete()
    FeedbackPolicy.objects.all().delete()
    UserFactory(role="stakeholder")

    seed_feedback_demo(count=30)

    assert QualityCriterion.objects.count() == 4
    assert Segment.objects.count() == 3
    assert FeedbackPolicy.objects.get().required_fields == ["title", "problem", "source"]
    assert Feedback.objects.filter(quality_score__lt=100).exists()
