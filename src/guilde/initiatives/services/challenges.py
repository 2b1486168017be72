"""Writes on challenges: raising, editing, upvotes, comments (and their edits) and product ops' decisions."""

from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.community.models import Pillar
from guilde.core import comments
from guilde.core.concurrency import claim_version
from guilde.initiatives.enums import (
    ChallengeStatus,
)
from guilde.initiatives.models import (
    Challenge,
    ChallengeComment,
    ChallengeVote,
)
from guilde.initiatives.services._common import _clean_text, _require
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify, notify_comment_removed


def _validate_challenge(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "title": " ".join(str(data.get("title") or "").split()),
        "description": _clean_text(data.get("description")),
        "affected": _clean_text(data.get("affected"), limit=200),
        "pillar": data.get("pillar"),
    }
    if not clean["title"]:
        errors["title"] = _("Give the challenge a short title.")
    elif len(clean["title"]) > 160:
        errors["title"] = _("Keep the title under 160 characters.")
    if not isinstance(clean["pillar"], Pillar) or clean["pillar"].is_archived:
        errors["pillar"] = _("Choose one of the community's pillars.")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def raise_challenge(
    *, actor: Any, title: str, pillar: Pillar | None, description: str = "", affected: str = ""
) -> Challenge:
    """Records a challenge raised by a community member; product ops are told."""
    _require(actor, "initiatives.add_challenge")
    clean = _validate_challenge({"title": title, "pillar": pillar, "description": description, "affected": affected})
    challenge = Challenge.objects.create(author=actor, **clean)
    from guilde.accounts.models import User

    ops = User.objects.filter(role="product_ops", is_active=True).exclude(pk=actor.pk)
    notify(
        recipients=ops,
        verb=Verb.INITIATIVE_UPDATE,
        title=format_lazy(gettext_lazy("New challenge: {title}"), title=challenge.title),
        body=challenge.description[:500],
        url=challenge.get_absolute_url(),
        actor=actor,
        email=False,
    )
    return challenge


@transaction.atomic
def update_challenge(*, actor: Any, challenge: Challenge, version: int, **data: Any) -> Challenge:
    _require(actor, "initiatives.change_challenge", challenge)
    clean = _validate_challenge(data)
    claim_version(Challenge, challenge.pk, version)
    for key, value in clean.items():
        setattr(challenge, key, value)
    challenge.version = version + 1
    challenge.save(update_fields=[*clean, "updated_at"])
    return challenge


@transaction.atomic
def toggle_vote(*, actor: Any, challenge: Challenge) -> bool:
    """Upvotes the challenge, or takes the upvote back; True when the actor now upvotes it."""
    _require(actor, "initiatives.view_challenge", challenge)
    deleted, _rows = ChallengeVote.objects.filter(challenge=challenge, user=actor).delete()
    if deleted:
        Challenge.objects.filter(pk=challenge.pk).update(vote_count=F("vote_count") - 1)
        voted = False
    else:
        try:
            with transaction.atomic():
                ChallengeVote.objects.create(challenge=challenge, user=actor)
        except IntegrityError:  # a double click from two tabs: already counted
            return True
        Challenge.objects.filter(pk=challenge.pk).update(vote_count=F("vote_count") + 1)
        voted = True
    challenge.refresh_from_db(fields=["vote_count"])
    return voted


def _clean_comment(body: Any) -> str:
    text = _clean_text(body)
    if not text:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(text) > 5000:
        raise ValidationError({"body": _("Keep comments under 5,000 characters.")})
    return text


@transaction.atomic
def comment_challenge(*, actor: Any, challenge: Challenge, body: str) -> ChallengeComment:
    _require(actor, "initiatives.view_challenge", challenge)
    text = _clean_comment(body)
    comment = ChallengeComment.objects.create(challenge=challenge, author=actor, body=text)
    Challenge.objects.filter(pk=challenge.pk).update(comment_count=F("comment_count") + 1)
    if challenge.author_id != actor.pk:
        notify(
            recipients=[challenge.author],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("New comment on your challenge “{title}”"), title=challenge.title),
            body=text[:500],
            url=challenge.get_absolute_url(),
            actor=actor,
            email=False,
        )
    return comment


