"""Reads on rituals: querysets already narrowed to what the viewer may see, in constant queries."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from guilde.accounts.rules import is_community_member, is_product_ops
from guilde.rituals import suggestions
from guilde.rituals.enums import RsvpStatus, SessionStatus, TopicStatus, Visibility
from guilde.rituals.models import CalendarFeed, Rating, Ritual, Rsvp, Session, Topic, TopicComment, Vote
from guilde.rituals.ranking import topic_points
from guilde.rituals.suggestions import Candidate

TOPICS_PAGE_SIZE = 30
OPEN_TOPIC_STATUSES = (TopicStatus.PROPOSED, TopicStatus.ACCEPTED)


def _sees_members_only(viewer: Any) -> bool:
    return bool(is_community_member(viewer))


def visible_rituals(*, viewer: Any) -> QuerySet[Ritual]:
    rituals = Ritual.objects.prefetch_related("hosts")
    if not _sees_members_only(viewer):
        rituals = rituals.filter(visibility=Visibility.PUBLIC, is_active=True)
    elif not is_product_ops(viewer):
        rituals = rituals.filter(is_active=True)
    return rituals.order_by("name", "pk")


def ritual_for(*, viewer: Any, pk: int) -> Ritual:
    ritual = visible_rituals(viewer=viewer).filter(pk=pk).first()
    if ritual is None:
        raise Http404
    return ritual


def _topics_prefetch() -> Prefetch:
    topics = Topic.objects.select_related("pillar").prefetch_related("speakers").order_by("slot", "pk")
    return Prefetch("topics", queryset=topics, to_attr="ordered_topics")


def _count(model: Any, **filters: Any) -> Coalesce:
    rows = model.objects.filter(session=OuterRef("pk"), **filters).values("session").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


def _sessions(viewer: Any) -> QuerySet[Session]:
    """Sessions the viewer may see, with their ritual, hosts, topics, head counts and the viewer's answer."""
    sessions = Session.objects.select_related("ritual").prefetch_related("ritual__hosts", _topics_prefetch())
    if not _sees_members_only(viewer):
        sessions = sessions.filter(ritual__visibility=Visibility.PUBLIC)
    sessions = sessions.annotate(
        going_count=_count(Rsvp, status=RsvpStatus.GOING, waitlisted=False),
        rating_count=_count(Rating),
        rating_avg=Subquery(
            Rating.objects.filter(session=OuterRef("pk"))
            .values("session")
            .annotate(a=Avg("usefulness"))
            .values("a")[:1],
            output_field=FloatField(),
        ),
    )
    if getattr(viewer, "is_authenticated", False):
        mine = Rsvp.objects.filter(session=OuterRef("pk"), user=viewer.pk)
        sessions = sessions.annotate(
            my_rsvp=Subquery(mine.values("status")[:1]),
            my_waitlisted=Subquery(mine.values("waitlisted")[:1], output_field=BooleanField()),
            my_checked_in=Exists(mine.filter(checked_in_at__isnull=False)),
            my_rated=Exists(Rating.objects.filter(session=OuterRef("pk"), user=viewer.pk)),
        )
    else:
        sessions = sessions.annotate(
            my_rsvp=Value(None, output_field=CharField()),
            my_waitlisted=Value(False),
            my_checked_in=Value(False),
            my_rated=Value(False),
        )
    return sessions


def upcoming_sessions(
    *, viewer: Any, ritual: Ritual | None = None, now: datetime.datetime | None = None, limit: int | None = 20
) -> QuerySet[Session]:
    """Sessions not yet over, soonest first (cancelled ones included, so people see the change)."""
    sessions = _sessions(viewer).filter(ends_at__gte=now or timezone.now())
    if ritual is not None:
        sessions = sessions.filter(ritual=ritual)
    sessions = sessions.order_by("starts_at", "pk")
    return sessions[:limit] if limit else sessions


def past_sessions(
    *, viewer: Any, ritual: Ritual | None = None, now: datetime.datetime | None = None, limit: int | None = 20
) -> QuerySet[Session]:
    sessions = _sessions(viewer).filter(ends_at__lt=now or timezone.now(), status=SessionStatus.SCHEDULED)
    if ritual is not None:
        sessions = sessions.filter(ritual=ritual)
    sessions = sessions.order_by("-starts_at", "-pk")
    return sessions[:limit] if limit else sessions


