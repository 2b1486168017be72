import pytest

from guilde.accounts.services import create_api_token
from guilde.rituals.models import Rsvp, Vote
from tests.factories.rituals import RitualFactory, SessionFactory, TopicFactory
from tests.rituals.conftest import make_user


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(actor=user, name='t').secret}"}


@pytest.mark.django_db
def test_api_lists_sessions_and_answers_rsvp(client):
    user = make_user("member")
    session = SessionFactory()

    listed = client.get("/api/rituals/sessions", **_auth(user)).json()
    answered = client.put(
        f"/api/rituals/sessions/{session.pk}/rsvp", {"status": "going"}, content_type="application/json", **_auth(user)
    )

    assert [item["id"] for item in listed["items"]] == [session.pk]
    assert answered.json() == {"session_id": session.pk, "status": "going", "waitlisted": False}
    assert Rsvp.objects.get().user == user


@pytest.mark.django_db
def test_api_topics_vote_is_idempotent_and_withdrawable(client):
    user = make_user("member")
    topic = TopicFactory()
    auth = _auth(user)

    client.put(f"/api/rituals/topics/{topic.pk}/vote", **auth)
    twice = client.put(f"/api/rituals/topics/{topic.pk}/vote", **auth).json()
    withdrawn = client.delete(f"/api/rituals/topics/{topic.pk}/vote", **auth).json()

    assert twice == {"topic_id": topic.pk, "voted": True, "vote_count": 1}
    assert withdrawn == {"topic_id": topic.pk, "voted": False, "vote_count": 0}
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_api_propose_topic(client):
    user = make_user("member")

    response = client.post(
        "/api/rituals/topics",
        {"title": "Async standups", "languages": ["en"]},
        content_type="application/json",
        **_auth(user),
    )

    assert response.status_code == 201
    assert response.json()["speakers"] == [user.full_name]


@pytest.mark.django_db
def test_api_hides_members_only_sessions_and_topics_from_stakeholders(client):
    stakeholder = make_user("stakeholder")
    hidden = SessionFactory()
    public = SessionFactory(ritual=RitualFactory(visibility="public"))
    topic = TopicFactory()
    auth = _auth(stakeholder)

    listed = client.get("/api/rituals/sessions", **auth).json()

    assert [item["id"] for item in listed["items"]] == [public.pk]
    assert client.get(f"/api/rituals/sessions/{hidden.pk}", **auth).status_code == 404
    assert client.get(f"/api/rituals/topics/{topic.pk}", **auth).status_code == 404
    assert client.put(f"/api/rituals/topics/{topic.pk}/vote", **auth).status_code == 404
