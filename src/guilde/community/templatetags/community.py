from django import template

from guilde.community.enums import Language

register = template.Library()


@register.filter
def language_names(codes: list[str]) -> str:
    """["fr", "en"] → "French, English" in the viewer's language."""
    labels = dict(Language.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


@register.filter
def minutes(value: int) -> str:
    """60 → "1 h", 90 → "1 h 30", 45 → "45 min"."""
    hours, rest = divmod(int(value or 0), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
