import datetime
import zoneinfo
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from guilde.rituals.slots import REGION_LABELS, Slot

register = template.Library()


def _city(zone: str) -> str:
    return zone.split("/")[-1].replace("_", " ")


@register.inclusion_tag("rituals/_when.html")
def session_when(session: Any, compact: bool = False) -> dict[str, Any]:
    """When a session happens in the viewer's time zone, with the ritual's reference time beside it.

    The reference time is formatted here: the `date` filter would turn it back into the viewer's zone.
    """
    local = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    reference_zone = session.ritual.timezone
    try:
        reference = session.starts_at.astimezone(zoneinfo.ZoneInfo(reference_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        reference = None
    reference_time = ""
    if reference is not None and reference.utcoffset() != local.utcoffset():
        reference_time = date_format(reference, "H:i" if reference.date() == local.date() else "D H:i")
    return {
        "local": local,
        "local_end": local_end,
        "reference_time": reference_time,
        "reference_zone": _city(reference_zone),
        "viewer_zone": _city(timezone.get_current_timezone_name()),
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


@register.filter
def region_label(region: str) -> str:
    return str(REGION_LABELS.get(region, region))


@register.simple_tag
def slot_times(slot: Slot, week: datetime.date, zones: list[str]) -> dict[str, Any]:
    """A slot's start in the viewer's zone, and in the main zone of each group of people."""
    start = slot.starts_at(week)
    local = timezone.localtime(start)
    elsewhere = []
    for zone in zones:
        there = start.astimezone(zoneinfo.ZoneInfo(zone))
        if there.utcoffset() != local.utcoffset():
            elsewhere.append((_city(zone), date_format(there, "D H:i")))
    return {"local": local, "elsewhere": elsewhere}
