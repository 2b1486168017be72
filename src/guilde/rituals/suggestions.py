"""The programming assistant: which topics to schedule next, each with the reasons that ranked it.

Points are deliberately simple so a person can check them by hand:
votes (2 each, up to 20), time waiting (1 a fortnight, up to 6), an accepted topic (+3),
a pillar absent from the last sessions (+4) or rarer than average (+2), a speaker who never
presented (+4), a region or a brand missing from the last sessions (+2 each), a language
missing from the last sessions (+2).
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


def _label(code: str, topic: Candidate, now: datetime.datetime) -> str | Promise:
    if code == "votes":
        return ngettext("%(count)d vote", "%(count)d votes", topic.vote_count) % {"count": topic.vote_count}
    if code == "waiting":
        weeks = max((now - topic.created_at).days // 14, 0) * 2
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
    recent = list(recent)
    pillar_counts = Counter(topic.pillar_id for topic in recent if topic.pillar_id)
    average = (sum(pillar_counts.values()) / len(pillar_counts)) if pillar_counts else 0
    recent_regions = {region for topic in recent for _pk, region, _brand in topic.speakers}
    recent_brands = {brand for topic in recent for _pk, _region, brand in topic.speakers}
    recent_languages = {language for topic in recent for language in topic.languages}
    scored = []
    for topic in candidates:
        points: list[tuple[str, int]] = []
        if topic.vote_count:
            points.append(("votes", min(topic.vote_count * 2, 20)))
        fortnights = max((now - topic.created_at).days // 14, 0)
        if fortnights:
            points.append(("waiting", min(fortnights, 6)))
        if topic.status == TopicStatus.ACCEPTED:
            points.append(("accepted", 3))
        if topic.pillar_id:
            seen = pillar_counts.get(topic.pillar_id, 0)
            if seen == 0:
                points.append(("pillar", 4))
            elif seen < average:
                points.append(("pillar_rarer", 2))
        if any(pk not in past_speakers for pk, _region, _brand in topic.speakers):
            points.append(("new_speaker", 4))
        regions = {region for _pk, region, _brand in topic.speakers} - {""}
        if regions and not regions & recent_regions:
            points.append(("region", 2))
        brands = {brand for _pk, _region, brand in topic.speakers} - {""}
        if brands and not brands & recent_brands:
            points.append(("brand", 2))
        if recent_languages and set(topic.languages) - recent_languages:
            points.append(("language", 2))
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
