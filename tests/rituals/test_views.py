import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guilde.rituals.enums import RsvpStatus, TopicStatus
from guilde.rituals.models import Rating, Rsvp
from guilde.rituals.slots import AMERICAS, EUROPE_AFRICA
from tests.factories.rituals import RitualFactory, RsvpFactory, SessionFactory, TopicFactory
from tests.rituals.conftest import ROLES, make_user

OPS_ONLY = {"ritual_create", "ritual_edit", "plan", "slots", "session_move", "session_cancel", "session_recap"}
COMMUNITY = {"topics", "topic", "topic_create"}
SIGNED_IN = {"index", "ritual", "session", "me"}
# Stakeholders see public sessions only: members-only objects are 404, members-only pages 403.
STAKEHOLDER = {
    "index": 200,
    "me": 200,
    "ritual": 404,
    "session": 404,
    "ritual_edit": 404,
    "session_move": 404,
    "session_cancel": 404,
    "session_recap": 404,
    "topics": 403,
    "topic": 403,
    "topic_create": 403,
    "ritual_create": 403,
    "plan": 403,
    "slots": 403,
}


def _url(name, *, ritual, session, topic):
    if name in {"ritual", "ritual_edit"}:
        return reverse(f"rituals:{name}", args=[ritual.pk])
    if name in {"session", "session_move", "session_cancel", "session_recap"}:
        return reverse(f"rituals:{name}", args=[session.pk])
    if name == "topic":
        return reverse("rituals:topic", args=[topic.pk])
    return reverse(f"rituals:{name}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("name", sorted(OPS_ONLY | COMMUNITY | SIGNED_IN))
def test_permission_matrix_on_a_members_only_ritual(client, role, name):
    ritual = RitualFactory()
    session = SessionFactory(ritual=ritual)
    topic = TopicFactory()
    if role != "anonymous":
        client.force_login(make_user(role))

    response = client.get(_url(name, ritual=ritual, session=session, topic=topic))

    if role == "anonymous":
        # The members-only session is hidden exactly like a missing one; the rest asks to sign in.
        expected = 404 if name == "session" else 302
    elif role == "stakeholder":
        expected = STAKEHOLDER[name]
    elif name in OPS_ONLY and role != "product_ops":
        expected = 403
    else:
        expected = 200
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["stakeholder", "anonymous"])
def test_public_sessions_are_readable_by_outsiders(client, role):
    session = SessionFactory(ritual=RitualFactory(visibility="public", video_url="https://meet.example.com/v"))
    if role != "anonymous":
        client.force_login(make_user(role))

    response = client.get(reverse("rituals:session", args=[session.pk]))

    assert response.status_code == 200
    assert "meet.example.com" not in response.content.decode()


@pytest.mark.django_db
def test_host_who_is_a_volunteer_manages_their_ritual_only(client):
    host = make_user("volunteer")
    mine, theirs = SessionFactory(ritual=RitualFactory(hosts=[host])), SessionFactory()
    client.force_login(host)

    assert client.get(reverse("rituals:session_recap", args=[mine.pk])).status_code == 200
    assert client.get(reverse("rituals:session_recap", args=[theirs.pk])).status_code == 403


@pytest.mark.django_db
def test_rsvp_through_htmx_returns_the_partial(member_client, member):
    session = SessionFactory()

    response = member_client.post(
        reverse("rituals:session_rsvp", args=[session.pk]), {"status": "going"}, headers={"HX-Request": "true"}
    )

    assert Rsvp.objects.get(session=session, user=member).status == RsvpStatus.GOING
    assert response.content.decode().lstrip().startswith('<div id="rsvp"')


@pytest.mark.django_db
def test_vote_button_toggles_through_htmx(member_client, member):
    topic = TopicFactory()

    first = member_client.post(reverse("rituals:topic_vote", args=[topic.pk]), headers={"HX-Request": "true"})
    member_client.post(reverse("rituals:topic_vote", args=[topic.pk]), headers={"HX-Request": "true"})

    topic.refresh_from_db()
    assert 'aria-pressed="true"' in first.content.decode()
    assert topic.vote_count == 0


