"""Form of the KPI page."""

from __future__ import annotations

from django import forms


class KpiPeriodForm(forms.Form):
    months = forms.TypedChoiceField(coerce=int, choices=[(3, "3"), (6, "6"), (12, "12")], required=False)
