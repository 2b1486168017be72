"""Writes on rituals. Keyword-only, the acting user first, one transaction each.

Services raise PermissionDenied when the actor may not act, ValidationError({field: message})
for bad input. E-mails and background work are enqueued on commit only.
"""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.accounts.enums import Role
from guilde.accounts.rules import is_community_member, is_product_ops
from guilde.core.concurrency import claim_version
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify
from guilde.rituals import emails, recurrence, tasks
from guilde.rituals.enums import RsvpStatus, SessionStatus, TopicFormat, TopicStatus, Visibility
from guilde.rituals.models import (
    CalendarFeed,
    ContactMessage,
    Rating,
    Ritual,
    Rsvp,
    Session,
    Subscriber,
    Topic,
    TopicComment,
    Vote,
)

HORIZON_WEEKS = 12
CHECKIN_EARLY = datetime.timedelta(minutes=15)
CHECKIN_LATE = datetime.timedelta(minutes=30)
MAX_LANGUAGES = 5
RITUAL_FIELDS = (
    "name",
    "purpose",
    "weekday",
    "interval_weeks",
    "local_time",
    "timezone",
    "starts_on",
    "duration_minutes",
    "topic_slots",
    "capacity",
    "video_url",
    "visibility",
    "is_active",
)
CADENCE_FIELDS = ("weekday", "interval_weeks", "local_time", "timezone", "starts_on", "duration_minutes")


def _on_commit(fn: Any) -> None:
    transaction.on_commit(fn, robust=True)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def cadence_of(ritual: Ritual) -> recurrence.Cadence:
    return recurrence.Cadence(
        weekday=ritual.weekday,
        interval_weeks=ritual.interval_weeks,
        local_time=ritual.local_time,
        timezone=ritual.timezone,
        starts_on=ritual.starts_on,
        duration_minutes=ritual.duration_minutes,
    )


def _validate_ritual(data: dict[str, Any], *, allow_odd_hour: bool) -> None:
    errors: dict[str, str] = {}
    if not (1 <= int(data["interval_weeks"]) <= 12):
        errors["interval_weeks"] = _("Choose between every week and every 12 weeks.")
    if not (15 <= int(data["duration_minutes"]) <= 480):
        errors["duration_minutes"] = _("A session lasts between 15 minutes and 8 hours.")
    if not (1 <= int(data["topic_slots"]) <= 6):
        errors["topic_slots"] = _("Between 1 and 6 topics per session.")
    if data.get("capacity") is not None and int(data["capacity"]) < 1:
        errors["capacity"] = _("Leave empty for no limit, or allow at least one person.")
    if not allow_odd_hour and recurrence.is_odd_hour(data["local_time"]):
        errors["local_time"] = _(
            "%(time)s in %(zone)s is outside usual hours. Tick the confirmation box if that is intended."
        ) % {"time": data["local_time"].strftime("%H:%M"), "zone": data["timezone"]}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_ritual(*, actor: Any, hosts: Iterable[Any] = (), allow_odd_hour: bool = False, **data: Any) -> Ritual:
    """Creates a ritual and generates its sessions for the coming weeks."""
    _require(actor.has_perm("rituals.add_ritual"))
    data = {key: value for key, value in data.items() if key in RITUAL_FIELDS}
    data.setdefault("starts_on", timezone.localdate())
    defaults = {f.name: f.get_default() for f in Ritual._meta.fields if f.name in RITUAL_FIELDS}
    _validate_ritual({**defaults, **data}, allow_odd_hour=allow_odd_hour)
    ritual = Ritual.objects.create(**data)
    ritual.hosts.set(list(hosts) or [actor])
    extend_schedule(ritual=ritual)
    return ritual


