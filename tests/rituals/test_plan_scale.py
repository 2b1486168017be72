"""The programming assistant with a large pool: plain values weighed, the few suggested loaded; wanted
subjects from the feedback KPIs' daily counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guilde.community.enums import Region
from guilde.rituals import selectors, signals_sources, suggestions
from guilde.rituals.enums import TopicStatus
from guilde.rituals.models import Topic
from tests.factories.community import MemberFactory, PillarFactory
from tests.factories.feedback import FeedbackFactory, ProductAreaFactory
from tests.factories.rituals import SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _pool():
    now = timezone.now()
    veteran = MemberFactory(region=Region.PARIS, brand="Lumière").user
    newcomer = MemberFactory(region=Region.NEW_YORK, brand="Nova").user
    pillar = PillarFactory()
    topics = []
    for index in range(6):
        topic = TopicFactory(
            proposed_by=veteran if index % 2 else newcomer,
            pillar=pillar if index % 3 else None,
            languages=["fr"] if index % 2 else ["en", "fr"],
            status=TopicStatus.ACCEPTED if index == 4 else TopicStatus.PROPOSED,
        )
        topic.speakers.set([veteran, newcomer][: 1 + index % 2])
        Topic.objects.filter(pk=topic.pk).update(
            vote_count=index * 3, created_at=now - datetime.timedelta(weeks=index * 3)
        )
        topics.append(topic)
    past = SessionFactory(
        starts_at=now - datetime.timedelta(days=14), ends_at=now - datetime.timedelta(days=14, hours=-1)
    )
    TopicFactory(proposed_by=veteran, pillar=pillar, status=TopicStatus.PRESENTED, session=past).speakers.set([veteran])
    TopicFactory(status=TopicStatus.DECLINED)
    return now


def test_the_pool_holds_what_the_topics_say(ops):
    _pool()

    pool = {candidate.pk: candidate for candidate in selectors.candidate_pool(viewer=ops)}
    loaded = {topic.pk: suggestions.Candidate.of(topic) for topic in selectors.candidate_topics(viewer=ops)}

    assert pool == loaded
    assert len(pool) == 6


def test_ranking_the_pool_gives_the_suggestions_of_the_loaded_topics(ops):
    now = _pool()
    recent = selectors.recent_programme(before=now)
    past = selectors.past_speaker_ids()

    ranked = suggestions.rank(
        selectors.candidate_pool(viewer=ops),
        recent=[suggestions.Candidate.of(t) for t in recent],
        past_speakers=past,
        now=now,
    )
    loaded = suggestions.suggest(selectors.candidate_topics(viewer=ops), recent=recent, past_speakers=past, now=now)

    assert [(c.pk, [(r.code, str(r.label), r.points) for r in reasons]) for c, reasons in ranked] == [
        (s.topic.pk, [(r.code, str(r.label), r.points) for r in s.reasons]) for s in loaded
    ]
    assert len(ranked) == 5


def test_the_plan_page_costs_the_same_queries_with_a_bigger_pool(ops_client, ops):
    _pool()
    SessionFactory()
    ops_client.get("/sessions/plan/")
    with CaptureQueriesContext(connection) as few:
        ops_client.get("/sessions/plan/")
    for _ in range(10):
        TopicFactory().speakers.set([MemberFactory().user])

    with CaptureQueriesContext(connection) as many:
        response = ops_client.get("/sessions/plan/")

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_wanted_subjects_count_feedback_received_lately_per_area():
    billing, mobile = ProductAreaFactory(name_en="Billing"), ProductAreaFactory(name_en="Mobile")
    archived = ProductAreaFactory(name_en="Legacy", is_archived=True)
    now = timezone.now()
    for area, days_ago in ((billing, 2), (billing, 30), (mobile, 10), (mobile, 120), (archived, 3)):
        FeedbackFactory(product_area=area, received_at=now - datetime.timedelta(days=days_ago))

    assert signals_sources.feedback_areas(days=90) == [("Billing", 2), ("Mobile", 1)]
    assert signals_sources.feedback_areas(days=90, limit=1) == [("Billing", 2)]


def test_free_slots_are_found_after_many_full_sessions(ops):
    from tests.factories.rituals import RitualFactory

    ritual = RitualFactory(topic_slots=1)
    soon = timezone.now() + datetime.timedelta(days=1)
    full = []
    for day in range(10):
        session = SessionFactory(
            ritual=ritual,
            starts_at=soon + datetime.timedelta(days=day),
            ends_at=soon + datetime.timedelta(days=day, hours=1),
        )
        TopicFactory(session=session, slot=1, status=TopicStatus.SCHEDULED)
        full.append(session)
    later = [
        SessionFactory(
            ritual=ritual,
            starts_at=soon + datetime.timedelta(days=20 + day),
            ends_at=soon + datetime.timedelta(days=20 + day, hours=1),
        )
        for day in range(4)
    ]

    free = selectors.sessions_with_free_slots(viewer=ops, limit=3)

    assert [session.pk for session in free] == [session.pk for session in later[:3]]
    assert free[0].topic_count == 0
