"""Forms of opportunities and the roadmap."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.enums import OpportunityStatus
from guilde.feedback.forms.base import BootstrapFormMixin, VersionedForm
from guilde.feedback.models import ProductArea


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