@transaction.atomic
def update_ritual(
    *,
    actor: Any,
    ritual: Ritual,
    version: int,
    hosts: Iterable[Any] | None = None,
    allow_odd_hour: bool = False,
    **data: Any,
) -> Ritual:
    """Changes a ritual; when the cadence changes, future untouched sessions follow it.

    A generated session that no longer falls on the cadence is cancelled (with a cancellation
    sent to those going) rather than deleted, so calendars stay right. Sessions moved or added
    by hand are left alone.
    """
    _require(actor.has_perm("rituals.change_ritual", ritual))
    data = {key: value for key, value in data.items() if key in RITUAL_FIELDS}
    _validate_ritual({**{f: getattr(ritual, f) for f in RITUAL_FIELDS}, **data}, allow_odd_hour=allow_odd_hour)
    claim_version(
        Ritual, ritual.pk, version, _("Someone else changed this ritual meanwhile. Reload the page and try again.")
    )
    cadence_changed = any(key in data and data[key] != getattr(ritual, key) for key in CADENCE_FIELDS)
    for key, value in data.items():
        setattr(ritual, key, value)
    ritual.version = version + 1
    ritual.save()
    if hosts is not None:
        ritual.hosts.set(list(hosts))
    if cadence_changed:
        _follow_cadence(ritual)
    extend_schedule(ritual=ritual)
    return ritual


def _follow_cadence(ritual: Ritual) -> None:
    cadence = cadence_of(ritual)
    future = ritual.sessions.filter(
        starts_at__gte=timezone.now(), occurrence_date__isnull=False, is_moved=False, status=SessionStatus.SCHEDULED
    )
    for session in future:
        assert session.occurrence_date is not None
        if recurrence.matches_cadence(cadence, session.occurrence_date):
            occurrence = recurrence.occurrence_on(cadence, session.occurrence_date)
            if (session.starts_at, session.ends_at) != (occurrence.starts_at, occurrence.ends_at):
                session.starts_at, session.ends_at = occurrence.starts_at, occurrence.ends_at
                session.sequence += 1
                session.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
                _on_commit(lambda pk=session.pk: tasks.send_session_change.enqueue(pk, "update"))
        elif session.rsvps.exists() or session.topics.exists():
            _cancel(session, reason=_("The ritual's schedule changed."))
        else:
            session.delete()


def extend_schedule(*, ritual: Ritual, now: datetime.datetime | None = None, weeks: int = HORIZON_WEEKS) -> int:
    """Creates the missing sessions of the cadence for the next `weeks`; returns how many.

    A system job with no actor (run on creation, on changes and by the reminders task). A cadence
    date that already has a session, moved or cancelled, is never created again.
    """
    if not ritual.is_active:
        return 0
    now = now or timezone.now()
    cadence = cadence_of(ritual)
    wanted = list(recurrence.occurrences(cadence, start=now, end=now + datetime.timedelta(weeks=weeks)))
    if not wanted:
        return 0
    existing = set(
        ritual.sessions.filter(occurrence_date__in=[o.date for o in wanted]).values_list("occurrence_date", flat=True)
    )
    rows = [
        Session(ritual=ritual, occurrence_date=o.date, starts_at=o.starts_at, ends_at=o.ends_at)
        for o in wanted
        if o.date not in existing
    ]
    with transaction.atomic():
        Session.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def add_session(
    *, actor: Any, ritual: Ritual, starts_at: datetime.datetime, duration_minutes: int | None = None, title: str = ""
) -> Session:
    """Adds a one-off session to the series, outside the cadence."""
    _require(actor.has_perm("rituals.change_ritual", ritual))
    duration = datetime.timedelta(minutes=duration_minutes or ritual.duration_minutes)
    return Session.objects.create(ritual=ritual, starts_at=starts_at, ends_at=starts_at + duration, title=title)


