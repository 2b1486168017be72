import datetime

import pytest
from django.utils import timezone

from guilde.community.enums import Region
from guilde.rituals import selectors, suggestions
from guilde.rituals.enums import TopicStatus
from guilde.rituals.models import Topic
from tests.factories.community import MemberFactory, PillarFactory
from tests.factories.rituals import SessionFactory, TopicFactory


def _codes(suggestion):
    return {reason.code: reason.points for reason in suggestion.reasons}


@pytest.mark.django_db
def test_suggestions_rank_with_explained_reasons(ops):
    now = timezone.now()
    covered, neglected = PillarFactory(), PillarFactory()
    veteran = MemberFactory(region=Region.PARIS, brand="Lumière").user
    newcomer = MemberFactory(region=Region.NEW_YORK, brand="Nova").user
    past = SessionFactory(
        starts_at=now - datetime.timedelta(days=14), ends_at=now - datetime.timedelta(days=14, hours=-1)
    )
    TopicFactory(proposed_by=veteran, pillar=covered, status=TopicStatus.PRESENTED, session=past, languages=["fr"])
    popular = TopicFactory(proposed_by=veteran, pillar=covered, languages=["fr"])
    Topic.objects.filter(pk=popular.pk).update(vote_count=6)
    fresh_voice = TopicFactory(proposed_by=newcomer, pillar=neglected, languages=["en"])
    Topic.objects.filter(pk=fresh_voice.pk).update(created_at=now - datetime.timedelta(weeks=6), vote_count=1)

    ranked = suggestions.suggest(
        selectors.candidate_topics(viewer=ops),
        recent=selectors.recent_programme(before=now),
        past_speakers=selectors.past_speaker_ids(),
        now=now,
    )

    assert [s.topic.pk for s in ranked] == [fresh_voice.pk, popular.pk]
    assert _codes(ranked[0]) == {
        "votes": 2,
        "waiting": 3,
        "pillar": 4,
        "new_speaker": 4,
        "region": 2,
        "brand": 2,
        "language": 2,
    }
    assert ranked[0].score == 19
    assert _codes(ranked[1]) == {"votes": 12}
    assert str(ranked[0].reasons[0].label) == "1 vote"


@pytest.mark.django_db
def test_suggestions_skip_scheduled_and_declined_topics(ops):
    TopicFactory(status=TopicStatus.DECLINED)
    TopicFactory(status=TopicStatus.SCHEDULED, session=SessionFactory())
    accepted = TopicFactory(status=TopicStatus.ACCEPTED)

    ranked = suggestions.suggest(
        selectors.candidate_topics(viewer=ops), recent=[], past_speakers=set(), now=timezone.now()
    )

    assert [s.topic.pk for s in ranked] == [accepted.pk]
    assert _codes(ranked[0]) == {"accepted": 3, "new_speaker": 4}


@pytest.mark.django_db
def test_plan_page_lists_suggestions_and_schedules_in_one_click(ops_client, ops):
    session = SessionFactory()
    topic = TopicFactory(status=TopicStatus.ACCEPTED)

    page = ops_client.get("/sessions/plan/")
    response = ops_client.post(
        "/sessions/plan/schedule/", {"topic": topic.pk, "session": session.pk, "next": "/sessions/plan/"}
    )

    topic.refresh_from_db()
    assert topic.title in page.content.decode()
    assert "already accepted" in page.content.decode()
    assert response["Location"] == "/sessions/plan/"
    assert (topic.session_id, topic.slot, topic.status) == (session.pk, 1, TopicStatus.SCHEDULED)