def session_for(*, viewer: Any, pk: int) -> Session:
    session = _sessions(viewer).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def next_session(*, viewer: Any, now: datetime.datetime | None = None) -> Session | None:
    return (
        _sessions(viewer)
        .filter(ends_at__gte=now or timezone.now(), status=SessionStatus.SCHEDULED)
        .order_by("starts_at", "pk")
        .first()
    )


def ritual_answerers(*, ritual: Ritual) -> QuerySet[Rsvp, int]:
    """Ids of the people who answered any session of the ritual, for the slot finder."""
    return Rsvp.objects.filter(session__ritual=ritual).values_list("user", flat=True)


def attendees(*, session: Session) -> QuerySet[Rsvp]:
    """Everyone who answered, going first, for hosts marking attendance."""
    return session.rsvps.select_related("user").order_by("status", "waitlisted", "created_at", "pk")


def my_rating(*, viewer: Any, session: Session) -> Rating | None:
    if not getattr(viewer, "is_authenticated", False):
        return None
    return Rating.objects.filter(session=session, user=viewer).first()


def sessions_with_free_slots(*, viewer: Any, now: datetime.datetime | None = None, limit: int = 6) -> list[Any]:
    """Upcoming scheduled sessions that still have an empty topic slot, soonest first, with their ritual and
    `topic_count`: what a choice of session shows (no head counts, hosts or topics). One query."""
    sessions = Session.objects.select_related("ritual").filter(
        ends_at__gte=now or timezone.now(), status=SessionStatus.SCHEDULED
    )
    if not _sees_members_only(viewer):
        sessions = sessions.filter(ritual__visibility=Visibility.PUBLIC)
    # Counted and compared in SQL (no GROUP BY over every upcoming session), so the soonest sessions
    # with a free slot are found however many full ones come first.
    topics = Topic.objects.filter(session=OuterRef("pk")).order_by().values("session").annotate(n=Count("pk"))
    sessions = sessions.annotate(
        topic_count=Coalesce(Subquery(topics.values("n"), output_field=IntegerField()), 0)
    ).filter(topic_count__lt=F("ritual__topic_slots"))
    return list(sessions.order_by("starts_at", "pk")[:limit])


# Topics ---------------------------------------------------------------------------------------


def _topics(viewer: Any) -> QuerySet[Topic]:
    topics = Topic.objects.select_related("pillar", "proposed_by", "session", "session__ritual").prefetch_related(
        "speakers"
    )
    topics = topics.annotate(has_voted=Exists(Vote.objects.filter(topic=OuterRef("pk"), voter=viewer.pk)))
    # Stakeholders and visitors get an empty pool that still carries the annotation callers filter on.
    return topics if is_community_member(viewer) else topics.none()


def topic_pool(*, viewer: Any, status: str = "", pillar: int | None = None, q: str = "") -> QuerySet[Topic]:
    """The pool: open topics by default, most voted first; a status filter shows the others."""
    topics = _topics(viewer)
    topics = topics.filter(status=status) if status else topics.filter(status__in=OPEN_TOPIC_STATUSES)
    if pillar:
        topics = topics.filter(pillar_id=pillar)
    q = (q or "").strip()
    if q:
        topics = topics.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return topics.order_by("-vote_count", "created_at", "pk")


def topic_page(*, viewer: Any, page: Any = 1, **filters: Any) -> Page:
    return Paginator(topic_pool(viewer=viewer, **filters), TOPICS_PAGE_SIZE).get_page(page)


def topic_for(*, viewer: Any, pk: int) -> Topic:
    topic = _topics(viewer).filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic


def comments_of(*, topic: Topic) -> QuerySet[TopicComment]:
    return topic.comments.select_related("author").order_by("created_at", "pk")


def topic_comment_for(*, viewer: Any, topic_pk: int, pk: int, perm: str) -> TopicComment:
    """A comment of that topic the viewer may `perm` ("rituals.change_topiccomment"…); else 404, as if missing.

    The comment rule is asked directly (`rules.has_perm`): Django's `has_perm` would let a superuser
    rewrite anyone's words.
    """
    comment = TopicComment.objects.select_related("author", "topic").filter(pk=pk, topic_id=topic_pk).first()
    if comment is None:
        raise Http404
    if not (viewer.has_perm("rituals.view_topic", comment.topic) and rules.has_perm(perm, viewer, comment)):
        raise Http404
    return comment


