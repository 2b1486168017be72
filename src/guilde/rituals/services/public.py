from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.accounts.enums import Role
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify
from guilde.rituals import emails, tasks
from guilde.rituals.models import (
    ContactMessage,
    Subscriber,
    Topic,
)
from guilde.rituals.services._common import _on_commit


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
