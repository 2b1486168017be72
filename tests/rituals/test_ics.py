import datetime

import pytest
from django.core import mail
from icalendar import Calendar

from guilde.rituals import services
from guilde.rituals.enums import RsvpStatus
from tests.factories.rituals import RitualFactory, RsvpFactory, SessionFactory, TopicFactory


def _events(body: bytes):
    return list(Calendar.from_ical(body).walk("VEVENT"))


@pytest.mark.django_db
def test_session_ics_keeps_its_uid_and_raises_sequence_on_update(member_client, ops):
    session = SessionFactory(ritual=RitualFactory(video_url="https://meet.example.com/x"))
    TopicFactory(session=session, slot=1, title="Discovery in two weeks")

    before = _events(member_client.get(f"/sessions/s/{session.pk}/event.ics").content)[0]
    services.move_session(actor=ops, session=session, starts_at=session.starts_at + datetime.timedelta(days=1))
    after = _events(member_client.get(f"/sessions/s/{session.pk}/event.ics").content)[0]

    assert str(before["uid"]) == str(after["uid"]) == f"session-{session.pk}@guilde"
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 1)
    assert after.decoded("dtstart") - before.decoded("dtstart") == datetime.timedelta(days=1)
    assert "Discovery in two weeks" in str(after["description"])
    assert str(after["location"]) == "https://meet.example.com/x"
    assert str(after["status"]) == "CONFIRMED"


@pytest.mark.django_db
def test_cancellation_is_sent_as_method_cancel_with_the_same_uid(ops, django_capture_on_commit_callbacks):
    session = SessionFactory()
    going = RsvpFactory(session=session, status=RsvpStatus.GOING)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(actor=ops, session=session, reason="Holiday")

    message = mail.outbox[-1]
    assert message.to == [going.user.email]
    _name, body, mimetype = message.attachments[0]
    calendar = Calendar.from_ical(body)
    event = _events(body)[0]
    assert "method=CANCEL" in mimetype
    assert str(calendar["method"]) == "CANCEL"
    assert (str(event["uid"]), int(event["sequence"]), str(event["status"])) == (session.uid, 1, "CANCELLED")


@pytest.mark.django_db
def test_going_sends_an_invitation_with_a_request(member, django_capture_on_commit_callbacks):
    session = SessionFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(actor=member, session=session, status=RsvpStatus.GOING)

    message = mail.outbox[-1]
    calendar = Calendar.from_ical(message.attachments[0][1])
    event = _events(message.attachments[0][1])[0]
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == session.uid
    assert member.email in str(event["attendee"])


@pytest.mark.django_db
def test_personal_feed_lists_sessions_i_go_to_and_revoking_breaks_the_link(member_client, member, client):
    mine, other = SessionFactory(), SessionFactory()
    RsvpFactory(session=mine, user=member, status=RsvpStatus.GOING)
    RsvpFactory(session=other, user=member, status=RsvpStatus.NOT_GOING)
    feed = services.calendar_feed(actor=member)

    body = client.get(f"/sessions/feed/{feed.token}.ics").content
    services.calendar_feed(actor=member, renew=True)
    stale = client.get(f"/sessions/feed/{feed.token}.ics")

    assert [str(e["uid"]) for e in _events(body)] == [mine.uid]
    assert stale.status_code == 404


@pytest.mark.django_db
def test_public_ritual_feed_hides_the_video_link_from_anonymous(client):
    ritual = RitualFactory(visibility="public", video_url="https://meet.example.com/secret")
    SessionFactory(ritual=ritual)
    private = RitualFactory()

    body = client.get(f"/sessions/rituals/{ritual.pk}/calendar.ics").content
    hidden = client.get(f"/sessions/rituals/{private.pk}/calendar.ics")

    assert len(_events(body)) == 1
    assert b"meet.example.com" not in body
    assert hidden.status_code == 404
