from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.timezone import localtime, now
from django.utils.translation import gettext as _

from guilde.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def url_replace(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters changed: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.inclusion_tag("core/_relative_time.html")
def relative_time(value: Any) -> dict[str, Any]:
    """A date shown as "3 days ago" when recent ("just now" under a minute), with the exact local date on hover."""
    if value is None:
        return {"value": None}
    age = now() - value
    recent = abs(age.days) < 7
    just_now = abs(age.total_seconds()) < 60
    return {"value": localtime(value), "recent": recent, "just_now": just_now}


@register.filter
def initials(name: str) -> str:
    parts = [p for p in (name or "").replace("-", " ").split() if p]
    return ("".join(p[0] for p in parts[:2]) or "?").upper()


@register.simple_tag
def yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")
