"""The initiatives pages in the page cache: re-sent while nothing changed, never across viewers or rights."""

from datetime import timedelta

import pytest
from django.urls import reverse

from guilde.initiatives import selectors
from tests.core.page_cache_checks import assert_built, assert_served_from_cache, fetch, signed_in
from tests.factories.initiatives import InitiativeFactory, PledgeFactory, default_pillar
from tests.initiatives.conftest import make_member

pytestmark = pytest.mark.django_db

BOARD = reverse("initiatives:board")
PLANNER = reverse("initiatives:planner")
MINE = reverse("initiatives:mine")
URLS = {
    "board": BOARD,
    "board by pillar": BOARD + "?by=pillar",
    "planner": PLANNER,
    "planner, 8 weeks": PLANNER + "?weeks=8",
    "mine": MINE,
}


@pytest.fixture
def initiative(volunteer):
    default_pillar()  # the community and its pillars are created on first need: a write
    initiative = InitiativeFactory(title="Big playbook", effort_hours=40, status="planned")
    PledgeFactory(initiative=initiative, member=volunteer, minutes_per_week=60)
    return initiative


@pytest.fixture
def reader(volunteer, initiative):
    return signed_in(volunteer.user, BOARD)


@pytest.fixture
def ops_reader(ops, initiative):
    return signed_in(ops.user, BOARD)


@pytest.mark.parametrize("name", URLS)
def test_a_page_read_again_is_served_from_the_cache(reader, name):
    assert_served_from_cache(reader, URLS[name])


@pytest.mark.parametrize("name", ["board", "planner", "mine"])
def test_any_write_in_the_module_rebuilds_the_page(reader, ops_reader, initiative, name):
    assert_served_from_cache(reader, URLS[name])
    ops_reader.post(reverse("initiatives:reprioritise", args=[initiative.pk]), {"direction": "up", "version": 1})
    assert_built(reader, URLS[name])


def test_a_new_initiative_shows_on_the_board_at_once(reader, ops_reader, ops):
    assert "Mentoring circles" not in assert_served_from_cache(reader, BOARD).decode()
    ops_reader.post(
        reverse("initiatives:create"),
        {
            "title": "Mentoring circles",
            "pillar": default_pillar().pk,
            "kind": "quiz",
            "goal": "Pair people up",
            "effort_hours": 6,
            "value": 3,
            "rank": 5,
            "lead": ops.user.pk,
        },
    )
    assert "Mentoring circles" in assert_built(reader, BOARD)


def test_a_deprioritised_initiative_leaves_the_plan_at_once(reader, ops_reader, initiative):
    before = assert_served_from_cache(reader, PLANNER).decode()
    ops_reader.post(reverse("initiatives:deprioritise", args=[initiative.pk]), {"deprioritise-reason": "Too big"})
    after = assert_built(reader, PLANNER)
    assert "Too ambitious for current capacity" in before
    assert "Too ambitious for current capacity" not in after


def test_my_own_absence_shows_at_once(reader):
    assert "Holidays in Brittany" not in assert_served_from_cache(reader, MINE).decode()
    day = selectors.today()
    reader.post(MINE, {"start": day, "end": day + timedelta(days=4), "note": "Holidays in Brittany"}, follow=True)
    assert "Holidays in Brittany" in assert_built(reader, MINE)


@pytest.mark.parametrize(("name", "ops_only"), [("planner", "Volunteer care"), ("board", None), ("mine", None)])
def test_two_viewers_never_share_a_page(ops_reader, name, ops_only):
    ops_page = assert_served_from_cache(ops_reader, URLS[name]).decode()
    other = signed_in(make_member("volunteer").user, BOARD, csrf_from=ops_reader)
    other_page = assert_built(other, URLS[name])
    if ops_only:
        assert ops_only in ops_page
        assert ops_only not in other_page


@pytest.mark.parametrize("name", ["board", "planner", "mine"])
def test_a_forbidden_viewer_is_still_refused(ops_reader, name):
    assert_served_from_cache(ops_reader, URLS[name])
    stakeholder = signed_in(make_member("stakeholder").user, BOARD, csrf_from=ops_reader)
    fetch(stakeholder, URLS[name], status=403)
    fetch(stakeholder, URLS[name], status=403)
