from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy

from guilde.notifications.enums import Verb
from guilde.notifications.services import notify
from guilde.rituals import tasks
from guilde.rituals.enums import RsvpStatus, SessionStatus, TopicStatus
from guilde.rituals.models import (
    Session,
)


def _on_commit(fn: Any) -> None:
    transaction.on_commit(fn, robust=True)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


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