@transaction.atomic
def move_session(
    *, actor: Any, session: Session, starts_at: datetime.datetime, duration_minutes: int | None = None
) -> Session:
    """Moves one session without touching the series; those going get the updated event."""
    _require(actor.has_perm("rituals.change_session", session))
    if session.is_cancelled:
        raise ValidationError({"starts_at": _("A cancelled session cannot be moved.")})
    duration = datetime.timedelta(minutes=duration_minutes) if duration_minutes else session.ends_at - session.starts_at
    session.starts_at, session.ends_at = starts_at, starts_at + duration
    session.is_moved = True
    session.sequence += 1
    session.save(update_fields=["starts_at", "ends_at", "is_moved", "sequence", "updated_at"])
    _tell_going(session, title=gettext_lazy("A session you are going to has moved"), actor=actor)
    _on_commit(lambda: tasks.send_session_change.enqueue(session.pk, "update"))
    return session


def _tell_going(session: Session, *, title: Any, actor: Any = None) -> None:
    going = [r.user for r in session.rsvps.filter(status=RsvpStatus.GOING).select_related("user")]
    if going:
        notify(
            recipients=going,
            verb=Verb.SESSION_CHANGED,
            title=title,
            body=str(session),
            url=session.get_absolute_url(),
            actor=actor,
            email=False,
        )


def _cancel(session: Session, *, reason: str, actor: Any = None) -> None:
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason[:300]
    session.sequence += 1
    session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    session.topics.filter(status=TopicStatus.SCHEDULED).update(status=TopicStatus.ACCEPTED, session=None, slot=None)
    _tell_going(session, title=gettext_lazy("A session you are going to is cancelled"), actor=actor)
    _on_commit(lambda: tasks.send_session_change.enqueue(session.pk, "cancel"))


@transaction.atomic
def cancel_session(*, actor: Any, session: Session, reason: str = "") -> Session:
    """Cancels one session: its topics go back to the pool, calendars get a cancellation (same UID)."""
    _require(actor.has_perm("rituals.change_session", session))
    if session.is_cancelled:
        return session
    _cancel(session, reason=reason, actor=actor)
    return session


@transaction.atomic
def update_session_recap(
    *, actor: Any, session: Session, title: str, replay_url: str, resources: str, notes: str
) -> Session:
    """Saves the replay, resources and notes; once the session is over its topics count as presented."""
    _require(actor.has_perm("rituals.change_session", session))
    changed_title = title != session.title
    session.title, session.replay_url, session.resources, session.notes = title, replay_url, resources, notes
    fields = ["title", "replay_url", "resources", "notes", "updated_at"]
    if changed_title:
        session.sequence += 1
        fields.append("sequence")
    session.save(update_fields=fields)
    if session.starts_at <= timezone.now():
        session.topics.filter(status=TopicStatus.SCHEDULED).update(status=TopicStatus.PRESENTED)
    return session


@transaction.atomic
def announce_session(*, actor: Any, session: Session) -> Session:
    """Tells confirmed outside subscribers about a public session (once)."""
    _require(actor.has_perm("rituals.change_session", session))
    if session.ritual.visibility != Visibility.PUBLIC:
        raise ValidationError(_("Only public sessions can be announced outside."))
    if session.announced_at is None:
        session.announced_at = timezone.now()
        session.save(update_fields=["announced_at", "updated_at"])
        _on_commit(lambda: tasks.send_announcement.enqueue(session.pk))
    return session


# Topics ------------------------------------------------------------------------------------------


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


# RSVP, attendance, ratings ---------------------------------------------------------------------------


def _going_count(session: Session) -> int:
    return session.rsvps.filter(status=RsvpStatus.GOING, waitlisted=False).count()


