"""Settings forms (product ops): policy, rubric criteria, product areas, segments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import CriterionKind, FeedbackStatus, RequiredField
from guilde.feedback.forms.base import BootstrapFormMixin, VersionedForm
from guilde.feedback.models import FeedbackPolicy


class PolicyForm(BootstrapFormMixin, VersionedForm):
    required_fields = forms.MultipleChoiceField(
        label=_("Required at submission"),
        choices=RequiredField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Title, problem and source are always required. Nothing else refuses a submission."),
    )
    quality_bar = forms.IntegerField(
        label=_("Quality bar (%)"),
        min_value=0,
        max_value=100,
        help_text=_("A feedback at or above this score counts as useful in the KPIs."),
    )
    processing_sla_days = forms.IntegerField(
        label=_("Processing SLA (days)"), min_value=1, max_value=3650, help_text=_("Time to qualify or decline.")
    )
    resolution_sla_days = forms.IntegerField(label=_("Resolution SLA (days)"), min_value=1, max_value=3650)
    weight_accounts = forms.IntegerField(label=_("Weight: distinct accounts"), min_value=0, max_value=1000)
    weight_arr = forms.IntegerField(label=_("Weight: ARR at stake"), min_value=0, max_value=1000)
    weight_segments = forms.IntegerField(label=_("Weight: segments"), min_value=0, max_value=1000)
    weight_recency = forms.IntegerField(label=_("Weight: recency"), min_value=0, max_value=1000)
    weight_strategic_fit = forms.IntegerField(label=_("Weight: strategic fit"), min_value=0, max_value=1000)
    accounts_cap = forms.IntegerField(label=_("Accounts for a full score"), min_value=1)
    arr_cap = forms.DecimalField(label=_("ARR for a full score"), min_value=1, max_digits=16, decimal_places=2)
    recency_half_life_days = forms.IntegerField(label=_("Recency half-life (days)"), min_value=1, max_value=3650)

    LABEL_STATUSES = tuple(FeedbackStatus.values)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for status, label in FeedbackStatus.choices:
            for lang in ("en", "fr"):
                self.fields[f"label_{status}_{lang}"] = forms.CharField(
                    label=f"{label} ({lang.upper()})", required=False, max_length=40
                )
        self.style_widgets()

    @classmethod
    def initial_for(cls, policy: FeedbackPolicy) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(policy, name) for name in cls.base_fields if name != "version"}
        initial["version"] = policy.version
        for status, labels in (policy.status_labels or {}).items():
            for lang, text in labels.items():
                initial[f"label_{status}_{lang}"] = text
        return initial

    def label_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"label_{s}_en"], self[f"label_{s}_fr"]) for s, label in FeedbackStatus.choices]

    def policy_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.base_fields if name != "version"}
        labels: dict[str, dict[str, str]] = {}
        for status in FeedbackStatus.values:
            for lang in ("en", "fr"):
                text = (self.cleaned_data.get(f"label_{status}_{lang}") or "").strip()
                if text:
                    labels.setdefault(status, {})[lang] = text
        data["status_labels"] = labels
        return data


class CriterionForm(BootstrapFormMixin, forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    kind = forms.ChoiceField(label=_("Check"), choices=CriterionKind.choices)
    label_en = forms.CharField(label=_("Label (English)"), max_length=160)
    label_fr = forms.CharField(label=_("Label (French)"), max_length=160, required=False)
    hint_en = forms.CharField(label=_("Hint (English)"), max_length=300, required=False)
    hint_fr = forms.CharField(label=_("Hint (French)"), max_length=300, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=0, max_value=100, initial=10)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class AreaForm(BootstrapFormMixin, forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=120, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    is_archived = forms.BooleanField(label=_("Archived"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class SegmentForm(BootstrapFormMixin, forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=120, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
