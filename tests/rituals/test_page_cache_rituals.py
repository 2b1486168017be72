"""The rituals pages in the page cache: re-sent while nothing changed, never across viewers or rights."""

import pytest
from django.urls import reverse

from guilde.community.selectors import get_community
from tests.core.page_cache_checks import assert_built, assert_served_from_cache, fetch, signed_in
from tests.factories.rituals import RitualFactory, SessionFactory, TopicFactory
from tests.rituals.conftest import make_user

pytestmark = pytest.mark.django_db

INDEX = reverse("rituals:index")
TOPICS = reverse("rituals:topics")
PLAN = reverse("rituals:plan")


@pytest.fixture
def session():
    return SessionFactory(ritual=RitualFactory(name="Product exchange"))


@pytest.fixture
def urls(session):
    get_community()  # created on first need: a write, as on the very first page of an installation
    TopicFactory(title="Pricing pages")
    return {
        "index": INDEX,
        "session": reverse("rituals:session", args=[session.pk]),
        "topics": TOPICS,
        "topics, filtered": TOPICS + "?q=pricing",
        "plan": PLAN,
    }


@pytest.fixture
def ops_reader(ops):
    return signed_in(ops, INDEX)


@pytest.mark.parametrize("name", ["index", "session", "topics", "topics, filtered", "plan"])
def test_a_page_read_again_is_served_from_the_cache(ops_reader, urls, name):
    assert_served_from_cache(ops_reader, urls[name])


@pytest.mark.parametrize("name", ["index", "session", "topics", "plan"])
def test_any_write_in_the_module_rebuilds_the_page(ops_reader, urls, name):
    writer = signed_in(make_user("member"), INDEX)
    topic = TopicFactory()
    assert_served_from_cache(ops_reader, urls[name])
    writer.post(reverse("rituals:topic_vote", args=[topic.pk]))
    assert_built(ops_reader, urls[name])


def test_a_new_topic_shows_in_the_pool_at_once(ops_reader, urls):
    assert "Discovery sprints" not in assert_served_from_cache(ops_reader, TOPICS).decode()
    writer = signed_in(make_user("member"), INDEX)
    writer.post(TOPICS + "new/", {"title": "Discovery sprints", "format": "talk", "duration_minutes": 30})
    assert "Discovery sprints" in assert_built(ops_reader, TOPICS)


def test_an_rsvp_shows_in_the_hosts_attendee_list_at_once(ops_reader, urls, session):
    attendee = make_user("member", user__full_name="Ottilie Attendee")
    url = urls["session"]
    assert "Ottilie Attendee" not in assert_served_from_cache(ops_reader, url).decode()
    signed_in(attendee, INDEX).post(reverse("rituals:session_rsvp", args=[session.pk]), {"status": "going"})
    assert "Ottilie Attendee" in assert_built(ops_reader, url)


def test_a_new_title_shows_in_the_session_list_at_once(ops_reader, session):
    assert "Roadmap clinic" not in assert_served_from_cache(ops_reader, INDEX).decode()
    ops_reader.post(reverse("rituals:session_recap", args=[session.pk]), {"title": "Roadmap clinic"}, follow=True)
    assert "Roadmap clinic" in assert_built(ops_reader, INDEX)


@pytest.mark.parametrize(
    ("name", "ops_only"),
    [("index", "New ritual"), ("session", "Move this session"), ("topics", None)],
)
def test_two_viewers_never_share_a_page(ops_reader, urls, name, ops_only):
    """Product ops manage (new ritual, move a session); a member with the same cookie gets their own page."""
    ops_page = assert_served_from_cache(ops_reader, urls[name]).decode()
    member = signed_in(make_user("member"), INDEX, csrf_from=ops_reader)
    member_page = assert_built(member, urls[name])
    if ops_only:
        assert ops_only in ops_page
        assert ops_only not in member_page


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [("member", "plan", 403), ("stakeholder", "topics", 403), ("stakeholder", "session", 404)],
)
def test_a_forbidden_viewer_is_still_refused(ops_reader, urls, role, name, status):
    assert_served_from_cache(ops_reader, urls[name])
    other = signed_in(make_user(role), INDEX, csrf_from=ops_reader)
    fetch(other, urls[name], status=status)
    fetch(other, urls[name], status=status)


def test_a_partial_and_the_whole_page_are_kept_apart(ops_reader, urls):
    """htmx asks for the results only; a history restore (same headers plus one) for the whole page."""
    partial = assert_served_from_cache(ops_reader, TOPICS, headers={"HX-Request": "true"}).decode()
    restore = fetch(ops_reader, TOPICS, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})[0]
    assert "<html" not in partial
    assert "<html" in restore.content.decode()
