from dataclasses import dataclass
from typing import Any

from django import template

from guilde.initiatives import planner
from guilde.initiatives.enums import CHALLENGE_BADGE, FLOW, STATUS_BADGE, InitiativeKind, InitiativeStatus
from guilde.initiatives.services import format_minutes

register = template.Library()


@register.filter
def hours(minutes: Any) -> str:
    """Minutes shown as hours: 90 → "1.5 h"."""
    return planner.hours(int(minutes or 0))


@register.filter
def duration(minutes: Any) -> str:
    """Minutes shown as "1 h 30", "45 min"."""
    return format_minutes(int(minutes or 0))


_KIND_LABELS = dict(InitiativeKind.choices)
_STATUS_LABELS = dict(InitiativeStatus.choices)


@register.filter
def kind_label(kind: str) -> str:
    """An initiative kind's label: `get_kind_display` rebuilds the choices each call (a board shows a hundred)."""
    return str(_KIND_LABELS.get(kind, kind))


@register.filter
def status_label(status: str) -> str:
    """An initiative status's label, like `get_status_display` without rebuilding the choices each call."""
    return str(_STATUS_LABELS.get(status, status))


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "text-bg-secondary")  # type: ignore[call-overload]


@register.filter
def challenge_badge(status: str) -> str:
    return CHALLENGE_BADGE.get(status, "text-bg-secondary")  # type: ignore[call-overload]


@register.filter
def pct_step(part: Any, whole: Any) -> int:
    """part / whole as a percentage rounded down to 5 %, capped at 100, for the w-pct-* classes."""
    whole = int(whole or 0)
    if whole <= 0:
        return 0
    pct = min(100, 100 * int(part or 0) // whole)
    return pct - pct % 5


@dataclass(frozen=True)
class _Step:
    value: str
    label: str


def _step(status: InitiativeStatus | None) -> _Step | None:
    # The label translated once here: a card reads it four times (two buttons and their labels).
    return _Step(status.value, str(status.label)) if status is not None else None


@register.simple_tag
def neighbours(status: str) -> dict[str, Any]:
    """The statuses before and after this one on the kanban's flow (None at either end), with their labels."""
    flow = [s.value for s in FLOW]
    if status not in flow:
        return {"previous": None, "next": _step(InitiativeStatus.PLANNED)}
    index = flow.index(status)
    previous = FLOW[index - 1] if index > 0 else None
    following = FLOW[index + 1] if index + 1 < len(flow) else None
    return {"previous": _step(previous), "next": _step(following)}
