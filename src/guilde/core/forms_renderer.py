"""Django's form renderer, with the common widgets written in Python instead of templates.

Django renders every widget through a template, and every `<option>` of a select through one
more include (~40 µs each after building a dozen-key dict for it): a page with a few selects of
opportunities, areas or people spends a third of its time there. The builders below write the
exact markup of Django's `input.html`, `select.html`, `select_option.html`, `textarea.html` and
`attrs.html` (a test renders hundreds of cases both ways and compares them byte for byte);
anything else — another template, an option with its own template — goes to Django's renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_INPUT_TYPES = ("text", "email", "number", "url", "password", "hidden", "date", "datetime", "time", "search", "tel")
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _as_s(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: str() of it, escaped unless it was already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def _shown(value: Any) -> str:
    """`{{ value }}`: localized, then escaped unless safe."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs: Mapping[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_shown(name)}" if value is True else f' {_shown(name)}="{_as_s(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_as_s(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: Mapping[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            value, label = _as_s(option["value"]), _shown(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _shown(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


_BUILDERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"django/forms/widgets/{kind}.html": _input for kind in (*_INPUT_TYPES, "checkbox", "input")},
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/textarea.html": _textarea,
}


class FastWidgetRenderer(DjangoTemplates):
    """`FORM_RENDERER`: Python for the plain widgets, Django's templates for everything else."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        build = _BUILDERS.get(template_name)
        html = build(context["widget"]) if build is not None and "widget" in context else None
        return html if html is not None else super().render(template_name, context, request)