@transaction.atomic
def edit_challenge_comment(
    *, actor: Any, comment: ChallengeComment, body: str, version: int | None
) -> ChallengeComment:
    """Replaces the comment's text, only if it is still the version the author started from.

    A stale version is refused (ValidationError on `body`) rather than erasing the newer text.
    """
    # The rule itself, not actor.has_perm: Django lets a superuser do anything, and words stay their author's.
    if not rules.has_perm("initiatives.change_challengecomment", actor, comment):
        raise PermissionDenied
    text = _clean_comment(body)
    comments.rewrite(comment, text, version=version)
    return comment


@transaction.atomic
def delete_challenge_comment(*, actor: Any, comment: ChallengeComment) -> None:
    """Deletes the comment for good (its author, or product ops moderating) and keeps the challenge's count."""
    if not rules.has_perm("initiatives.delete_challengecomment", actor, comment):
        raise PermissionDenied
    deleted, _rows = ChallengeComment.objects.filter(pk=comment.pk).delete()
    if not deleted:  # a second click, or two moderators at once, must not count it twice
        return
    Challenge.objects.filter(pk=comment.challenge_id, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    notify_comment_removed(
        comment=comment, actor=actor, verb=Verb.INITIATIVE_UPDATE, url=comment.challenge.get_absolute_url()
    )


def _decide(
    *, actor: Any, challenge: Challenge, status: str, reason: str, merged_into: Challenge | None = None
) -> None:
    if not actor.has_perm("initiatives.manage"):
        raise PermissionDenied
    if challenge.status != ChallengeStatus.OPEN:
        raise ValidationError({"__all__": _("This challenge was already decided.")})
    challenge.status = status
    challenge.decision_reason = reason
    challenge.decided_by = actor
    challenge.decided_at = timezone.now()
    challenge.merged_into = merged_into
    challenge.version += 1
    challenge.save(
        update_fields=["status", "decision_reason", "decided_by", "decided_at", "merged_into", "version", "updated_at"]
    )


@transaction.atomic
def decline_challenge(*, actor: Any, challenge: Challenge, reason: str) -> Challenge:
    """Declines with a reason the author is told."""
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why, so the author understands the decision.")})
    _decide(actor=actor, challenge=challenge, status=ChallengeStatus.DECLINED, reason=reason)
    notify(
        recipients=[challenge.author],
        verb=Verb.INITIATIVE_UPDATE,
        title=format_lazy(gettext_lazy("Your challenge “{title}” was declined"), title=challenge.title),
        body=reason,
        url=challenge.get_absolute_url(),
        actor=actor,
    )
    return challenge


@transaction.atomic
def merge_challenge(*, actor: Any, challenge: Challenge, into: Challenge | None, reason: str = "") -> Challenge:
    """Merges a duplicate into another challenge; its upvotes move there (once per person)."""
    if into is None or into.pk == challenge.pk:
        raise ValidationError({"into": _("Choose another challenge to merge into.")})
    _decide(
        actor=actor, challenge=challenge, status=ChallengeStatus.MERGED, reason=_clean_text(reason), merged_into=into
    )
    already = ChallengeVote.objects.filter(challenge=into).values("user_id")
    moved = ChallengeVote.objects.filter(challenge=challenge).exclude(user_id__in=already).update(challenge=into)
    Challenge.objects.filter(pk=into.pk).update(vote_count=F("vote_count") + moved)
    notify(
        recipients=[challenge.author],
        verb=Verb.INITIATIVE_UPDATE,
        title=format_lazy(gettext_lazy("Your challenge “{title}” was merged"), title=challenge.title),
        body=into.title,
        url=into.get_absolute_url(),
        actor=actor,
        email=False,
    )
    return challenge
