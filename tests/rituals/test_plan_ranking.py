"""The programming assistant's ranking in SQL (`selectors.suggested_candidates`) is `suggestions.rank` of the
whole pool: random pools (seeded) mix votes around the cap, waits on both sides of a fortnight, pillars
seen or not, speakers who presented or not, with or without a profile, regions, brands and languages."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guilde.community.enums import Region
from guilde.rituals import selectors, signals_sources, suggestions
from guilde.rituals.enums import TopicStatus
from guilde.rituals.models import Topic
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory, PillarFactory
from tests.factories.rituals import SessionFactory, TopicFactory

pytestmark = pytest.mark.django_db

REGIONS = ["", Region.PARIS, Region.NEW_YORK, Region.LYON]
BRANDS = ["", "Nova", "Lumière", "Atlas"]
LANGUAGES = [[], ["en"], ["fr"], ["en", "fr"], ["de"], ["fr", "es"]]


def _people(rng, count):
    """Users with a profile (some regions and brands empty) and a few without one."""
    people = []
    for _ in range(count):
        if rng.random() < 0.15:
            people.append(UserFactory())
        else:
            people.append(MemberFactory(region=rng.choice(REGIONS), brand=rng.choice(BRANDS)).user)
    return people


def _pool(seed, *, topics=40, recent_sessions=True):
    rng = random.Random(seed)
    now = timezone.now()
    people = _people(rng, 14)
    pillars = [PillarFactory() for _ in range(4)]
    if recent_sessions:
        for days_ago in rng.sample(range(2, 60), rng.randint(1, 8)):
            past = SessionFactory(
                starts_at=now - datetime.timedelta(days=days_ago),
                ends_at=now - datetime.timedelta(days=days_ago, hours=-1),
            )
            for _ in range(rng.randint(0, 2)):
                TopicFactory(
                    session=past,
                    status=TopicStatus.SCHEDULED,
                    pillar=rng.choice([None, *pillars[:3]]),
                    languages=rng.choice(LANGUAGES[1:4]),
                    speakers=rng.sample(people, rng.randint(0, 2)),
                )
    TopicFactory(status=TopicStatus.PRESENTED, speakers=rng.sample(people, 2))
    TopicFactory(status=TopicStatus.DECLINED, speakers=rng.sample(people, 1))
    TopicFactory(session=SessionFactory(), status=TopicStatus.SCHEDULED, speakers=rng.sample(people, 1))
    for _ in range(topics):
        topic = TopicFactory(
            status=rng.choice([TopicStatus.PROPOSED, TopicStatus.PROPOSED, TopicStatus.ACCEPTED]),
            pillar=rng.choice([None, *pillars]),
            languages=rng.choice(LANGUAGES),
            speakers=rng.sample(people, rng.choice([0, 1, 1, 2, 3])),
        )
        # Waits on both sides of whole fortnights, and votes around the cap of 10.
        fortnights = rng.randint(0, 8)
        waited = datetime.timedelta(days=14 * fortnights) + rng.choice(
            [datetime.timedelta(0), datetime.timedelta(microseconds=1), -datetime.timedelta(microseconds=1)]
        )
        Topic.objects.filter(pk=topic.pk).update(
            vote_count=rng.choice([0, 1, 3, 9, 10, 11, 40]), created_at=now - waited
        )
    return now


def _python_ranking(viewer, now, limit):
    recent = selectors.recent_candidates(before=now)
    return [
        candidate
        for candidate, _reasons in suggestions.rank(
            selectors.candidate_pool(viewer=viewer),
            recent=recent,
            past_speakers=selectors.past_speaker_ids(now=now),
            now=now,
            limit=limit,
        )
    ]


@pytest.mark.parametrize("seed", range(12))
def test_the_database_ranks_the_pool_as_rank_does(seed, ops):
    now = _pool(seed, recent_sessions=seed % 4 != 0)
    recent = selectors.recent_candidates(before=now)

    for limit in (5, 1000):
        assert selectors.suggested_candidates(viewer=ops, recent=recent, now=now, limit=limit) == _python_ranking(
            ops, now, limit
        )


def _facts(candidates):
    """Candidates by id, their speakers in any order (the order weighs nothing)."""
    return {
        c.pk: (c.vote_count, c.created_at, c.status, c.pillar_id, c.languages, sorted(c.speakers)) for c in candidates
    }


def test_recent_candidates_are_the_recent_programme_as_values():
    now = _pool(3)

    as_values = selectors.recent_candidates(before=now)
    loaded = [suggestions.Candidate.of(topic) for topic in selectors.recent_programme(before=now)]

    assert _facts(as_values) == _facts(loaded)
    assert len(as_values) == len(loaded) > 0


def test_a_waiting_topic_earns_its_fortnight_at_the_exact_moment(ops):
    now = timezone.now()
    on_time, just_after = TopicFactory(speakers=[]), TopicFactory(speakers=[])
    Topic.objects.filter(pk=on_time.pk).update(created_at=now - datetime.timedelta(days=14))
    Topic.objects.filter(pk=just_after.pk).update(
        created_at=now - datetime.timedelta(days=14) + datetime.timedelta(microseconds=1)
    )

    ranked = selectors.suggested_candidates(viewer=ops, recent=[], now=now)

    assert [c.pk for c in ranked] == [on_time.pk, just_after.pk]
    assert [c.pk for c in ranked] == [c.pk for c in _python_ranking(ops, now, 5)]


def test_the_ranking_reads_the_same_queries_for_a_bigger_pool(ops):
    now = _pool(1, topics=5)
    recent = selectors.recent_candidates(before=now)
    with CaptureQueriesContext(connection) as few:
        selectors.suggested_candidates(viewer=ops, recent=recent, now=now)
    _pool(2, topics=40)

    with CaptureQueriesContext(connection) as many:
        selectors.suggested_candidates(viewer=ops, recent=recent, now=now)

    assert len(many.captured_queries) == len(few.captured_queries) == 3


def test_stakeholders_get_no_suggestion():
    now = _pool(4, topics=5)
    stakeholder = MemberFactory(user__role="stakeholder").user

    assert selectors.suggested_candidates(viewer=stakeholder, recent=[], now=now) == []


@pytest.mark.parametrize(
    ("subject", "titles", "covered"),
    [
        ("Billing", ["How BILLING works"], True),
        ("Straße", ["strasse design"], True),
        ("Mobile", ["Mob", "ile"], False),
        ("Mobile", [], False),
        ("a\x1fb", ["xa", "bx"], False),
        ("a\x1fb", ["xa\x1fbx"], True),
        ("", [], False),
        ("", ["anything"], True),
    ],
)
def test_a_subject_is_covered_when_one_title_holds_it(subject, titles, covered):
    for title in titles:
        TopicFactory(title=title, speakers=[])
    TopicFactory(title=f"declined {subject}", status=TopicStatus.DECLINED, speakers=[])

    assert signals_sources._covered(subject, signals_sources._titles()) is covered
    assert any(subject.casefold() in title.casefold() for title in titles) is covered
