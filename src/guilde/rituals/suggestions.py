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
from django.utils.translation import ngettext_lazy

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


def suggest(
    candidates: Iterable[Topic],
    *,
    recent: Iterable[Topic],
    past_speakers: set[int],
    now: datetime.datetime,
    limit: int = 5,
) -> list[Suggestion]:
    recent = list(recent)
    pillar_counts = Counter(topic.pillar_id for topic in recent if topic.pillar_id)
    average = (sum(pillar_counts.values()) / len(pillar_counts)) if pillar_counts else 0
    recent_regions: set[str] = set()
    recent_brands: set[str] = set()
    recent_languages: set[str] = set()
    for topic in recent:
        recent_languages.update(topic.languages or [])
        for speaker in topic.speakers.all():
            profile = _profile(speaker)
            if profile is not None:
                recent_regions.add(getattr(profile, "region", ""))
                recent_brands.add(getattr(profile, "brand", ""))
    suggestions = []
    for topic in candidates:
        reasons: list[Reason] = []
        if topic.vote_count:
            reasons.append(
                Reason(
                    "votes",
                    ngettext_lazy("%(count)d vote", "%(count)d votes", "count") % {"count": topic.vote_count},
                    min(topic.vote_count * 2, 20),
                )
            )
        fortnights = max((now - topic.created_at).days // 14, 0)
        if fortnights:
            reasons.append(
                Reason(
                    "waiting",
                    ngettext_lazy("waiting for %(weeks)d week", "waiting for %(weeks)d weeks", "weeks")
                    % {"weeks": fortnights * 2},
                    min(fortnights, 6),
                )
            )
        if topic.status == TopicStatus.ACCEPTED:
            reasons.append(Reason("accepted", _("already accepted"), 3))
        if topic.pillar_id:
            seen = pillar_counts.get(topic.pillar_id, 0)
            if seen == 0:
                reasons.append(Reason("pillar", _("pillar not covered in the last sessions"), 4))
            elif seen < average:
                reasons.append(Reason("pillar", _("pillar less covered than the others lately"), 2))
        speakers = list(topic.speakers.all())
        if any(speaker.pk not in past_speakers for speaker in speakers):
            reasons.append(Reason("new_speaker", _("a speaker who has never presented"), 4))
        regions = {getattr(_profile(s), "region", "") for s in speakers} - {""}
        if regions and not regions & recent_regions:
            reasons.append(Reason("region", _("a region not heard from lately"), 2))
        brands = {getattr(_profile(s), "brand", "") for s in speakers} - {""}
        if brands and not brands & recent_brands:
            reasons.append(Reason("brand", _("a brand not heard from lately"), 2))
        languages = set(topic.languages or [])
        if recent_languages and languages - recent_languages:
            reasons.append(Reason("language", _("adds a language to the mix"), 2))
        suggestions.append(Suggestion(topic=topic, reasons=reasons))
    suggestions.sort(key=lambda s: (-s.score, s.topic.created_at, s.topic.pk))
    return suggestions[:limit]
