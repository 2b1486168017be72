"""Building blocks of the feedback forms: Bootstrap styling, list fields, the version field."""

from __future__ import annotations

from typing import Any

from django import forms

BLANK: list[tuple[str, Any]] = [("", "—")]


class BootstrapFormMixin:
    """Gives widgets Bootstrap's classes, so templates render `{{ field }}` as is."""

    fields: dict[str, forms.Field]

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class"), css]))


class ListField(forms.CharField):
    """Values typed one per line (or separated by commas), cleaned into a list."""

    def __init__(self, *args: Any, separators: str = "\n", **kwargs: Any) -> None:
        self.separators = separators
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        parts = [super().to_python(value) or ""]
        for sep in self.separators:
            parts = [p for chunk in parts for p in chunk.split(sep)]
        return [p.strip() for p in parts if p.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return (", " if "," in self.separators else "\n").join(str(v) for v in value)
        return value


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
