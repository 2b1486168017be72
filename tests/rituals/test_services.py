import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from guilde.notifications.models import Notification
from guilde.rituals import services
from guilde.rituals.enums import RsvpStatus, TopicStatus
from guilde.rituals.models import Rsvp, Topic, Vote
from tests.factories.rituals import RitualFactory, RsvpFactory, SessionFactory, TopicFactory
from tests.rituals.conftest import make_user


@pytest.mark.django_db
def test_vote_twice_keeps_one_vote_and_withdraw_removes_it(member):
    topic = TopicFactory()

    first = services.vote_topic(actor=member, topic=topic)
    second = services.vote_topic(actor=member, topic=topic)
    topic.refresh_from_db()
    counted = topic.vote_count
    services.withdraw_vote(actor=member, topic=topic)
    services.withdraw_vote(actor=member, topic=topic)
    topic.refresh_from_db()

    assert (first, second, counted, topic.vote_count) == (True, False, 1, 0)
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_stakeholders_cannot_vote_or_propose():
    stakeholder = make_user("stakeholder")

    with pytest.raises(PermissionDenied):
        services.vote_topic(actor=stakeholder, topic=TopicFactory())
    with pytest.raises(PermissionDenied):
        services.propose_topic(actor=stakeholder, title="Sales tips")


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_vote_counts_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    member = make_user("member")
    topic = TopicFactory()
    barrier = threading.Barrier(4)
    results = []

    def vote():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            results.append(services.vote_topic(actor=member, topic=topic))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=vote) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    topic.refresh_from_db()
    assert sorted(results) == [False, False, False, True]
    assert (topic.vote_count, Vote.objects.filter(topic=topic).count()) == (1, 1)


@pytest.mark.django_db
def test_full_session_puts_going_on_the_waiting_list_and_promotes_when_someone_leaves(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(ritual=RitualFactory(capacity=1))
    first, second = make_user("member"), make_user("member")

    services.rsvp(actor=first, session=session, status=RsvpStatus.GOING)
    waiting = services.rsvp(actor=second, session=session, status=RsvpStatus.GOING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(actor=first, session=session, status=RsvpStatus.NOT_GOING)

    promoted = Rsvp.objects.get(pk=waiting.pk)
    assert waiting.waitlisted is True
    assert promoted.waitlisted is False
    assert Notification.objects.filter(recipient=second).count() == 1
    assert [m.to for m in mail.outbox] == [[second.email]]


@pytest.mark.django_db
def test_rsvp_refused_on_past_or_cancelled_sessions(member, ops):
    past = SessionFactory(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-1),
    )
    cancelled = services.cancel_session(actor=ops, session=SessionFactory())

    for session in (past, cancelled):
        with pytest.raises(ValidationError):
            services.rsvp(actor=member, session=session, status=RsvpStatus.GOING)


@pytest.mark.django_db
def test_rating_needs_having_gone_and_the_session_started(member):
    upcoming = SessionFactory()
    started = SessionFactory(
        starts_at=timezone.now() - datetime.timedelta(minutes=70),
        ends_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    RsvpFactory(session=started, user=member)

    with pytest.raises(ValidationError):
        services.rate_session(actor=member, session=upcoming, usefulness=5, will_apply=True)
    rating = services.rate_session(actor=member, session=started, usefulness=5, will_apply=True)
    again = services.rate_session(actor=member, session=started, usefulness=3, will_apply=False)

    assert rating.pk == again.pk
    assert (again.usefulness, again.will_apply) == (3, False)


@pytest.mark.django_db
def test_self_check_in_needs_the_code_and_the_session_window(member):
    now = timezone.now()
    live = SessionFactory(starts_at=now - datetime.timedelta(minutes=5), ends_at=now + datetime.timedelta(minutes=55))
    later = SessionFactory()

    with pytest.raises(ValidationError):
        services.check_in(actor=member, session=live, code="wrong")
    with pytest.raises(ValidationError):
        services.check_in(actor=member, session=later, code=later.checkin_code)
    answer = services.check_in(actor=member, session=live, code=live.checkin_code)

    assert answer.checked_in_at is not None
    assert answer.status == RsvpStatus.GOING


@pytest.mark.django_db
def test_schedule_fills_slots_in_order_and_refuses_a_third(ops):
    session = SessionFactory(ritual=RitualFactory(topic_slots=2))
    topics = TopicFactory.create_batch(3, status=TopicStatus.ACCEPTED)

    services.schedule_topic(actor=ops, topic=topics[0], session=session)
    services.schedule_topic(actor=ops, topic=topics[1], session=session)
    with pytest.raises(ValidationError):
        services.schedule_topic(actor=ops, topic=topics[2], session=session)

    session.refresh_from_db()
    assert list(session.topics.order_by("slot").values_list("slot", flat=True)) == [1, 2]
    assert session.sequence == 2


@pytest.mark.django_db
def test_cancelling_returns_topics_to_the_pool(ops):
    session = SessionFactory()
    topic = TopicFactory(status=TopicStatus.ACCEPTED)
    services.schedule_topic(actor=ops, topic=topic, session=session)

    services.cancel_session(actor=ops, session=session, reason="Strike")

    topic.refresh_from_db()
    assert (topic.status, topic.session_id) == (TopicStatus.ACCEPTED, None)


@pytest.mark.django_db
def test_declining_needs_a_reason_and_tells_the_proposer(ops):
    topic = TopicFactory()

    with pytest.raises(ValidationError) as error:
        services.decide_topic(actor=ops, topic=topic, accept=False)
    services.decide_topic(actor=ops, topic=topic, accept=False, reason="Covered last month")

    topic.refresh_from_db()
    assert "reason" in error.value.message_dict
    assert (topic.status, topic.decline_reason) == (TopicStatus.DECLINED, "Covered last month")
    assert Notification.objects.filter(recipient=topic.proposed_by).count() == 1


@pytest.mark.django_db
def test_recap_marks_topics_of_a_past_session_presented(ops):
    session = SessionFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    topic = TopicFactory(status=TopicStatus.SCHEDULED, session=session, slot=1)

    services.update_session_recap(
        actor=ops, session=session, title="", replay_url="https://v.example.com/1", resources="", notes="**Takeaway**"
    )

    assert Topic.objects.get(pk=topic.pk).status == TopicStatus.PRESENTED
