"""Limits and helpers shared by the initiatives services."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

MAX_EFFORT_HOURS = 2000


MAX_PLEDGE_WEEKS = 52


MAX_CHECK_IN_MINUTES = 600


MAX_ABSENCE_DAYS = 366


INITIATIVE_FIELDS = (
    "title",
    "goal",
    "expected_outcome",
    "pillar",
    "kind",
    "effort_hours",
    "value",
    "rank",
    "start_date",
    "target_date",
    "lead",
    "skills",
)


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _clean_text(value: Any, *, limit: int | None = None) -> str:
    text = str(value or "").strip()
    return text[:limit] if limit else text


def format_minutes(minutes: int) -> str:
    """ "1 h", "45 min", "1 h 30" for messages."""
    hours_part, rest = divmod(int(minutes), 60)
    if hours_part and rest:
        return _("%(hours)s h %(minutes)s") % {"hours": hours_part, "minutes": f"{rest:02d}"}
    if hours_part:
        return _("%(hours)s h") % {"hours": hours_part}
    return _("%(minutes)s min") % {"minutes": rest}
