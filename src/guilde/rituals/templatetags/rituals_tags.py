import zoneinfo
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("rituals/_when.html")
def session_when(session: Any, compact: bool = False) -> dict[str, Any]:
    """When a session happens in the viewer's time zone, with the ritual's reference time beside it."""
    local = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    reference_zone = session.ritual.timezone
    try:
        reference = session.starts_at.astimezone(zoneinfo.ZoneInfo(reference_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        reference = None
    differs = reference is not None and reference.utcoffset() != local.utcoffset()
    return {
        "local": local,
        "local_end": local_end,
        "reference": reference if differs else None,
        "reference_zone": reference_zone.split("/")[-1].replace("_", " "),
        "viewer_zone": timezone.get_current_timezone_name(),
        "compact": compact,
    }


@register.filter
def stars(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@register.filter
def pct_step(part: int, whole: int) -> int:
    """A share rounded down to a 5 % step, for the w-pct-* width classes."""
    if not whole:
        return 0
    percent = int(100 * part / whole)
    return min(percent - percent % 5, 100)


@register.filter
def percent(value: float) -> int:
    return round(100 * (value or 0))


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key, "")


SLOT_REFERENCE_ZONES = (
    ("Paris", "Europe/Paris"),
    ("New York", "America/New_York"),
    ("Los Angeles", "America/Los_Angeles"),
)


@register.filter
def slot_start(slot: Any, week: Any) -> Any:
    return timezone.localtime(slot.starts_at(week))


@register.filter
def slot_locals(start: Any) -> list[tuple[str, Any]]:
    return [(label, start.astimezone(zoneinfo.ZoneInfo(zone))) for label, zone in SLOT_REFERENCE_ZONES]
