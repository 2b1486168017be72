"""Forms of submitting feedback and of the feedback page: support, status, duplicate, link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.enums import ALLOWED_TRANSITIONS, FeedbackStatus, Impact, Language, RequiredField, SourceChannel
from guilde.feedback.forms.base import BLANK, BootstrapFormMixin, ListField, VersionedForm
from guilde.feedback.models import CustomerAccount, Feedback, FeedbackPolicy, Opportunity, ProductArea


class FeedbackForm(BootstrapFormMixin, forms.Form):
    """The guided submission form; which fields are required comes from the useful-feedback policy."""

    account = forms.ModelChoiceField(
        label=_("Customer account"),
        queryset=CustomerAccount.objects.only("id", "name", "owner_id", "segment_id"),
        required=False,
        widget=forms.HiddenInput,
    )
    account_search = forms.CharField(
        label=_("Customer account"),
        required=False,
        help_text=_("Type the first letters of the customer's name, then pick it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "role": "combobox", "aria-expanded": "false"}),
    )
    contact_name = forms.CharField(label=_("Contact"), max_length=150, required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short summary of the problem, in the customer's terms."),
    )
    problem = forms.CharField(
        label=_("Problem"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the customer cannot do, and why it matters to them. Describe the problem, not a solution."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer's own words, a ticket, a recording."),
    )
    links = ListField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address per line (ticket, call recording, document)."),
    )
    impact = forms.ChoiceField(label=_("Impact"), choices=BLANK + Impact.choices, required=False)
    product_area = forms.ModelChoiceField(label=_("Product area"), queryset=ProductArea.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=BLANK + SourceChannel.choices)
    language = forms.ChoiceField(label=_("Language of the feedback"), choices=Language.choices)
    tags = ListField(
        label=_("Tags"),
        required=False,
        separators=",",
        help_text=_("Separated by commas, e.g. invoices, export."),
    )

    SECTIONS = (
        (_("The customer"), ("account_search", "account", "contact_name")),
        (_("The problem"), ("title", "problem", "evidence", "links")),
        (_("Impact and context"), ("impact", "product_area", "source", "language", "tags")),
    )

    def __init__(self, *args: Any, policy: FeedbackPolicy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_area"].queryset = selectors.product_areas()  # type: ignore[attr-defined]
        required = set(policy.required_fields or []) | {"title", "problem", "source"}
        for name in RequiredField.values:
            if name in self.fields and name != "account":
                self.fields[name].required = name in required
        self.account_required = "account" in required
        self.evidence_required = "evidence" in required
        if self.evidence_required:
            self.fields["evidence"].required = False  # a link also counts as evidence
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.account_required and not data.get("account"):
            self.add_error("account_search", _("This field is required."))
        if self.evidence_required and not data.get("evidence") and not data.get("links"):
            self.add_error("evidence", _("This field is required."))
        return data

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "problem",
                "source",
                "evidence",
                "links",
                "account",
                "contact_name",
                "impact",
                "product_area",
                "language",
                "tags",
            )
        }

    def quality_kwargs(self) -> dict[str, Any]:
        """The fields the quality score depends on, read leniently from a form being typed."""
        raw = self.data
        account = None
        area = None
        try:
            account = self.fields["account"].clean(raw.get("account"))
        except forms.ValidationError:
            account = None
        try:
            area = self.fields["product_area"].clean(raw.get("product_area"))
        except forms.ValidationError:
            area = None
        impact = raw.get("impact", "")
        return {
            "problem": raw.get("problem", ""),
            "evidence": raw.get("evidence", ""),
            "links": ListField().to_python(raw.get("links", "")),
            "account": account,
            "contact_name": raw.get("contact_name", ""),
            "impact": impact if impact in Impact.values else "",
            "product_area": area,
        }


class SupportForm(forms.Form):
    """ "Add my customer to this one": the customer being typed in the submission form."""

    account = forms.ModelChoiceField(queryset=CustomerAccount.objects.only("id", "name"), required=False)
    contact_name = forms.CharField(max_length=150, required=False)
    note = forms.CharField(required=False, max_length=2000)


class StatusForm(BootstrapFormMixin, VersionedForm):
    to_status = forms.ChoiceField(label=_("New status"), choices=FeedbackStatus.choices)
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to decline: the submitter will read it."),
    )
    answer = forms.CharField(
        label=_("Answer to the submitter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional. Shown on the feedback and sent with the notification."),
    )
    note = forms.CharField(label=_("Internal note"), required=False, max_length=1000)

    def __init__(self, *args: Any, feedback: Feedback, policy: FeedbackPolicy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_TRANSITIONS.get(feedback.status, frozenset())
        label = policy.status_label if policy is not None else (lambda value: FeedbackStatus(value).label)
        self.fields["to_status"].choices = [(v, label(v)) for v in FeedbackStatus.values if v in allowed]  # type: ignore[attr-defined]
        self.style_widgets()


class DuplicateForm(BootstrapFormMixin, VersionedForm):
    original = forms.IntegerField(
        label=_("Original feedback number"),
        min_value=1,
        help_text=_("Type its number (#), or merge into one of the similar feedback listed below."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class LinkForm(BootstrapFormMixin, forms.Form):
    opportunity = forms.ModelChoiceField(
        label=_("Opportunity"), queryset=Opportunity.objects.none(), required=False, empty_label="—"
    )
    new_title = forms.CharField(
        label=_("…or a new opportunity titled"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, opportunities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities  # type: ignore[attr-defined]
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("opportunity") and not (data.get("new_title") or "").strip():
            raise forms.ValidationError(_("Choose an opportunity or give a new one a title."))
        return data