def topics_to_vote(*, viewer: Any, limit: int = 3) -> QuerySet[Topic]:
    return topic_pool(viewer=viewer).filter(has_voted=False).exclude(proposed_by=viewer.pk)[:limit]  # type: ignore[misc]


def candidate_topics(*, viewer: Any) -> QuerySet[Topic]:
    """Topics the programming assistant may suggest: proposed or accepted, not yet in a session."""
    return (
        _topics(viewer)
        .filter(status__in=OPEN_TOPIC_STATUSES, session__isnull=True)
        .prefetch_related("speakers__member")
    )


CANDIDATE_FIELDS = ("pk", "vote_count", "created_at", "status", "pillar_id", "languages")


def _as_candidates(rows: Iterable[tuple[Any, ...]], speakers: QuerySet[Any]) -> list[Candidate]:
    """Candidates from `CANDIDATE_FIELDS` rows and their speakers' through rows (user, region, brand)."""
    by_topic: dict[int, list[tuple[int, str, str]]] = {}
    for topic_id, user_id, region, brand in speakers.values_list(
        "topic_id", "user_id", "user__member__region", "user__member__brand"
    ).order_by("topic_id", "id"):
        by_topic.setdefault(topic_id, []).append((user_id, region or "", brand or ""))
    return [
        Candidate(pk, votes, created, status, pillar, tuple(languages or ()), tuple(by_topic.get(pk, ())))
        for pk, votes, created, status, pillar, languages in rows
    ]


def candidate_pool(*, viewer: Any) -> list[Candidate]:
    """`candidate_topics` as the plain facts the programming assistant ranks. Two queries, no model instances.

    The whole pool, for checking `suggested_candidates` against `suggestions.rank`: the page itself
    reads the few suggested only."""
    if not is_community_member(viewer):
        return []
    open_topics = Q(status__in=OPEN_TOPIC_STATUSES, session__isnull=True)
    through = Topic.speakers.through.objects.filter(
        Q(topic__status__in=OPEN_TOPIC_STATUSES, topic__session__isnull=True)
    )
    return _as_candidates(Topic.objects.filter(open_topics).values_list(*CANDIDATE_FIELDS).order_by(), through)


