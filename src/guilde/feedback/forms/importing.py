"""Forms of the CSV import: upload and column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import ImportPreset, SourceChannel
from guilde.feedback.forms.base import BLANK, BootstrapFormMixin
from guilde.feedback.imports import FIELDS as IMPORT_FIELDS


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
