import secrets
from typing import Any

from django.db import transaction

from guilde.rituals.models import (
    CalendarFeed,
)
from guilde.rituals.services._common import _require


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
