"""Every list page and API list runs the same number of queries with 1 and with 3 rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guilde.rituals.enums import TopicStatus
from tests.factories.community import PillarFactory
from tests.factories.rituals import RatingFactory, RitualFactory, RsvpFactory, SessionFactory, TopicFactory
from tests.rituals.conftest import make_user


def _queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(context.captured_queries)


def _sessions(count, *, user, ritual, past=False):
    for index in range(count):
        start = timezone.now() + datetime.timedelta(days=(-10 - index) if past else (3 + index))
        session = SessionFactory(ritual=ritual, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        topic = TopicFactory(session=session, slot=1, status=TopicStatus.SCHEDULED, pillar=PillarFactory())
        topic.speakers.add(make_user("member"))
        RsvpFactory(session=session, user=user)
        RsvpFactory(session=session)
        RatingFactory(session=session, user=user)


def _counts(client, url, make, **kwargs):
    make(1)
    client.get(url, **kwargs)  # warm the per-process caches (community name, content types)
    one = _queries(client, url, **kwargs)
    make(2)
    three = _queries(client, url, **kwargs)
    return one, three


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["index", "ritual", "me", "events", "api_sessions"])
def test_session_lists_have_constant_queries(client, page, settings):
    user = make_user("member")
    ritual = RitualFactory(visibility="public", hosts=[make_user("product_ops")])
    client.force_login(user)
    urls = {
        "index": reverse("rituals:index"),
        "ritual": reverse("rituals:ritual", args=[ritual.pk]),
        "me": reverse("rituals:me"),
        "events": reverse("rituals:events"),
        "api_sessions": "/api/rituals/sessions",
    }
    kwargs = {}
    if page == "api_sessions":
        from guilde.accounts.services import create_api_token

        secret = create_api_token(actor=user, name="test").secret
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def make(count):
        _sessions(count, user=user, ritual=ritual)
        _sessions(count, user=user, ritual=ritual, past=True)
        for session in ritual.sessions.filter(replay_url=""):
            session.replay_url = "https://v.example.com/r"
            session.save()

    one, three = _counts(client, urls[page], make, **kwargs)
    assert one == three


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["topics", "plan", "api_topics"])
def test_topic_lists_have_constant_queries(client, page):
    user = make_user("product_ops")
    client.force_login(user)
    SessionFactory()
    kwargs = {}
    if page == "api_topics":
        from guilde.accounts.services import create_api_token

        secret = create_api_token(actor=user, name="test").secret
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = {"topics": reverse("rituals:topics"), "plan": reverse("rituals:plan"), "api_topics": "/api/rituals/topics"}

    def make(count):
        for _ in range(count):
            topic = TopicFactory(pillar=PillarFactory(), proposed_by=make_user("member"))
            topic.speakers.add(make_user("member"))

    one, three = _counts(client, url[page], make, **kwargs)
    assert one == three
