import pytest

from guilde.community.demo import seed_community
from guilde.rituals.demo import seed_rituals
from guilde.rituals.models import Rating, Ritual, Session, Topic, Vote


def _counts():
    return (
        Ritual.objects.count(),
        Session.objects.count(),
        Topic.objects.count(),
        Vote.objects.count(),
        Rating.objects.count(),
    )


@pytest.mark.django_db
def test_demo_rituals_are_idempotent_and_lively():
    seed_community()

    seed_rituals()
    first = _counts()
    seed_rituals()

    assert _counts() == first
    assert first[0] == 2
    assert Session.objects.exclude(replay_url="").count() >= 50  # a year, every two weeks, twice
    assert first[4] > 200
    assert Topic.objects.filter(status="proposed").count() >= 10