@transaction.atomic
def rsvp(*, actor: Any, session: Session, status: str) -> Rsvp:
    """Records the actor's answer for this session; beyond capacity, "going" joins the waiting list.

    Whoever leaves a full session frees a place for the first person waiting, who is told.
    Going (with a place) e-mails an invitation with the .ics.
    """
    session = Session.objects.select_for_update().select_related("ritual").get(pk=session.pk)
    _require(actor.has_perm("rituals.rsvp_session", session))
    status = RsvpStatus(status)
    if session.is_cancelled or session.ends_at < timezone.now():
        raise ValidationError(_("This session is over or cancelled."))
    current = Rsvp.objects.filter(session=session, user=actor).first()
    was_placed = current is not None and current.status == RsvpStatus.GOING and not current.waitlisted
    waitlisted = False
    if status == RsvpStatus.GOING:
        if was_placed:
            waitlisted = False
        elif current is not None and current.status == RsvpStatus.GOING:
            waitlisted = current.waitlisted
        else:
            capacity = session.ritual.capacity
            waitlisted = capacity is not None and _going_count(session) >= capacity
    answer, _created = Rsvp.objects.update_or_create(
        session=session, user=actor, defaults={"status": status, "waitlisted": waitlisted}
    )
    if was_placed and status != RsvpStatus.GOING:
        _promote_waiting(session)
    if status == RsvpStatus.GOING and not waitlisted and not was_placed:
        _on_commit(lambda: tasks.send_invitation.enqueue(session.pk, actor.pk, "invite"))
    return answer


def _promote_waiting(session: Session) -> None:
    capacity = session.ritual.capacity
    if capacity is None or _going_count(session) >= capacity:
        return
    waiting = session.rsvps.filter(status=RsvpStatus.GOING, waitlisted=True).order_by("updated_at", "pk").first()
    if waiting is None:
        return
    waiting.waitlisted = False
    waiting.save(update_fields=["waitlisted", "updated_at"])
    notify(
        recipients=[waiting.user],
        verb=Verb.SESSION_CHANGED,
        title=gettext_lazy("A place opened up: you are going"),
        body=str(session),
        url=session.get_absolute_url(),
        email=False,
    )
    _on_commit(lambda: tasks.send_invitation.enqueue(session.pk, waiting.user_id, "invite"))


