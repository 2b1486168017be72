"""Writes on notifications. Each function runs in one transaction."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from guilde.accounts.models import User
from guilde.notifications.enums import Verb
from guilde.notifications.models import Notification
from guilde.notifications.rules import can_change_notification
from guilde.notifications.tasks import send_notification_emails

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length or 200


def _in_language(text: str | Promise, language: str) -> str:
    """A lazy translation (gettext_lazy, format_lazy) rendered in one recipient's language."""
    if isinstance(text, Promise):
        with translation.override(language):
            return str(text)
    return text


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    verb: str,
    title: str | Promise,
    body: str | Promise = "",
    url: str = "",
    actor: User | None = None,
    email: bool = True,
) -> list[Notification]:
    """Creates one notification per distinct active recipient and, if `email`, queues their e-mails.

    `title` and `body` may be lazy translations: each row is then written in its recipient's
    language. The e-mails go out through one background task for the whole batch, enqueued only
    once the surrounding transaction commits, so a rolled-back change never e-mails anyone.
    Returns the created rows (empty when nobody is left to tell).
    """
    verb = Verb(verb)
    people: dict[int, User] = {}
    for person in recipients:
        if person is not None and person.is_active and person.pk not in people:
            people[person.pk] = person
    rows = []
    for person in people.values():
        language = person.language or settings.LANGUAGE_CODE
        rows.append(
            Notification(
                recipient=person,
                actor=actor,
                verb=verb,
                title=_in_language(title, language)[:TITLE_MAX_LENGTH],
                body=_in_language(body, language),
                url=url,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [row.pk for row in created]
        # robust: the change that caused the news is committed by then; a queue hiccup must not
        # turn it into an error page. It is logged, and the in-app rows are there regardless.
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids), robust=True)
    return created


def notify_comment_removed(*, comment: Any, actor: User, verb: str, url: str) -> None:
    """Moderation is never silent: when someone else deletes a comment (product ops), its author
    learns which words went, and where. Nothing when authors delete their own."""
    if comment.author_id == actor.pk:
        return
    notify(
        recipients=[comment.author],
        verb=verb,
        title=gettext_lazy("Product ops removed your comment"),
        body=comment.body[:300],
        url=url,
        actor=actor,
    )


@transaction.atomic
def mark_read(*, actor: User, notification: Notification) -> Notification:
    """Marks one of the actor's notifications read; reading it again keeps the first time."""
    if not can_change_notification(actor, notification):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    """Marks every unread notification of the actor read; returns how many changed."""
    if not actor.is_authenticated:
        raise PermissionDenied
    now = timezone.now()
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=now, updated_at=now)
