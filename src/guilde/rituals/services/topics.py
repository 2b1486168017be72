from collections.abc import Iterable
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.core import comments
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify, notify_comment_removed
from guilde.rituals.enums import TopicFormat, TopicStatus
from guilde.rituals.models import (
    Session,
    Topic,
    TopicComment,
    Vote,
)
from guilde.rituals.services._common import _require

MAX_LANGUAGES = 5


def _clean_languages(languages: Iterable[str]) -> list[str]:
    cleaned = sorted({str(code).strip().lower() for code in languages if str(code).strip()})
    if len(cleaned) > MAX_LANGUAGES or any(len(code) > 8 for code in cleaned):
        raise ValidationError({"languages": _("Choose up to five languages.")})
    return cleaned


@transaction.atomic
def propose_topic(
    *,
    actor: Any,
    title: str,
    description: str = "",
    pillar: Any = None,
    format: str = TopicFormat.TALK,
    duration_minutes: int = 30,
    languages: Iterable[str] = (),
    speakers: Iterable[Any] = (),
) -> Topic:
    """Adds a topic to the pool; the proposer is the speaker unless others are named."""
    _require(actor.has_perm("rituals.propose_topic"))
    if not title.strip():
        raise ValidationError({"title": _("Give the topic a title.")})
    topic = Topic.objects.create(
        title=title.strip(),
        description=description,
        pillar=pillar,
        format=format,
        duration_minutes=duration_minutes,
        languages=_clean_languages(languages),
        proposed_by=actor,
    )
    topic.speakers.set(list(speakers) or [actor])
    return topic


@transaction.atomic
def update_topic(*, actor: Any, topic: Topic, speakers: Iterable[Any] | None = None, **data: Any) -> Topic:
    _require(actor.has_perm("rituals.change_topic", topic))
    allowed = {"title", "description", "pillar", "format", "duration_minutes", "languages"}
    for key, value in data.items():
        if key in allowed:
            setattr(topic, key, _clean_languages(value) if key == "languages" else value)
    topic.save()
    if speakers is not None:
        topic.speakers.set(list(speakers))
    return topic


@transaction.atomic
def vote_topic(*, actor: Any, topic: Topic) -> bool:
    """Adds the actor's vote; False when they had already voted (also when two requests race)."""
    _require(actor.has_perm("rituals.vote_topic"))
    if topic.status not in (TopicStatus.PROPOSED, TopicStatus.ACCEPTED):
        raise ValidationError(_("Votes are closed on this topic."))
    try:
        with transaction.atomic():
            Vote.objects.create(topic=topic, voter=actor)
    except IntegrityError:
        return False
    Topic.objects.filter(pk=topic.pk).update(vote_count=F("vote_count") + 1)
    return True


@transaction.atomic
def withdraw_vote(*, actor: Any, topic: Topic) -> bool:
    _require(actor.has_perm("rituals.vote_topic"))
    deleted, _rows = Vote.objects.filter(topic=topic, voter=actor).delete()
    if deleted:
        Topic.objects.filter(pk=topic.pk, vote_count__gt=0).update(vote_count=F("vote_count") - 1)
    return bool(deleted)


@transaction.atomic
def comment_topic(*, actor: Any, topic: Topic, body: str) -> TopicComment:
    _require(actor.has_perm("rituals.comment_topic"))
    if not body.strip():
        raise ValidationError({"body": _("Write something first.")})
    return TopicComment.objects.create(topic=topic, author=actor, body=body.strip())


@transaction.atomic
def edit_topic_comment(*, actor: Any, comment: TopicComment, body: str, version: int | None) -> TopicComment:
    """Replaces the comment's text, only if it is still the version the author started from.

    A stale version is refused (ValidationError on `body`) rather than erasing the newer text.
    """
    # The rule itself, not actor.has_perm: Django lets a superuser do anything, and words stay their author's.
    _require(rules.has_perm("rituals.change_topiccomment", actor, comment))
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Write something first.")})
    comments.rewrite(comment, text, version=version)
    return comment


@transaction.atomic
def delete_topic_comment(*, actor: Any, comment: TopicComment) -> None:
    """Deletes the comment for good: its author taking it back, or product ops moderating."""
    _require(rules.has_perm("rituals.delete_topiccomment", actor, comment))
    deleted, _by_model = TopicComment.objects.filter(pk=comment.pk).delete()
    if deleted:  # not again on a second click
        notify_comment_removed(
            comment=comment, actor=actor, verb=Verb.TOPIC_UPDATE, url=comment.topic.get_absolute_url()
        )


@transaction.atomic
def decide_topic(*, actor: Any, topic: Topic, accept: bool, reason: str = "") -> Topic:
    """Accepts a proposed topic, or declines it with a reason the proposer is told."""
    _require(actor.has_perm("rituals.decide_topic"))
    if topic.status not in (TopicStatus.PROPOSED, TopicStatus.ACCEPTED):
        raise ValidationError(_("Only a proposed or accepted topic can be decided on."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why, so the proposer understands.")})
    topic.status = TopicStatus.ACCEPTED if accept else TopicStatus.DECLINED
    topic.decline_reason = "" if accept else reason.strip()[:300]
    topic.save(update_fields=["status", "decline_reason", "updated_at"])
    if topic.proposed_by is not None and topic.proposed_by != actor:
        title = gettext_lazy("Your topic was accepted") if accept else gettext_lazy("Your topic was declined")
        notify(
            recipients=[topic.proposed_by],
            verb=Verb.TOPIC_UPDATE,
            title=title,
            body=topic.title,
            url=topic.get_absolute_url(),
            actor=actor,
        )
    return topic


@transaction.atomic
def schedule_topic(*, actor: Any, topic: Topic, session: Session) -> Topic:
    """Puts a topic into the next free slot of a session; the speakers are told."""
    session = Session.objects.select_for_update().select_related("ritual").get(pk=session.pk)
    _require(actor.has_perm("rituals.change_session", session))
    if topic.status not in (TopicStatus.PROPOSED, TopicStatus.ACCEPTED):
        raise ValidationError(_("This topic cannot be scheduled any more."))
    if session.is_cancelled or session.ends_at < timezone.now():
        raise ValidationError(_("Choose an upcoming session."))
    used = session.topics.count()
    if used >= session.ritual.topic_slots:
        raise ValidationError(_("This session has no free slot left."))
    last = session.topics.aggregate(m=Max("slot"))["m"] or 0
    topic.session, topic.slot, topic.status = session, last + 1, TopicStatus.SCHEDULED
    topic.save(update_fields=["session", "slot", "status", "updated_at"])
    Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    speakers = [s for s in topic.speakers.all() if s != actor]
    if speakers:
        notify(
            recipients=speakers,
            verb=Verb.TOPIC_UPDATE,
            title=gettext_lazy("Your topic is scheduled"),
            body=f"{topic.title} · {session}",
            url=session.get_absolute_url(),
            actor=actor,
        )
    return topic


@transaction.atomic
def unschedule_topic(*, actor: Any, topic: Topic) -> Topic:
    session = topic.session
    if session is None:
        return topic
    _require(actor.has_perm("rituals.change_session", session))
    topic.session, topic.slot, topic.status = None, None, TopicStatus.ACCEPTED
    topic.save(update_fields=["session", "slot", "status", "updated_at"])
    Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1, updated_at=timezone.now())
    return topic
