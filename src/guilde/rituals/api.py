"""The rituals API: /api/rituals. Same selectors and services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from guilde.community import selectors as community_selectors
from guilde.rituals import selectors, services
from guilde.rituals.enums import RsvpStatus, TopicFormat
from guilde.rituals.schemas import (
    ErrorOut,
    RitualOut,
    RsvpIn,
    RsvpOut,
    SessionOut,
    TopicFilters,
    TopicIn,
    TopicOut,
    VoteOut,
)

router = Router()


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


@router.get("", response=list[RitualOut], summary="List rituals")
def list_rituals(request: HttpRequest) -> Any:
    return selectors.visible_rituals(viewer=request.user)


@router.get("/sessions", response=list[SessionOut], summary="Upcoming sessions")
@paginate(PageNumberPagination, page_size=20)
def list_sessions(request: HttpRequest, ritual: int | None = None) -> Any:
    """Sessions not over yet, soonest first, with your answer (`my_rsvp`)."""
    found = selectors.ritual_for(viewer=request.user, pk=ritual) if ritual else None
    return selectors.upcoming_sessions(viewer=request.user, ritual=found, limit=None)


@router.get("/sessions/{session_id}", response=SessionOut, summary="One session")
def session_detail(request: HttpRequest, session_id: int) -> Any:
    return selectors.session_for(viewer=request.user, pk=session_id)


@router.put(
    "/sessions/{session_id}/rsvp", response={200: RsvpOut, 403: ErrorOut, 422: ErrorOut}, summary="Answer a session"
)
def rsvp(request: HttpRequest, session_id: int, payload: RsvpIn) -> Any:
    session = selectors.session_for(viewer=request.user, pk=session_id)
    if payload.status not in RsvpStatus.values:
        return 422, {"detail": "status must be going, maybe or not_going"}
    try:
        answer = services.rsvp(actor=request.user, session=session, status=payload.status)
    except PermissionDenied:
        return 403, {"detail": "Not allowed."}
    except ValidationError as error:
        return 422, {"detail": _message(error)}
    return 200, answer


@router.get("/topics", response={200: list[TopicOut], 403: ErrorOut}, summary="The topic pool")
@paginate(PageNumberPagination, page_size=selectors.TOPICS_PAGE_SIZE)
def list_topics(request: HttpRequest, filters: Query[TopicFilters]) -> Any:
    return selectors.topic_pool(viewer=request.user, **filters.dict())


@router.post("/topics", response={201: TopicOut, 403: ErrorOut, 422: ErrorOut}, summary="Propose a topic")
def propose_topic(request: HttpRequest, payload: TopicIn) -> Any:
    if payload.format not in TopicFormat.values:
        return 422, {"detail": "Unknown format."}
    pillar = None
    if payload.pillar_id:
        pillar = (
            community_selectors.pillars(community=community_selectors.get_community())
            .filter(pk=payload.pillar_id)
            .first()
        )
        if pillar is None:
            return 422, {"detail": "Unknown pillar."}
    try:
        topic = services.propose_topic(
            actor=request.user,
            title=payload.title,
            description=payload.description,
            pillar=pillar,
            format=payload.format,
            duration_minutes=payload.duration_minutes,
            languages=payload.languages,
        )
    except PermissionDenied:
        return 403, {"detail": "Not allowed."}
    except ValidationError as error:
        return 422, {"detail": _message(error)}
    return 201, selectors.topic_for(viewer=request.user, pk=topic.pk)


@router.get("/topics/{topic_id}", response=TopicOut, summary="One topic")
def topic_detail(request: HttpRequest, topic_id: int) -> Any:
    return selectors.topic_for(viewer=request.user, pk=topic_id)


def _vote(request: HttpRequest, topic_id: int, *, add: bool) -> Any:
    topic = selectors.topic_for(viewer=request.user, pk=topic_id)
    try:
        if add:
            services.vote_topic(actor=request.user, topic=topic)
        else:
            services.withdraw_vote(actor=request.user, topic=topic)
    except PermissionDenied:
        return 403, {"detail": "Not allowed."}
    except ValidationError as error:
        return 422, {"detail": _message(error)}
    topic = selectors.topic_for(viewer=request.user, pk=topic_id)
    return 200, {"topic_id": topic.pk, "voted": topic.has_voted, "vote_count": topic.vote_count}  # type: ignore[attr-defined]


@router.put("/topics/{topic_id}/vote", response={200: VoteOut, 403: ErrorOut, 422: ErrorOut}, summary="Vote")
def vote(request: HttpRequest, topic_id: int) -> Any:
    """Idempotent: voting twice keeps one vote."""
    return _vote(request, topic_id, add=True)


@router.delete(
    "/topics/{topic_id}/vote", response={200: VoteOut, 403: ErrorOut, 422: ErrorOut}, summary="Withdraw a vote"
)
def unvote(request: HttpRequest, topic_id: int) -> Any:
    return _vote(request, topic_id, add=False)
