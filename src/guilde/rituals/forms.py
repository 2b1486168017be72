import datetime
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.accounts.models import TIMEZONE_CHOICES
from guilde.community.enums import Language
from guilde.rituals import recurrence
from guilde.rituals.enums import RsvpStatus, TopicFormat, TopicStatus, Visibility, Weekday
from guilde.rituals.models import Ritual


class BootstrapMixin:
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


def _people() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("full_name")


class RitualForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int, initial=Weekday.TUESDAY)
    interval_weeks = forms.IntegerField(label=_("Every (weeks)"), min_value=1, max_value=12, initial=2)
    local_time = forms.TimeField(
        label=_("Time"), initial=datetime.time(12, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    timezone = forms.ChoiceField(
        label=_("Reference time zone"),
        choices=TIMEZONE_CHOICES,
        initial="Europe/Paris",
        help_text=_("The session stays at this wall-clock time here, across daylight-saving changes."),
    )
    starts_on = forms.DateField(label=_("First session on or after"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=480, initial=60)
    topic_slots = forms.IntegerField(label=_("Topics per session"), min_value=1, max_value=6, initial=2)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        help_text=_("Public sessions appear on the public events page, without the video link."),
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosts"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    is_active = forms.BooleanField(label=_("Active (new sessions keep being planned)"), required=False, initial=True)
    confirm_odd_hour = forms.BooleanField(label=_("Yes, this unusual hour is intended"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hosts"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["starts_on"].initial = timezone.localdate()
        self.style_widgets()

    @classmethod
    def initial_for(cls, ritual: Ritual) -> dict[str, Any]:
        data = {name: getattr(ritual, name) for name in cls.base_fields if hasattr(ritual, name) and name != "hosts"}
        data["hosts"] = [host.pk for host in ritual.hosts.all()]
        return data

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        local_time = data.get("local_time")
        if local_time and recurrence.is_odd_hour(local_time) and not data.get("confirm_odd_hour"):
            self.add_error(
                "local_time",
                _("%(time)s in %(zone)s is outside usual hours. Tick the confirmation box if that is intended.")
                % {"time": local_time.strftime("%H:%M"), "zone": data.get("timezone", "")},
            )
        return data

    def ritual_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["allow_odd_hour"] = data.pop("confirm_odd_hour", False)
        return data


class SessionMoveForm(BootstrapMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start (your time zone)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=480)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_starts_at(self) -> datetime.datetime:
        value = self.cleaned_data["starts_at"]
        if value < timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return value


class SessionRecapForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    replay_url = forms.URLField(label=_("Replay link"), required=False, assume_scheme="https")
    resources = forms.CharField(
        label=_("Slides and resources"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Markdown: one link per line."),
    )
    notes = forms.CharField(
        label=_("Notes and key takeaways"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Markdown."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class CancelForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (sent to those going)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class TopicForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What people will learn, and for whom. Markdown."),
    )
    pillar: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Pillar"), queryset=None, required=False)  # type: ignore[arg-type]
    format = forms.ChoiceField(label=_("Format"), choices=TopicFormat.choices, initial=TopicFormat.TALK)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=240, initial=30)
    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Leave empty to present it yourself."),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=["en"],
    )

    def __init__(self, *args: Any, pillars: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = pillars  # type: ignore[attr-defined]
        self.fields["speakers"].queryset = _people()  # type: ignore[attr-defined]
        self.style_widgets()


class TopicFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Open (proposed or accepted)")), *TopicStatus.choices]
    )
    pillar: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[arg-type]
        label=_("Pillar"), queryset=None, required=False, empty_label=_("All pillars")
    )

    def __init__(self, *args: Any, pillars: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = pillars  # type: ignore[attr-defined]
        self.style_widgets()

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data["q"], "status": data["status"], "pillar": data["pillar"].pk if data["pillar"] else None}

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())


class DeclineForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class CommentForm(BootstrapMixin, forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class CommentEditForm(CommentForm):
    """The comment's new text and the version it was based on, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RsvpForm(forms.Form):
    status = forms.ChoiceField(choices=RsvpStatus.choices)


class RatingForm(BootstrapMixin, forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was it?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
        help_text=_("1 = not useful, 5 = very useful."),
    )
    will_apply = forms.BooleanField(label=_("I will apply something I learnt"), required=False)
    comment = forms.CharField(
        label=_("Comment for the speakers (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class SlotFinderForm(BootstrapMixin, forms.Form):
    opens = forms.IntegerField(label=_("Working day starts at"), min_value=0, max_value=23, initial=9)
    closes = forms.IntegerField(label=_("Working day ends at"), min_value=1, max_value=24, initial=18)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, max_value=240, initial=60)
    ritual = forms.ModelChoiceField(
        label=_("People"),
        queryset=Ritual.objects.none(),
        required=False,
        empty_label=_("Every community member"),
        help_text=_("Or only those who answered a ritual's sessions."),
    )

    def __init__(self, *args: Any, rituals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rituals is not None:
            self.fields["ritual"].queryset = rituals  # type: ignore[attr-defined]
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens") is not None and data.get("closes") is not None and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The working day must end after it starts."))
        return data


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS; bots fill every field. Named like a field people would expect.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class SubscribeForm(BootstrapMixin, HoneypotMixin):
    email = forms.EmailField(label=_("Your e-mail"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ProposeThemeForm(BootstrapMixin, HoneypotMixin):
    title = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("What would you like to hear about?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    contact_email = forms.EmailField(label=_("Your e-mail"), help_text=_("Never shown publicly."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ContactForm(BootstrapMixin, HoneypotMixin):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail"), help_text=_("Never shown publicly."))
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


def zone_label(zone: str) -> str:
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zone
    return zone.split("/")[-1].replace("_", " ")
