"""E-mails of rituals: invitations with an .ics attachment, updates, reminders, public subscriptions."""

from collections.abc import Iterable
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from guilde.accounts.preferences import speaking
from guilde.rituals import ics
from guilde.rituals.models import Session, Subscriber

SUBSCRIBE_SALT = "guilde.rituals.subscribe"
UNSUBSCRIBE_SALT = "guilde.rituals.unsubscribe"
CONFIRMATION_MAX_AGE = 7 * 24 * 3600


def absolute_url(path: str) -> str:
    """A link usable from a mail client or a calendar; read from settings at call time."""
    base = str(getattr(settings, "GUILDE_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + path


def session_link(session: Session) -> str:
    return absolute_url(session.get_absolute_url())


def organizer_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "guilde@localhost"


def confirmation_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=SUBSCRIBE_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps(subscriber.pk, salt=UNSUBSCRIBE_SALT)


def _message(
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    to: str,
    language: str,
    headers: dict | None = None,
    zone: str = "",
) -> EmailMultiAlternatives:
    with speaking(language, zone):
        text = render_to_string(f"rituals/email/{template}.txt", context)
        html = render_to_string(f"rituals/email/{template}.html", context)
        subject = str(subject)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def invitation(*, session: Session, user: Any, kind: str) -> EmailMultiAlternatives:
    """`kind` is "invite", "update", "cancel" or "reminder"; the .ics carries the same UID every time."""
    from django.utils.translation import gettext as _

    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subjects = {
            "invite": _("Invitation: %(session)s"),
            "update": _("Updated: %(session)s"),
            "cancel": _("Cancelled: %(session)s"),
            "reminder": _("Reminder: %(session)s"),
        }
        subject = subjects[kind] % {"session": session}
    context = {"session": session, "user": user, "kind": kind, "link": session_link(session)}
    message = _message(
        subject=subject, template="invitation", context=context, to=user.email, language=language, zone=user.timezone
    )
    method = "CANCEL" if kind == "cancel" else "REQUEST"
    body = ics.calendar(
        [session],
        name=session.ritual.name,
        link_for=session_link,
        include_video=True,
        method=method,
        organizer=organizer_address(),
        attendee=user,
    )
    message.attach("invite.ics", body, f"text/calendar; charset=utf-8; method={method}")
    return message


def subscription_confirmation(*, subscriber: Subscriber) -> EmailMultiAlternatives:
    from django.utils.translation import gettext as _

    link = absolute_url(reverse("rituals:confirm_subscription", args=[confirmation_token(subscriber.email)]))
    with translation.override(subscriber.language):
        subject = _("Confirm your subscription to our events")
    return _message(
        subject=subject,
        template="confirm_subscription",
        context={"link": link},
        to=subscriber.email,
        language=subscriber.language,
    )


def unsubscribe_headers(subscriber: Subscriber) -> tuple[str, dict[str, str]]:
    link = absolute_url(reverse("rituals:unsubscribe", args=[unsubscribe_token(subscriber)]))
    return link, {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def announcements(*, session: Session, subscribers: Iterable[Subscriber]) -> list[EmailMultiAlternatives]:
    from django.utils.translation import gettext as _

    messages = []
    for subscriber in subscribers:
        unsubscribe, headers = unsubscribe_headers(subscriber)
        with translation.override(subscriber.language):
            subject = _("Next event: %(session)s") % {"session": session}
        context = {
            "session": session,
            "link": session_link(session),
            "unsubscribe": unsubscribe,
        }
        messages.append(
            _message(
                subject=subject,
                template="announcement",
                context=context,
                to=subscriber.email,
                language=subscriber.language,
                headers=headers,
            )
        )
    return messages
