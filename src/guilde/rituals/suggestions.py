"""The programming assistant: which topics to schedule next, each with the reasons that ranked it.

Points are deliberately simple so a person can check them by hand:
votes (2 each, up to 20), time waiting (1 a fortnight, up to 6), an accepted topic (+3),
a pillar absent from the last sessions (+4) or rarer than average (+2), a speaker who never
presented (+4), a region or a brand missing from the last sessions (+2 each), a language
missing from the last sessions (+2).

`rank` is the rule. A large community's pool is thousands of topics: the plan page has the
database add the same points up (`ranking.topic_points`, which reads the constants
below and the `RecentMix` of the last sessions) and ranks the few it returns with `rank`.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guilde.rituals.enums import TopicStatus
from guilde.rituals.models import Topic


@dataclass(frozen=True)
class Reason:
    code: str
    label: str | Promise
    points: int


@dataclass
class Suggestion:
    topic: Topic
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def _profile(user: object) -> object | None:
    return getattr(user, "member", None)


@dataclass(frozen=True)
class Candidate:
    """What the ranking reads of a topic. The plan page weighs every open topic (thousands in a large
    community): plain values from `selectors.candidate_pool`, not a model instance per topic and speaker."""

    pk: int
    vote_count: int
    created_at: datetime.datetime
    status: str
    pillar_id: int | None
    languages: tuple[str, ...] = ()
    # (user id, region, brand) of each speaker; "" when the profile is missing or silent.
    speakers: tuple[tuple[int, str, str], ...] = ()

    @classmethod
    def of(cls, topic: Topic) -> "Candidate":
        speakers = tuple(
            (s.pk, getattr(_profile(s), "region", "") or "", getattr(_profile(s), "brand", "") or "")
            for s in topic.speakers.all()
        )
        return cls(
            topic.pk,
            topic.vote_count,
            topic.created_at,
            topic.status,
            topic.pillar_id,
            tuple(topic.languages or ()),
            speakers,
        )


VOTE_POINTS, VOTE_CAP = 2, 20
FORTNIGHT_DAYS, WAITING_CAP = 14, 6
ACCEPTED_POINTS = 3
PILLAR_ABSENT_POINTS, PILLAR_RARER_POINTS = 4, 2
NEW_SPEAKER_POINTS = 4
REGION_POINTS = BRAND_POINTS = LANGUAGE_POINTS = 2


@dataclass(frozen=True)
class RecentMix:
    """What the last sessions covered, that a candidate's points are weighed against."""

    pillar_counts: dict[int, int]
    average: float
    regions: frozenset[str]
    brands: frozenset[str]
    languages: frozenset[str]

    @classmethod
    def of(cls, recent: Iterable[Candidate]) -> "RecentMix":
        recent = list(recent)
        pillar_counts = Counter(topic.pillar_id for topic in recent if topic.pillar_id)
        return cls(
            pillar_counts=dict(pillar_counts),
            average=(sum(pillar_counts.values()) / len(pillar_counts)) if pillar_counts else 0,
            regions=frozenset(region for topic in recent for _pk, region, _brand in topic.speakers),
            brands=frozenset(brand for topic in recent for _pk, _region, brand in topic.speakers),
            languages=frozenset(language for topic in recent for language in topic.languages),
        )

    def pillar_points(self, pillar_id: int | None) -> tuple[str, int] | None:
        if not pillar_id:
            return None
        seen = self.pillar_counts.get(pillar_id, 0)
        if seen == 0:
            return ("pillar", PILLAR_ABSENT_POINTS)
        if seen < self.average:
            return ("pillar_rarer", PILLAR_RARER_POINTS)
        return None


def _label(code: str, topic: Candidate, now: datetime.datetime) -> str | Promise:
    if code == "votes":
        return ngettext("%(count)d vote", "%(count)d votes", topic.vote_count) % {"count": topic.vote_count}
    if code == "waiting":
        weeks = max((now - topic.created_at).days // FORTNIGHT_DAYS, 0) * 2
        return ngettext("waiting for %(weeks)d week", "waiting for %(weeks)d weeks", weeks) % {"weeks": weeks}
    return LABELS[code]


LABELS: dict[str, str | Promise] = {
    "accepted": _("already accepted"),
    "pillar": _("pillar not covered in the last sessions"),
    "pillar_rarer": _("pillar less covered than the others lately"),
    "new_speaker": _("a speaker who has never presented"),
    "region": _("a region not heard from lately"),
    "brand": _("a brand not heard from lately"),
    "language": _("adds a language to the mix"),
}


def rank(
    candidates: Iterable[Candidate],
    *,
    recent: Iterable[Candidate],
    past_speakers: set[int],
    now: datetime.datetime,
    limit: int = 5,
) -> list[tuple[Candidate, list[Reason]]]:
    """The best `limit` candidates with their reasons, highest score first (then the oldest).

    Every candidate is scored with (code, points) pairs; the labels, translated, are written for
    the `limit` kept only (a large community's pool is thousands of topics).
    """
    mix = RecentMix.of(recent)
    scored = []
    for topic in candidates:
        points: list[tuple[str, int]] = []
        if topic.vote_count:
            points.append(("votes", min(topic.vote_count * VOTE_POINTS, VOTE_CAP)))
        fortnights = max((now - topic.created_at).days // FORTNIGHT_DAYS, 0)
        if fortnights:
            points.append(("waiting", min(fortnights, WAITING_CAP)))
        if topic.status == TopicStatus.ACCEPTED:
            points.append(("accepted", ACCEPTED_POINTS))
        if pillar := mix.pillar_points(topic.pillar_id):
            points.append(pillar)
        if any(pk not in past_speakers for pk, _region, _brand in topic.speakers):
            points.append(("new_speaker", NEW_SPEAKER_POINTS))
        regions = {region for _pk, region, _brand in topic.speakers} - {""}
        if regions and not regions & mix.regions:
            points.append(("region", REGION_POINTS))
        brands = {brand for _pk, _region, brand in topic.speakers} - {""}
        if brands and not brands & mix.brands:
            points.append(("brand", BRAND_POINTS))
        if mix.languages and set(topic.languages) - mix.languages:
            points.append(("language", LANGUAGE_POINTS))
        scored.append((sum(p for _code, p in points), topic, points))
    scored.sort(key=lambda item: (-item[0], item[1].created_at, item[1].pk))
    return [
        # Both pillar reasons share the code "pillar", as they always did.
        (topic, [Reason(code.removesuffix("_rarer"), _label(code, topic, now), p) for code, p in points])
        for _score, topic, points in scored[:limit]
    ]


def suggest(
    candidates: Iterable[Topic],
    *,
    recent: Iterable[Topic],
    past_speakers: set[int],
    now: datetime.datetime,
    limit: int = 5,
) -> list[Suggestion]:
    """`rank` for topics already loaded (with their speakers and profiles)."""
    topics = {topic.pk: topic for topic in candidates}
    best = rank(
        [Candidate.of(topic) for topic in topics.values()],
        recent=[Candidate.of(topic) for topic in recent],
        past_speakers=past_speakers,
        now=now,
        limit=limit,
    )
    return [Suggestion(topic=topics[candidate.pk], reasons=reasons) for candidate, reasons in best]
