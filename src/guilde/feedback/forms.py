"""Forms of the feedback pages: validation only, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.enums import (
    ALLOWED_TRANSITIONS,
    CriterionKind,
    FeedbackStatus,
    Impact,
    ImportPreset,
    Language,
    OpportunityStatus,
    RequiredField,
    SourceChannel,
)
from guilde.feedback.imports import FIELDS as IMPORT_FIELDS
from guilde.feedback.models import CustomerAccount, Feedback, FeedbackPolicy, Opportunity, ProductArea

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


# --- submitting ---------------------------------------------------------------------------


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


# --- triage -------------------------------------------------------------------------------


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


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


# --- opportunities ------------------------------------------------------------------------


class OpportunityForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Markdown.")
    )
    product_area = forms.ModelChoiceField(label=_("Product area"), queryset=ProductArea.objects.none(), required=False)
    strategic_fit = forms.IntegerField(
        label=_("Strategic fit"),
        min_value=1,
        max_value=5,
        initial=3,
        help_text=_("1 = off strategy, 5 = at the heart of it."),
    )
    effort = forms.IntegerField(
        label=_("Effort (person-weeks)"), min_value=1, max_value=520, initial=2, help_text=_("A rough estimate.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product_area"].queryset = selectors.product_areas()  # type: ignore[attr-defined]
        self.style_widgets()


class OpportunityEditForm(OpportunityForm, VersionedForm):
    release_note = forms.CharField(
        label=_("Answer to customers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to every submitter when the opportunity ships."),
    )


class RoadmapStatusForm(BootstrapFormMixin, VersionedForm):
    status = forms.ChoiceField(
        label=_("Roadmap column"),
        choices=[(v, label) for v, label in OpportunityStatus.choices if v != OpportunityStatus.SHIPPED],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ShipForm(BootstrapFormMixin, VersionedForm):
    release_note = forms.CharField(
        label=_("Answer to customers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shipped and how to use it. Every submitter, account owner and supporter gets it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


# --- settings -----------------------------------------------------------------------------


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


# --- import -------------------------------------------------------------------------------


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma-separated, with a header row."))
    preset = forms.ChoiceField(
        label=_("Where it comes from"),
        choices=ImportPreset.choices,
        help_text=_("Sets the usual column names; you can adjust them next."),
    )
    default_source = forms.ChoiceField(
        label=_("Source when the file has none"), choices=BLANK + SourceChannel.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


IMPORT_FIELD_LABELS = {
    "external_id": _("External ID"),
    "title": _("Title"),
    "problem": _("Problem"),
    "evidence": _("Evidence"),
    "links": _("Links"),
    "account": _("Customer account"),
    "contact_name": _("Contact"),
    "impact": _("Impact"),
    "product_area": _("Product area"),
    "source": _("Source"),
    "language": _("Language"),
    "tags": _("Tags"),
    "received_at": _("Received"),
}


class ImportMappingForm(BootstrapFormMixin, forms.Form):
    """Which column of the file feeds each field; title and problem must come from somewhere."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [(h, h) for h in headers if h]
        for name in IMPORT_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=IMPORT_FIELD_LABELS[name], choices=choices, required=name in {"title", "problem"}
            )
        self.style_widgets()

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in IMPORT_FIELDS}


class KpiPeriodForm(forms.Form):
    months = forms.TypedChoiceField(coerce=int, choices=[(3, "3"), (6, "6"), (12, "12")], required=False)
