"""Bootstrap markup for form widgets, used by the allauth element overrides and the tokens page."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def field_kind(field: BoundField) -> str:
    return widget_kind(field)


@register.filter
def bootstrap_widget(field: BoundField) -> SafeString:
    """The field's widget with Bootstrap classes, its invalid state and its help/error descriptions."""
    kind = widget_kind(field)
    css = {"check": "form-check-input", "select": "form-select", "choices": "", "hidden": ""}.get(kind, "form-control")
    attrs: dict[str, str | bool] = {}
    existing = str(field.field.widget.attrs.get("class", ""))
    classes = " ".join(c for c in (existing, css, "is-invalid" if field.errors else "") if c)
    if classes:
        attrs["class"] = classes
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
