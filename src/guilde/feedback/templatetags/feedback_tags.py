"""Badges and small formatting helpers of the feedback pages."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from guilde.feedback.enums import FeedbackStatus, OpportunityStatus

register = template.Library()

# One colour per meaning across modules (see the UI guide): grey new, blue in progress,
# indigo planned, green done, red declined, amber at risk.
FEEDBACK_TONES: dict[str, str] = {
    FeedbackStatus.NEW: "new",
    FeedbackStatus.PROCESSED: "progress",
    FeedbackStatus.PLANNED: "planned",
    FeedbackStatus.RESOLVED: "done",
    FeedbackStatus.DECLINED: "declined",
    FeedbackStatus.DUPLICATE: "muted",
}
OPPORTUNITY_TONES: dict[str, str] = {
    OpportunityStatus.CANDIDATE: "new",
    OpportunityStatus.NOW: "progress",
    OpportunityStatus.NEXT: "planned",
    OpportunityStatus.LATER: "planned-soft",
    OpportunityStatus.SHIPPED: "done",
}


@register.simple_tag
def status_badge(status: str, policy: Any = None) -> SafeString:
    """A feedback status as a badge with text, using product ops' custom wording if any."""
    label = policy.status_label(status) if policy is not None else FeedbackStatus(status).label
    return format_html('<span class="badge badge-tone-{}">{}</span>', FEEDBACK_TONES.get(status, "new"), label)


@register.simple_tag
def roadmap_badge(status: str) -> SafeString:
    label = OpportunityStatus(status).label if status in OpportunityStatus.values else status
    return format_html('<span class="badge badge-tone-{}">{}</span>', OPPORTUNITY_TONES.get(status, "new"), label)


@register.filter
def step5(value: Any) -> int:
    """A 0-100 value rounded to the 5 % steps of the w-pct-* classes."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(min(100, max(0, round(number / 5) * 5)))


@register.filter
def quality_tone(score: Any, bar: Any = 60) -> str:
    try:
        return "success" if int(score) >= int(bar) else ("warning" if int(score) >= int(bar) // 2 else "danger")
    except (TypeError, ValueError):
        return "secondary"