@pytest.mark.django_db
def test_propose_topic_shows_translated_errors_next_to_fields(member_client):
    member_client.cookies["guilde_language"] = "fr"

    response = member_client.post(
        reverse("rituals:topic_create"), {"title": "", "format": "talk", "duration_minutes": 500}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert '<div class="invalid-feedback d-block">Ce champ est obligatoire.</div>' in body
    assert "Proposer un sujet" in body


@pytest.mark.django_db
def test_propose_topic_creates_it_with_me_as_speaker(member_client, member):
    response = member_client.post(
        reverse("rituals:topic_create"),
        {
            "title": "Discovery sprints",
            "format": "workshop",
            "duration_minutes": 30,
            "languages": ["en", "fr"],
        },
    )

    topic = member.proposed_topics.get()
    assert response["Location"] == topic.get_absolute_url()
    assert list(topic.speakers.all()) == [member]
    assert topic.languages == ["en", "fr"]


@pytest.mark.django_db
def test_rating_form_after_the_session(member_client, member):
    session = SessionFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    RsvpFactory(session=session, user=member)

    page = member_client.get(reverse("rituals:session", args=[session.pk]))
    member_client.post(reverse("rituals:session_rate", args=[session.pk]), {"usefulness": 5, "will_apply": "on"})

    assert "How was it?" in page.content.decode()
    assert Rating.objects.filter(session=session, user=member).values_list("usefulness", "will_apply").get() == (
        5,
        True,
    )


@pytest.mark.django_db
def test_ritual_form_warns_about_three_am(ops_client):
    data = {
        "name": "Night",
        "weekday": 1,
        "interval_weeks": 2,
        "local_time": "03:00",
        "timezone": "Europe/Paris",
        "starts_on": "2026-06-01",
        "duration_minutes": 60,
        "topic_slots": 2,
        "visibility": "members",
    }

    refused = ops_client.post(reverse("rituals:ritual_create"), data)
    accepted = ops_client.post(reverse("rituals:ritual_create"), {**data, "confirm_odd_hour": "on"})

    assert "outside usual hours" in refused.content.decode()
    assert accepted.status_code == 302


@pytest.mark.django_db
def test_external_contact_email_is_shown_to_product_ops_only(client, ops):
    topic = TopicFactory(
        proposed_by=None,
        speakers=[],
        is_external=True,
        contact_name="Alex",
        contact_email="alex@outside.test",
        status=TopicStatus.PROPOSED,
    )
    client.force_login(make_user("member"))
    as_member = client.get(topic.get_absolute_url()).content.decode()
    client.force_login(ops)
    as_ops = client.get(topic.get_absolute_url()).content.decode()

    assert "alex@outside.test" not in as_member
    assert "alex@outside.test" in as_ops


@pytest.mark.django_db
def test_slot_finder_page_ranks_the_community(ops_client):
    make_user("member", user__timezone="America/New_York")

    response = ops_client.get(reverse("rituals:slots"), {"opens": 9, "closes": 18, "duration_minutes": 60})

    assert response.status_code == 200
    assert response.context["report"].groups == {EUROPE_AFRICA: 1, AMERICAS: 1}
    assert "New York" in response.content.decode()


@pytest.mark.django_db
def test_slot_finder_counts_the_people_of_a_ritual_with_their_own_zones(ops_client):
    session = SessionFactory()
    for zone in ["America/Chicago", "America/Chicago", "Europe/Paris"]:
        RsvpFactory(session=session, user=make_user("member", user__timezone=zone))
    make_user("member", user__timezone="America/Chicago")  # answered nothing: not counted

    response = ops_client.get(
        reverse("rituals:slots"), {"opens": 9, "closes": 18, "duration_minutes": 60, "ritual": session.ritual_id}
    )

    assert response.context["report"].groups == {AMERICAS: 2, EUROPE_AFRICA: 1}
    assert response.context["report"].zones == ["America/Chicago", "Europe/Paris"]


@pytest.mark.django_db
def test_session_page_shows_the_viewers_time_and_the_reference_time(client):
    viewer = make_user("member", user__timezone="Asia/Tokyo")
    ritual = RitualFactory(timezone="America/New_York")
    starts = datetime.datetime(2030, 1, 15, 17, 0, tzinfo=datetime.UTC)  # 12:00 New York, 02:00 Tokyo next day
    session = SessionFactory(ritual=ritual, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    client.force_login(viewer)

    page = client.get(session.get_absolute_url()).content.decode()

    assert 'Wednesday 16 January 2030,</span> <span class="text-nowrap">02:00\u201303:00 (Tokyo)' in page
    assert "Tue 12:00 in New York" in page


@pytest.mark.django_db
def test_home_shows_a_stakeholder_the_next_session_and_their_talks(client):
    stakeholder = make_user("stakeholder")
    session = SessionFactory(ritual=RitualFactory(visibility="public"))
    TopicFactory(title="What customers ask support", proposed_by=stakeholder, session=session)
    client.force_login(stakeholder)

    page = client.get("/").content.decode()

    assert "Next session" in page
    assert "My talks" in page
    assert f'href="{session.get_absolute_url()}">What customers ask support' in page
    assert "Topics to vote on" not in page
