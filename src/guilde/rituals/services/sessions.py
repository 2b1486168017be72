import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.rituals import tasks
from guilde.rituals.enums import TopicStatus, Visibility
from guilde.rituals.models import (
    Ritual,
    Session,
)
from guilde.rituals.services._common import _cancel, _on_commit, _require, _tell_going


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
