"""Validation only: the services decide."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from guilde.initiatives import planner, selectors
from guilde.initiatives.enums import ChallengeStatus, InitiativeKind, InitiativeStatus
from guilde.initiatives.models import Challenge, Initiative


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render `{{ field }}` as is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = " ".join(filter(None, [widget.attrs.get("class"), css]))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TagListField(forms.CharField):
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part.strip() for part in text.split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class ChallengeForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=160, help_text=_("The problem in a few words."))
    pillar: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Pillar"), queryset=None, empty_label=None)
    affected = forms.CharField(
        label=_("Who is affected"), max_length=200, required=False, help_text=_("For example: new PMs in the US teams.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. What hurts, how often, what you tried."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = selectors.pillars()  # type: ignore[attr-defined]


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class MergeForm(StyledForm):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Challenge.objects.none())
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = selectors.open_challenges(exclude=challenge.pk).order_by("title")  # type: ignore[attr-defined]


class CommentForm(StyledForm):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class CommentEditForm(CommentForm):
    """The comment's new text and the version it was based on, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InitiativeForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=160)
    pillar: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Pillar"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=InitiativeKind.choices)
    goal = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. What this initiative changes for the community."),
    )
    expected_outcome = forms.CharField(
        label=_("Expected outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How we will know it worked, e.g. 20 PMs took the quiz."),
    )
    effort_hours = forms.IntegerField(
        label=_("Effort estimate (person-hours)"),
        min_value=1,
        max_value=2000,
        help_text=_("All the hours it takes, all volunteers together. Tactical actions take 5 to 20."),
    )
    value = forms.TypedChoiceField(
        label=_("Value"),
        coerce=int,
        initial=3,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("1 (nice to have) to 5 (the community needs it now)."),
    )
    rank = forms.IntegerField(
        label=_("Priority rank"), min_value=1, max_value=10000, initial=100, help_text=_("1 comes first.")
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=get_user_model().objects.none(), required=False)
    skills = TagListField(
        label=_("Skills and interests that help"),
        required=False,
        help_text=_("Comma-separated, e.g. Facilitation, Quizzes. The planner suggests volunteers who have them."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, can_rank: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = selectors.pillars()  # type: ignore[attr-defined]
        users = get_user_model().objects.filter(is_active=True).exclude(role="stakeholder").order_by("full_name")
        self.fields["lead"].queryset = users  # type: ignore[attr-defined]
        self.fields["lead"].label_from_instance = lambda u: u.full_name or u.email  # type: ignore[attr-defined]
        if not can_rank:
            del self.fields["rank"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, target = data.get("start_date"), data.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", _("The target date cannot be before the start."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    @staticmethod
    def initial_for(initiative: Initiative) -> dict[str, Any]:
        names = [
            "title",
            "pillar",
            "kind",
            "goal",
            "expected_outcome",
            "effort_hours",
            "value",
            "rank",
            "start_date",
            "target_date",
            "lead",
            "version",
        ]
        initial = {name: getattr(initiative, name) for name in names}
        initial["skills"] = [tag.name for tag in initiative.skills.all()]
        return initial


class MoveForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=InitiativeStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to pause, deprioritise or abandon."),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("At delivery: what happened, measured against the expected outcome."),
    )


class PriorityForm(StyledForm):
    """Product ops' "move up / move down" in the plan's priority order."""

    direction = forms.ChoiceField(choices=[("up", _("Move up")), ("down", _("Move down"))])
    version = forms.IntegerField(widget=forms.HiddenInput)


class PledgeForm(StyledForm):
    minutes_per_week = forms.IntegerField(
        label=_("Minutes a week"),
        min_value=1,
        max_value=600,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 15}),
        help_text=_("60 is one hour."),
    )
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args: Any, initiative: Initiative | None = None, **kwargs: Any) -> None:
        day = selectors.today()
        end = initiative.target_date if initiative and initiative.target_date and initiative.target_date > day else None
        kwargs.setdefault("initial", {"start": day, "end": end or day + timedelta(weeks=8), "minutes_per_week": 60})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class CheckInForm(StyledForm):
    note = forms.CharField(label=_("What moved forward"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    minutes_spent = forms.IntegerField(
        label=_("Time spent (minutes)"), min_value=0, max_value=600, widget=forms.NumberInput(attrs={"step": 15})
    )
    week = forms.DateField(label=_("Week of"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"week": planner.week_start(selectors.today())})
        super().__init__(*args, **kwargs)


class AbsenceForm(StyledForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=120, required=False, help_text=_("Optional, e.g. holidays."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class ChallengeFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *ChallengeStatus.choices])
    pillar: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Pillar"), required=False, queryset=None, empty_label=_("Any")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = selectors.pillars()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"q": data["q"], "status": data["status"], "pillar": data["pillar"].pk if data["pillar"] else None}

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())


class InitiativeFilterForm(ChallengeFilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *InitiativeStatus.choices])
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def filters(self) -> dict[str, Any]:
        base = super().filters()
        if base:
            base["mine"] = self.cleaned_data["mine"]
        return base


class WhatIfForm(StyledForm):
    """The planner's "what if": nothing here is saved."""

    initiative = forms.ModelChoiceField(label=_("Initiative"), queryset=Initiative.objects.none(), required=False)
    add_minutes = forms.IntegerField(
        label=_("A volunteer joins with (minutes a week)"),
        min_value=0,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    estimate = forms.IntegerField(label=_("New effort estimate (hours)"), min_value=1, max_value=2000, required=False)

    def __init__(self, *args: Any, initiatives: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiative"]
        field.queryset = Initiative.objects.filter(pk__in=[i.pk for i in initiatives])  # type: ignore[attr-defined]
        field.choices = [("", _("Choose an initiative")), *((i.pk, i.title) for i in initiatives)]  # type: ignore[attr-defined]

    def what_if(self) -> planner.WhatIf | None:
        if not self.is_bound or not self.is_valid() or self.cleaned_data.get("initiative") is None:
            return None
        what_if = planner.WhatIf(
            initiative_id=self.cleaned_data["initiative"].pk,
            add_minutes_per_week=self.cleaned_data.get("add_minutes") or 0,
            effort_hours=self.cleaned_data.get("estimate"),
        )
        return None if what_if.is_empty else what_if