def _suggested_query(recent: Iterable[Candidate], now: datetime.datetime, limit: int) -> QuerySet[Any]:
    """Ids of the `limit` best open topics: each joined to its speakers and their profiles, grouped per topic."""
    return (
        Topic.objects.filter(status__in=OPEN_TOPIC_STATUSES, session__isnull=True)
        .values("pk")
        .annotate(points=topic_points(suggestions.RecentMix.of(recent), now))
        .order_by("-points", "created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def suggested_candidates(
    *, viewer: Any, recent: Iterable[Candidate], now: datetime.datetime, limit: int = 5
) -> list[Candidate]:
    """The `limit` open topics `suggestions.rank` puts first, in its order, as plain values. Three queries.

    The database adds up every open topic's points (thousands in a large community) and returns the best:
    the same as ranking `candidate_pool`, which tests check on random pools."""
    if not is_community_member(viewer):
        return []
    best = list(_suggested_query(recent, now, limit))
    rows = sorted(Topic.objects.filter(pk__in=best).values_list(*CANDIDATE_FIELDS), key=lambda row: best.index(row[0]))
    return _as_candidates(rows, Topic.speakers.through.objects.filter(topic_id__in=best))


def recent_programme(*, before: datetime.datetime, sessions: int = 6) -> list[Topic]:
    """Topics of the last few sessions, to weigh pillar balance and speaker diversity against."""
    return list(
        Topic.objects.filter(session__in=_recent_session_ids(before=before, sessions=sessions))
        .select_related("pillar")
        .prefetch_related("speakers__member")
    )


def _recent_session_ids(*, before: datetime.datetime, sessions: int) -> list[int]:
    return list(
        Session.objects.filter(starts_at__lt=before, status=SessionStatus.SCHEDULED)
        .order_by("-starts_at")
        .values_list("pk", flat=True)[:sessions]
    )


def recent_candidates(*, before: datetime.datetime, sessions: int = 6) -> list[Candidate]:
    """`recent_programme` as plain values. Three queries."""
    topics = Topic.objects.filter(session__in=_recent_session_ids(before=before, sessions=sessions))
    rows = list(topics.values_list(*CANDIDATE_FIELDS).order_by("pk"))
    return _as_candidates(rows, Topic.speakers.through.objects.filter(topic_id__in=[row[0] for row in rows]))


def past_speaker_ids(*, among: Iterable[int] | None = None, now: datetime.datetime | None = None) -> set[int]:
    """Everyone who has already presented (a topic presented, or scheduled in a past session); with `among`,
    those of these people only."""
    through = Topic.speakers.through.objects.filter(
        Q(topic__status=TopicStatus.PRESENTED) | Q(topic__session__starts_at__lt=now or timezone.now())
    )
    if among is not None:
        through = through.filter(user_id__in=sorted(set(among)))
    return set(through.values_list("user_id", flat=True))


# People's own pages ---------------------------------------------------------------------------------


def attendance_history(*, viewer: Any, limit: int = 50) -> QuerySet[Rsvp]:
    """The viewer's answers to sessions already held, latest first, with whether they checked in."""
    return (
        Rsvp.objects.filter(user=viewer, session__starts_at__lt=timezone.now())
        .select_related("session", "session__ritual")
        .order_by("-session__starts_at", "-pk")[:limit]
    )


def my_talks(*, viewer: Any) -> QuerySet[Topic]:
    """Topics the viewer presents or presented, with their sessions' ratings: speakers see how it went."""
    ratings = Rating.objects.filter(session=OuterRef("session")).values("session")
    return (
        Topic.objects.filter(speakers=viewer)
        .select_related("session", "session__ritual", "pillar")
        .annotate(
            rating_avg=Subquery(ratings.annotate(a=Avg("usefulness")).values("a")[:1], output_field=FloatField()),
            rating_count=Coalesce(
                Subquery(ratings.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0
            ),
            apply_count=Coalesce(
                Subquery(
                    ratings.filter(will_apply=True).annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def calendar_feed_of(*, viewer: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=viewer).first()


def feed_owner(*, token: str) -> Any:
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    return feed.user


def personal_feed_sessions(*, user: Any, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """Sessions the person is going to, from a month back on; cancelled ones stay so clients remove them."""
    since = (now or timezone.now()) - datetime.timedelta(days=31)
    going = Rsvp.objects.filter(session=OuterRef("pk"), user=user, status=RsvpStatus.GOING, waitlisted=False)
    sessions = Session.objects.filter(Exists(going), starts_at__gte=since)
    if not is_community_member(user):
        sessions = sessions.filter(ritual__visibility=Visibility.PUBLIC)
    return sessions.select_related("ritual").prefetch_related(_topics_prefetch()).order_by("starts_at", "pk")


def ritual_feed_sessions(*, ritual: Ritual, now: datetime.datetime | None = None) -> QuerySet[Session]:
    since = (now or timezone.now()) - datetime.timedelta(days=31)
    return (
        ritual.sessions.filter(starts_at__gte=since)
        .select_related("ritual")
        .prefetch_related(_topics_prefetch())
        .order_by("starts_at", "pk")
    )


# Public page ----------------------------------------------------------------------------------------


def public_upcoming(*, now: datetime.datetime | None = None, limit: int = 10) -> QuerySet[Session]:
    from django.contrib.auth.models import AnonymousUser

    return upcoming_sessions(viewer=AnonymousUser(), now=now, limit=None).filter(status=SessionStatus.SCHEDULED)[:limit]


def public_replays(*, now: datetime.datetime | None = None, limit: int = 12) -> QuerySet[Session]:
    from django.contrib.auth.models import AnonymousUser

    return past_sessions(viewer=AnonymousUser(), now=now, limit=None).exclude(replay_url="")[:limit]


@dataclass(frozen=True)
class HomeData:
    next_session: Session | None
    to_vote: list[Topic]
    talks: list[Topic]


def home_data(*, viewer: Any) -> HomeData:
    talks = list(my_talks(viewer=viewer).filter(status__in=[*OPEN_TOPIC_STATUSES, TopicStatus.SCHEDULED])[:3])
    return HomeData(next_session=next_session(viewer=viewer), to_vote=list(topics_to_vote(viewer=viewer)), talks=talks)
