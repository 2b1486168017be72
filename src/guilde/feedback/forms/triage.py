"""Forms of the triage inbox: filters, bulk actions, saved views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import FeedbackStatus, SourceChannel
from guilde.feedback.forms.base import BootstrapFormMixin
from guilde.feedback.models import FeedbackPolicy, Opportunity, ProductArea


class InboxFilterForm(BootstrapFormMixin, forms.Form):
    """The triage inbox's filter bar; the selector parses the same query leniently."""

    q = forms.CharField(label=_("Search"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *FeedbackStatus.choices])
    area = forms.ChoiceField(label=_("Product area"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("Any")), *SourceChannel.choices])
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    team = forms.ChoiceField(label=_("Submitter's team"), required=False)
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[
            ("", _("Any")),
            ("lt7", _("Under a week")),
            ("7to30", _("1 week to 1 month")),
            ("30to90", _("1 to 3 months")),
            ("gt90", _("Over 3 months")),
        ],
    )
    quality_min = forms.IntegerField(label=_("Quality from"), required=False, min_value=0, max_value=100)
    quality_max = forms.IntegerField(label=_("to"), required=False, min_value=0, max_value=100)
    overdue = forms.BooleanField(label=_("Past the SLA only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("quality", _("Best quality first")),
            ("quality_low", _("Lowest quality first")),
            ("arr", _("Highest ARR first")),
        ],
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        areas: Any,
        segments: Any,
        teams: list[str],
        product_side: bool,
        policy: FeedbackPolicy | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if policy is not None:
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                (value, policy.status_label(value) if value in FeedbackStatus.values else label)
                for value, label in self.fields["status"].choices  # type: ignore[attr-defined]
            ]
        self.fields["area"].choices = [("", _("Any"))] + [(str(a.pk), a.name) for a in areas]  # type: ignore[attr-defined]
        self.fields["segment"].choices = [("", _("Any"))] + [(str(s.pk), s.name) for s in segments]  # type: ignore[attr-defined]
        self.fields["team"].choices = [("", _("Any"))] + [(t, t) for t in teams]  # type: ignore[attr-defined]
        if not product_side:
            del self.fields["segment"]
            self.fields["sort"].choices = [c for c in self.fields["sort"].choices if c[0] != "arr"]  # type: ignore[attr-defined]
        self.style_widgets()
        for field in self.fields.values():
            field.widget.attrs["class"] += " inbox-filter"

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "sort")


BULK_ACTIONS = [
    ("", _("Choose an action…")),
    ("process", _("Mark processed")),
    ("area", _("Assign a product area")),
    ("link", _("Link to an opportunity")),
    ("decline", _("Decline with a reason")),
]


class BulkForm(BootstrapFormMixin, forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], label=_("Selected feedback"))
    action = forms.ChoiceField(label=_("With the selected"), choices=BULK_ACTIONS)
    area = forms.ModelChoiceField(label=_("Product area"), queryset=ProductArea.objects.none(), required=False)
    opportunity = forms.ModelChoiceField(label=_("Opportunity"), queryset=Opportunity.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason for declining"), required=False, max_length=2000)

    def __init__(self, *args: Any, areas: Any, opportunities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["opportunity"].queryset = opportunities  # type: ignore[attr-defined]
        self.style_widgets()

    def clean_ids(self) -> list[int]:
        return list(self.cleaned_data.get("ids") or [])

    def full_clean(self) -> None:
        # Any id is acceptable here: the service refuses missing ones, all or nothing.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]  # type: ignore[attr-defined]
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == "link" and not data.get("opportunity"):
            self.add_error("opportunity", _("Choose the opportunity."))
        if action == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why they are declined: the submitters will read it."))
        return data


class SavedViewForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=80)
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
