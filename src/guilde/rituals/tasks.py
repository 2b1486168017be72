"""Background work of rituals, run by `manage.py db_worker`: invitations, updates, reminders, announcements."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from guilde.rituals import emails
from guilde.rituals.enums import RsvpStatus, SessionStatus
from guilde.rituals.models import Ritual, Rsvp, Session, Subscriber

logger = logging.getLogger(__name__)
REMINDER_WINDOW = datetime.timedelta(hours=24)


def _session(session_id: int) -> Session | None:
    return Session.objects.select_related("ritual").prefetch_related("topics").filter(pk=session_id).first()


@task
def send_invitation(session_id: int, user_id: int, kind: str = "invite") -> int:
    """E-mails one person the session with its .ics (invite, update or cancel)."""
    session = _session(session_id)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if session is None or user is None:
        return 0
    emails.invitation(session=session, user=user, kind=kind).send()
    return 1


@task
def send_session_change(session_id: int, kind: str) -> int:
    """E-mails everyone going the updated or cancelled event: same UID, higher SEQUENCE."""
    session = _session(session_id)
    if session is None:
        return 0
    sent = 0
    for rsvp in session.rsvps.filter(status=RsvpStatus.GOING, user__is_active=True).select_related("user"):
        try:
            emails.invitation(session=session, user=rsvp.user, kind=kind).send()
        except Exception:
            logger.exception("Could not e-mail session %s to user %s", session.pk, rsvp.user_id)
            continue
        sent += 1
    return sent


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Reminds everyone going to a session starting in the next 24 hours, once; also extends schedules.

    Each RSVP is stamped right after its e-mail leaves, so running it again (cron, a retried
    task) never reminds anyone twice.
    """
    from guilde.rituals.services import extend_schedule

    now = now or timezone.now()
    for ritual in Ritual.objects.filter(is_active=True):
        extend_schedule(ritual=ritual, now=now)
    due = (
        Rsvp.objects.filter(
            status=RsvpStatus.GOING,
            waitlisted=False,
            reminded_at__isnull=True,
            user__is_active=True,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_WINDOW,
        )
        .select_related("user", "session", "session__ritual")
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for rsvp in due:
        try:
            emails.invitation(session=rsvp.session, user=rsvp.user, kind="reminder").send()
        except Exception:
            logger.exception("Could not remind user %s of session %s", rsvp.user_id, rsvp.session_id)
            continue
        Rsvp.objects.filter(pk=rsvp.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


@task
def send_session_reminders() -> int:
    return send_due_reminders()


@task
def send_subscription_confirmation(subscriber_id: int) -> int:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, unsubscribed_at__isnull=True).first()
    if subscriber is None:
        return 0
    emails.subscription_confirmation(subscriber=subscriber).send()
    return 1


@task
def send_announcement(session_id: int) -> int:
    """Tells confirmed subscribers about a public session, each mail with a one-click unsubscribe."""
    session = _session(session_id)
    if session is None:
        return 0
    subscribers = Subscriber.objects.filter(Q(confirmed_at__isnull=False), unsubscribed_at__isnull=True).order_by("pk")
    sent = 0
    for message in emails.announcements(session=session, subscribers=subscribers):
        try:
            message.send()
        except Exception:
            logger.exception("Could not send an announcement of session %s", session.pk)
            continue
        sent += 1
    return sent
