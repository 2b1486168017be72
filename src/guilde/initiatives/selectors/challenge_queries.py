"""Reads on challenges."""

from typing import Any

import rules
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from guilde.initiatives.enums import (
    ChallengeStatus,
)
from guilde.initiatives.models import (
    Challenge,
    ChallengeComment,
    ChallengeVote,
    Initiative,
)
from guilde.initiatives.selectors._common import PAGE_SIZE


def challenges(
    *, viewer: Any, status: str = "", pillar: int | None = None, q: str = "", mine: bool = False
) -> QuerySet[Challenge]:
    """Challenges with their pillar and author, whether the viewer upvoted, most upvoted first."""
    queryset = Challenge.objects.select_related("pillar", "author").annotate(
        has_voted=Exists(ChallengeVote.objects.filter(challenge=OuterRef("pk"), user=viewer.pk))
    )
    if status:
        queryset = queryset.filter(status=status)
    if pillar:
        queryset = queryset.filter(pillar_id=pillar)
    if mine:
        queryset = queryset.filter(author=viewer.pk)
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return queryset.order_by("-vote_count", "-created_at", "-id")


def challenge_page(*, viewer: Any, page: Any = 1, **filters: Any) -> Page:
    return Paginator(challenges(viewer=viewer, **filters), PAGE_SIZE).get_page(page)


def challenge_for(*, viewer: Any, pk: int) -> Challenge:
    challenge = (
        challenges(viewer=viewer)
        .select_related("merged_into", "decided_by")
        .prefetch_related(
            Prefetch("comments", queryset=ChallengeComment.objects.select_related("author")),
            Prefetch("initiatives", queryset=Initiative.objects.filter(is_archived=False).select_related("pillar")),
        )
        .filter(pk=pk)
        .first()
    )
    if challenge is None or not viewer.has_perm("initiatives.view_challenge", challenge):
        raise Http404
    return challenge


def editable_challenge(*, viewer: Any, pk: int) -> Challenge:
    challenge = Challenge.objects.select_related("pillar", "author").filter(pk=pk).first()
    if challenge is None or not viewer.has_perm("initiatives.change_challenge", challenge):
        raise Http404
    return challenge


def challenge_comment_for(*, viewer: Any, challenge_pk: int, pk: int, perm: str) -> ChallengeComment:
    """A comment of that challenge the viewer may `perm` ("initiatives.change_challengecomment"…); else 404.

    The comment rule is asked directly (`rules.has_perm`): Django's `has_perm` would let a superuser
    rewrite anyone's words.
    """
    comment = (
        ChallengeComment.objects.select_related("author", "challenge").filter(pk=pk, challenge_id=challenge_pk).first()
    )
    if (
        comment is None
        or not viewer.has_perm("initiatives.view_challenge", comment.challenge)
        or not rules.has_perm(perm, viewer, comment)
    ):
        raise Http404
    return comment


def open_challenges(*, exclude: int | None = None) -> QuerySet[Challenge]:
    queryset = Challenge.objects.filter(status__in=[ChallengeStatus.OPEN, ChallengeStatus.ACCEPTED])
    return queryset.exclude(pk=exclude) if exclude else queryset
