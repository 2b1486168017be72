import pytest

from guilde.community.demo import seed_community
from guilde.initiatives import selectors
from guilde.initiatives.demo import seed_initiatives
from guilde.initiatives.models import Challenge, CheckIn, Initiative, Pledge


@pytest.mark.django_db
def test_demo_seeds_initiatives_on_track_and_too_ambitious_and_is_idempotent():
    seed_community()

    seed_initiatives()
    counts = (Initiative.objects.count(), Challenge.objects.count(), Pledge.objects.count(), CheckIn.objects.count())
    seed_initiatives()

    plan, _inputs = selectors.capacity_plan()
    assert counts[0] >= 25
    assert Initiative.objects.values("pillar").distinct().count() == 4
    assert (Initiative.objects.count(), Challenge.objects.count(), Pledge.objects.count()) == counts[:3]
    assert CheckIn.objects.count() == counts[3]
    assert len(plan.too_ambitious) >= 3
    assert len([item for item in plan.initiatives if item.fits]) >= 5
    assert selectors.overwork_signals()


@pytest.mark.django_db
def test_demo_pledges_stay_within_each_volunteers_time():
    seed_community()
    seed_initiatives()

    for member_id in Pledge.objects.values_list("member", flat=True).distinct():
        pledges = Pledge.objects.filter(member_id=member_id, end__gte=selectors.today()).select_related("member")
        assert sum(p.minutes_per_week for p in pledges) <= pledges[0].member.weekly_minutes
