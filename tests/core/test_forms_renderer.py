"""The Python widget builders write exactly what Django's widget templates write."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from guilde.core.forms_renderer import FastWidgetRenderer


class Everything(forms.Form):
    title = forms.CharField(
        max_length=20, help_text="Short", widget=forms.TextInput(attrs={"placeholder": 'Say "hi" <b>'})
    )
    email = forms.EmailField(required=False)
    count = forms.IntegerField(min_value=0, initial=1000)
    price = forms.DecimalField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="a&b")
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    at = forms.DateTimeField(required=False)
    flag = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "disabled": True, "readonly": False}))
    colour = forms.ChoiceField(choices=[("", "—"), ("r", "Red & <rose>"), ("g", gettext_lazy("Green")), (3, 3000)])
    grouped = forms.ChoiceField(
        choices=[("Warm", [("r", "Red"), ("o", "Orange")]), ("Cold", [("b", "Blue")]), ("x", "Other")],
        required=False,
    )
    safe_label = forms.ChoiceField(choices=[("s", mark_safe("<em>safe</em>")), ("u", "<em>unsafe</em>")])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autofocus": True}), required=False)


DATA = [
    {},
    {
        "title": 'x" onmouseover="alert(1)',
        "email": "a@b.c",
        "count": "12",
        "price": "3.50",
        "secret": "<pw>",
        "hidden": "h",
        "when": "2026-11-25",
        "at": "2026-11-25 10:00",
        "flag": "on",
        "notes": "line\n<two> & 'three'",
        "colour": "r",
        "grouped": "o",
        "safe_label": "u",
        "many": ["a", "b"],
        "radio": "b",
        "search": "q",
    },
    {"count": "not a number", "colour": "3", "notes": "", "price": Decimal("1234.5")},
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_widget_renders_byte_for_byte_as_django(data, language):
    with override(language):
        bound = Everything(data=data or None, initial={"at": datetime.datetime(2026, 1, 2, 3, 4)})
        for name in bound.fields:
            field = bound[name]
            slow = field.field.widget.render(
                field.html_name, field.value(), field.build_widget_attrs({}), renderer=DjangoTemplates()
            )
            fast = field.field.widget.render(
                field.html_name, field.value(), field.build_widget_attrs({}), renderer=FastWidgetRenderer()
            )
            assert fast == slow, name
