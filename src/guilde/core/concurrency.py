"""Optimistic concurrency: shared editable rows carry a `version`; a save must name the one it saw."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _("Someone changed this in the meantime. Reload the page to see their change, then try again.")


class ConcurrentEditError(ValidationError):
    """Someone saved the same row after the actor loaded it; the actor's change would erase theirs."""


def claim_version(model: type[Model], pk: Any, version: int | None, message: Any = STALE_MESSAGE) -> None:
    """Bumps the row's version only if it is still the one the actor saw; otherwise refuses.

    One conditional UPDATE, so two concurrent saves of the same version cannot both win.
    """
    claimed = model._default_manager.filter(pk=pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise ConcurrentEditError(message, code="conflict")
