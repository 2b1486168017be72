from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from guilde.accounts.forms import InvitationForm
from guilde.accounts.models import TIMEZONE_CHOICES
from guilde.community.enums import Language, OfficialStatus, Region, RoleFamily
from guilde.community.models import Member
from guilde.community.services import MAX_WEEKLY_MINUTES


def _interface_languages() -> list[tuple[str, Any]]:
    return list(settings.LANGUAGES)


class BootstrapFormMixin:
    """Gives widgets Bootstrap's classes, so templates render `{{ field }}` as is."""

    fields: dict[str, forms.Field]

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class"), css]))


class TagListField(forms.CharField):
    """Comma-separated tags typed by a person, cleaned into a list of names."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class ProfileForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    role_family = forms.ChoiceField(label=_("Role family"), choices=RoleFamily.choices)
    team = forms.CharField(label=_("Team"), max_length=120, required=False)
    brand = forms.CharField(label=_("Brand or business unit"), max_length=120, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices], required=False)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIMEZONE_CHOICES,
        help_text=_("Times across Guilde are shown in this time zone."),
    )
    language = forms.ChoiceField(label=_("Interface language"), choices=_interface_languages)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = TagListField(
        label=_("Skills"),
        required=False,
        help_text=_("Separated by commas, e.g. discovery, pricing, SQL."),
    )
    interests = TagListField(
        label=_("Interests"),
        required=False,
        help_text=_("What you would like to learn or talk about, separated by commas."),
    )
    weekly_minutes = forms.IntegerField(
        label=_("Weekly time for the community (minutes)"),
        min_value=0,
        max_value=MAX_WEEKLY_MINUTES,
        help_text=_("Most volunteers give about 60 minutes a week."),
    )
    is_volunteer = forms.BooleanField(
        label=_("I volunteer to help run the community"),
        required=False,
    )
    bio = forms.CharField(
        label=_("Bio"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on what you work on. Markdown is fine."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    @classmethod
    def initial_for(cls, member: Member) -> dict[str, Any]:
        user = member.user
        return {
            "full_name": user.full_name,
            "timezone": user.timezone,
            "language": user.language,
            "job_title": member.job_title,
            "role_family": member.role_family,
            "team": member.team,
            "brand": member.brand,
            "region": member.region,
            "languages": member.languages,
            "skills": [tag.name for tag in member.skills.all()],
            "interests": [tag.name for tag in member.interests.all()],
            "weekly_minutes": member.weekly_minutes,
            "is_volunteer": member.is_volunteer,
            "bio": member.bio,
            "version": member.version,
        }

    def profile_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class CharterForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Community name"), max_length=120)
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: why the community exists."),
    )
    charter = forms.CharField(
        label=_("Charter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown. Headings, links and lists are fine; HTML is removed."),
    )
    official_status = forms.ChoiceField(label=_("Officialisation"), choices=OfficialStatus.choices)
    sponsor = forms.ModelChoiceField(
        label=_("Executive sponsor"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    weekly_minutes = forms.IntegerField(
        label=_("Time members may dedicate per week (minutes)"),
        min_value=0,
        max_value=MAX_WEEKLY_MINUTES,
    )
    officialised_on = forms.DateField(
        label=_("Officialised on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sponsor = self.fields["sponsor"]
        assert isinstance(sponsor, forms.ModelChoiceField)
        sponsor.queryset = get_user_model().objects.filter(is_active=True).order_by("full_name")
        self.style_widgets()


class PillarForm(BootstrapFormMixin, forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_fr = forms.CharField(label=_("Name (French)"), max_length=120)
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class DirectoryFilterForm(BootstrapFormMixin, forms.Form):
    """The directory's filter bar. Unknown values are ignored rather than shown as errors."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role_family = forms.ChoiceField(
        label=_("Role family"), choices=[("", _("All role families")), *RoleFamily.choices], required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False)
    brand = forms.ChoiceField(label=_("Brand"), choices=[("", _("All brands"))], required=False)
    volunteer = forms.BooleanField(label=_("Volunteers only"), required=False)

    def __init__(self, *args: Any, brands: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        brand = self.fields["brand"]
        assert isinstance(brand, forms.ChoiceField)
        brand.choices = [("", _("All brands")), *((b, b) for b in brands or [])]
        self.style_widgets()
        for name in ("role_family", "region", "brand", "volunteer"):
            # The filter bar listens for `change` on these (see directory.html).
            self.fields[name].widget.attrs["class"] += " directory-filter"
        self.fields["q"].widget.input_type = "search"  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"placeholder": _("Name, skill or interest"), "autocomplete": "off"})

    def filters(self) -> dict[str, Any]:
        """The valid filters, ready for `selectors.directory`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "role_family": data.get("role_family") or "",
            "region": data.get("region") or "",
            "brand": data.get("brand") or "",
            "volunteer": True if data.get("volunteer") else None,
        }

    @property
    def is_filtered(self) -> bool:
        return any(value not in ("", None) for value in self.filters().values())


class PeopleSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search people"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
        self.fields["q"].widget.input_type = "search"  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"placeholder": _("Name or e-mail")})


class InviteForm(BootstrapFormMixin, InvitationForm):
    """The people page's invitation, styled like the other forms so errors show beside the fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
