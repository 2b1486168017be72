import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.notifications.enums import Verb
from guilde.notifications.services import notify
from guilde.rituals import tasks
from guilde.rituals.enums import RsvpStatus
from guilde.rituals.models import (
    Rating,
    Rsvp,
    Session,
)
from guilde.rituals.services._common import _on_commit, _require

CHECKIN_EARLY = datetime.timedelta(minutes=15)

CHECKIN_LATE = datetime.timedelta(minutes=30)


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