def is_checkin_open(session: Session, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return not session.is_cancelled and session.starts_at - CHECKIN_EARLY <= now <= session.ends_at + CHECKIN_LATE


@transaction.atomic
def check_in(*, actor: Any, session: Session, code: str) -> Rsvp:
    """Self check-in with the link the host shares during the session."""
    _require(actor.has_perm("rituals.rsvp_session", session))
    if not secrets.compare_digest(code or "", session.checkin_code):
        raise ValidationError(_("This check-in link is not valid."))
    if not is_checkin_open(session):
        raise ValidationError(_("Check-in opens 15 minutes before the session and closes 30 minutes after it."))
    answer, _created = Rsvp.objects.get_or_create(session=session, user=actor, defaults={"status": RsvpStatus.GOING})
    if answer.checked_in_at is None:
        answer.checked_in_at = timezone.now()
        answer.status = RsvpStatus.GOING
        answer.save(update_fields=["checked_in_at", "status", "updated_at"])
    return answer


@transaction.atomic
def mark_attendance(*, actor: Any, session: Session, user: Any, present: bool) -> Rsvp:
    """A host marks someone present or absent."""
    _require(actor.has_perm("rituals.change_session", session))
    answer, _created = Rsvp.objects.get_or_create(session=session, user=user, defaults={"status": RsvpStatus.GOING})
    answer.checked_in_at = (answer.checked_in_at or timezone.now()) if present else None
    answer.save(update_fields=["checked_in_at", "updated_at"])
    return answer


def can_rate(actor: Any, session: Session) -> bool:
    if not getattr(actor, "is_authenticated", False) or session.is_cancelled or session.starts_at > timezone.now():
        return False
    return Rsvp.objects.filter(session=session, user=actor, status=RsvpStatus.GOING).exists()


@transaction.atomic
def rate_session(*, actor: Any, session: Session, usefulness: int, will_apply: bool, comment: str = "") -> Rating:
    """Records (or changes) the actor's rating of a session they went to."""
    _require(actor.has_perm("rituals.rsvp_session", session))
    if not can_rate(actor, session):
        raise ValidationError(_("You can rate a session you went to, once it has started."))
    if not 1 <= int(usefulness) <= 5:
        raise ValidationError({"usefulness": _("Choose from 1 to 5.")})
    rating, _created = Rating.objects.update_or_create(
        session=session, user=actor, defaults={"usefulness": usefulness, "will_apply": will_apply, "comment": comment}
    )
    return rating


# Calendar feed ---------------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed(*, actor: Any, renew: bool = False) -> CalendarFeed:
    """The actor's personal feed; `renew` replaces the secret, so the old URL stops working."""
    _require(actor.has_perm("rituals.use_calendar_feed"))
    feed, created = CalendarFeed.objects.get_or_create(user=actor, defaults={"token": secrets.token_urlsafe(32)})
    if renew and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
    return feed


@transaction.atomic
def revoke_calendar_feed(*, actor: Any) -> None:
    _require(actor.has_perm("rituals.use_calendar_feed"))
    CalendarFeed.objects.filter(user=actor).delete()


# Public forms (no actor: visitors are anonymous) -------------------------------------------------------


def _product_ops() -> list[Any]:
    return list(get_user_model().objects.filter(role=Role.PRODUCT_OPS, is_active=True))


@transaction.atomic
def subscribe(*, email: str, language: str = "en") -> Subscriber:
    """Starts a double opt-in: a confirmation e-mail with a signed link (nothing sent if already active)."""
    email = email.strip().lower()
    validate_email(email)
    subscriber, _created = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
    if subscriber.is_active:
        return subscriber
    subscriber.language, subscriber.unsubscribed_at = language, None
    subscriber.save(update_fields=["language", "unsubscribed_at", "updated_at"])
    _on_commit(lambda: tasks.send_subscription_confirmation.enqueue(subscriber.pk))
    return subscriber


@transaction.atomic
def confirm_subscription(*, token: str) -> Subscriber:
    try:
        email = signing.loads(token, salt=emails.SUBSCRIBE_SALT, max_age=emails.CONFIRMATION_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid or has expired.")) from error
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        raise ValidationError(_("This confirmation link is not valid or has expired."))
    if subscriber.confirmed_at is None or subscriber.unsubscribed_at is not None:
        subscriber.confirmed_at, subscriber.unsubscribed_at = timezone.now(), None
        subscriber.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])
    return subscriber


@transaction.atomic
def unsubscribe(*, token: str) -> Subscriber:
    try:
        pk = signing.loads(token, salt=emails.UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise ValidationError(_("This unsubscribe link is not valid.")) from error
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        raise ValidationError(_("This unsubscribe link is not valid."))
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at", "updated_at"])
    return subscriber


@transaction.atomic
def propose_external_topic(*, title: str, description: str, contact_name: str, contact_email: str) -> Topic:
    """A theme proposed from the public page: lands in the pool flagged external; product ops are told."""
    validate_email(contact_email)
    topic = Topic.objects.create(
        title=title.strip(),
        description=description,
        is_external=True,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
    )
    notify(
        recipients=_product_ops(),
        verb=Verb.PUBLIC_MESSAGE,
        title=gettext_lazy("A theme was proposed from the public page"),
        body=topic.title,
        url=topic.get_absolute_url(),
    )
    return topic


@transaction.atomic
def contact_leads(*, name: str, email: str, message: str) -> ContactMessage:
    validate_email(email)
    contact = ContactMessage.objects.create(name=name.strip(), email=email.strip().lower(), message=message.strip())
    notify(
        recipients=_product_ops(),
        verb=Verb.PUBLIC_MESSAGE,
        title=gettext_lazy("New message from the public events page"),
        body=f"{contact.name} <{contact.email}>\n\n{contact.message}",
    )
    return contact


def may_manage(actor: Any) -> bool:
    return bool(is_product_ops(actor))


def is_member(actor: Any) -> bool:
    return bool(is_community_member(actor))
