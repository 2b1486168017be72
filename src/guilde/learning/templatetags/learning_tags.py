from typing import Any

from django import template

register = template.Library()


@register.filter
def step5(value: Any) -> int:
    """A percentage rounded to the nearest 5, clamped to 0-100, for the `w-pct-*` width classes."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return 0
    return int(max(0, min(100, 5 * round(number / 5))))


@register.filter
def percent(value: Any) -> str:
    """A 0-1 share as a whole percentage ("—" when unknown, e.g. a figure of no answers at all)."""
    if value is None or value == "":
        return "—"
    return f"{round(100 * float(value))}%"


@register.filter
def signed2(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):+.2f}"
