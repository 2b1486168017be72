"""The programming assistant's points (`suggestions.rank`) as one SQL aggregate per open topic.

The database adds up every open topic's points (thousands in a large community) so that only the
few best are read and explained in Python (`selectors.suggested_candidates`); the point values are
the constants of `suggestions`, shared with `rank`.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import NotSupportedError
from django.db.models import BooleanField, Case, F, Func, IntegerField, Max, Q, Value, When
from django.db.models.functions import Least
from django.db.models.lookups import Exact, In, IsNull, LessThanOrEqual

from guilde.rituals import suggestions
from guilde.rituals.enums import TopicStatus
from guilde.rituals.models import Topic


class _HasLanguageOutside(Func):
    """True when the topic's `languages` (a JSON list) holds a language not in `known` (not empty)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, known: Iterable[str]) -> None:
        super().__init__(F("languages"))
        self.known = sorted(known)

    def _exists(self, compiler: Any, connection: Any, template: str) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.known))
        sql = template.format(column=column, marks=marks)
        return sql, (*params * template.count("{column}"), *self.known)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        return self._exists(
            compiler,
            connection,
            "(json_type({column}) = 'array' AND EXISTS (SELECT 1 FROM json_each({column}) AS language "
            "WHERE language.value NOT IN ({marks})))",
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        return self._exists(
            compiler,
            connection,
            "EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof({column}) = 'array' "
            "THEN {column} ELSE '[]'::jsonb END) AS language(value) WHERE language.value NOT IN ({marks}))",
        )

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError("the programming assistant ranks topics on SQLite and PostgreSQL")


def _any_speaker(condition: Any) -> Max:
    """1 when one of the topic's speakers meets `condition`, else 0."""
    return Max(Case(When(condition, then=Value(1)), default=Value(0)))


def _any_speaker_but(*conditions: Any) -> Max:
    """1 when one of the topic's speakers meets none of `conditions`, else 0 (a topic without speakers has one
    row of NULLs, which `conditions` must meet). Positive lookups only: a negated one would be a subquery."""
    return Max(Case(*(When(condition, then=Value(0)) for condition in conditions), default=Value(1)))


def _sum(*terms: Any) -> Func:
    """`a + b + …` as one flat expression (a chain of `+` is a tree that every step of the query copies)."""
    return Func(*terms, template="(%(expressions)s)", arg_joiner=" + ", output_field=IntegerField())


def topic_points(mix: suggestions.RecentMix, now: datetime.datetime) -> Func:
    """A topic's points as `suggestions.rank` adds them up, as one aggregate over the topic joined to its speakers
    and their profiles (only the sum: `rank` explains the few topics kept)."""
    zero = Value(0)

    def worth(condition: Any, value: int) -> Case:
        return Case(When(condition, then=Value(value)), default=zero)

    created, pillar = F("created_at"), F("pillar_id")
    # Whole fortnights waited: `(now - created_at).days // 14` is at least n when created n fortnights ago or before.
    waiting = Case(
        *(
            When(LessThanOrEqual(created, now - datetime.timedelta(days=suggestions.FORTNIGHT_DAYS * n)), then=Value(n))
            for n in range(suggestions.WAITING_CAP, 0, -1)
        ),
        default=zero,
    )
    by_points: dict[int, list[int]] = {}
    for pillar_id in mix.pillar_counts:
        reason = mix.pillar_points(pillar_id)
        by_points.setdefault(reason[1] if reason else 0, []).append(pillar_id)
    pillars = Case(
        When(IsNull(pillar, True), then=zero),
        *(When(In(pillar, sorted(ids)), then=Value(value)) for value, ids in sorted(by_points.items())),
        default=Value(suggestions.PILLAR_ABSENT_POINTS),
    )
    own = [
        Least(F("vote_count") * suggestions.VOTE_POINTS, Value(suggestions.VOTE_CAP)),
        waiting,
        worth(Exact(F("status"), TopicStatus.ACCEPTED), suggestions.ACCEPTED_POINTS),
        pillars,
    ]
    if mix.languages:
        own.append(worth(_HasLanguageOutside(mix.languages), suggestions.LANGUAGE_POINTS))

    speaker = F("speakers")
    presented = Topic.speakers.through.objects.filter(
        Q(topic__status=TopicStatus.PRESENTED) | Q(topic__session__starts_at__lt=now)
    ).values("user_id")
    terms = [
        # The same on every row of the topic: its maximum is itself, and the query groups by the topic alone.
        Max(_sum(*own)),
        worth(
            Exact(_any_speaker_but(IsNull(speaker, True), In(speaker, presented)), 1), suggestions.NEW_SPEAKER_POINTS
        ),
    ]
    for field, recent, value in (
        ("region", mix.regions - {""}, suggestions.REGION_POINTS),
        ("brand", mix.brands - {""}, suggestions.BRAND_POINTS),
    ):
        # A speaker names one (a speaker without a profile names none) and no speaker names one of the last sessions'.
        column = F(f"speakers__member__{field}")
        condition: Any = Exact(_any_speaker_but(IsNull(column, True), Exact(column, "")), 1)
        if recent:
            condition &= Exact(_any_speaker(In(column, sorted(recent))), 0)
        terms.append(worth(condition, value))
    return _sum(*terms)
