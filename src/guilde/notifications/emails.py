"""E-mail delivery of notifications, run by the `send_notification_emails` background task."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from guilde.notifications.models import Notification

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    """Where Guilde is reached from outside, for links in e-mails; read at call time, never at import."""
    return str(getattr(settings, "GUILDE_BASE_URL", DEFAULT_BASE_URL) or DEFAULT_BASE_URL).rstrip("/")


def absolute_url(url: str) -> str:
    """A link usable from a mail client: paths are put under GUILDE_BASE_URL, full URLs kept."""
    root = base_url()
    if not url:
        return root + reverse("notifications:list")
    if url.startswith("/") and not url.startswith("//"):
        return root + url
    if url.startswith(("http://", "https://")):
        return url
    return root + "/" + url


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for one notification, in its recipient's language (plain text and HTML)."""
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "recipient": recipient,
            "link": absolute_url(notification.url),
            "list_link": absolute_url(reverse("notifications:list")),
        }
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    subject = " ".join(notification.title.split())
    message = EmailMultiAlternatives(subject=subject, body=text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


def deliver_emails(*, notification_ids: Iterable[int]) -> int:
    """Sends the not-yet-e-mailed notifications among `notification_ids` and stamps `emailed_at`.

    Each row is stamped right after its own message leaves, so a worker that dies halfway and is
    run again sends only the rest. A failing message is logged and skipped, not retried.
    Returns how many e-mails were sent.
    """
    pending = (
        Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True, recipient__is_active=True)
        .select_related("recipient", "actor")
        .order_by("pk")
    )
    sent = 0
    for notification in pending:
        try:
            build_email(notification).send()
        except Exception:
            logger.exception("Could not e-mail notification %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
