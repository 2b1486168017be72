"""A person's language and timezone, applied outside their own requests (e-mails, background jobs)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils import timezone, translation


@contextmanager
def speaking(language: str = "", zone: str = "") -> Iterator[None]:
    """Translations in `language` and local times in `zone`; the site's defaults when empty or unknown."""
    try:
        tz = zoneinfo.ZoneInfo(zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(tz):
        yield


def as_seen_by(user: Any) -> Any:
    """`speaking` the user's language and timezone (the site's defaults without a user)."""
    return speaking(getattr(user, "language", "") or "", getattr(user, "timezone", "") or "")
