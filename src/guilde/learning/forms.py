"""Validation only: the services decide and score."""

import random
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from guilde.accounts.enums import Role
from guilde.community.enums import RoleFamily
from guilde.community.models import Pillar, Tag
from guilde.learning import selectors
from guilde.learning.enums import QuestionKind, QuestionStatus, Selection
from guilde.learning.models import Path, Question, Quiz, Step
from guilde.learning.services import PATH_FIELDS, QUIZ_FIELDS, STEP_FIELDS
from guilde.rituals import selectors as rituals_selectors

ANSWER_LINES_HELP = _(
    "One answer a line. Single and multiple choice: start each correct answer with *. "
    "Short answer: every accepted answer. Ordering: the items in the correct order."
)


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap's classes on every widget that has none yet."""
    for field in form.fields.values():
        if isinstance(field.widget, (forms.CheckboxInput, forms.RadioSelect | forms.CheckboxSelectMultiple)):
            field.widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select")
        else:
            field.widget.attrs.setdefault("class", "form-control")


def _answer_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    text_en = forms.CharField(label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_fr = forms.CharField(label=_("Question (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    choices_en = forms.CharField(
        label=_("Answers (English)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=ANSWER_LINES_HELP,
    )
    choices_fr = forms.CharField(
        label=_("Answers (French)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("The same answers, in the same order; marks of correct answers are taken from English."),
    )
    true_false_answer = forms.TypedChoiceField(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        required=False,
        help_text=_("For true or false questions only."),
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown after answering: why the right answer is right."),
    )
    explanation_fr = forms.CharField(
        label=_("Explanation (French)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    pillar = forms.ModelChoiceField(label=_("Pillar"), queryset=Pillar.objects.none(), required=False)
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Tag.objects.none(), required=False)
    link_url = forms.CharField(
        label=_("To learn more: link"),
        max_length=500,
        required=False,
        help_text=_("A playbook article or a session replay."),
    )
    link_title = forms.CharField(label=_("To learn more: title"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = Pillar.objects.filter(is_archived=False)  # type: ignore[attr-defined]
        self.fields["skill"].queryset = Tag.objects.order_by("name")  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        choices = list(question.choices.all())
        marked = question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        true_choice = next((c for c in choices if c.is_correct), None)
        return {
            "kind": question.kind,
            "text_en": question.text_en,
            "text_fr": question.text_fr,
            "explanation_en": question.explanation_en,
            "explanation_fr": question.explanation_fr,
            "pillar": question.pillar_id,
            "skill": question.skill_id,
            "link_url": question.link_url,
            "link_title": question.link_title,
            "version": question.version,
            "choices_en": "\n".join(("*" if marked and c.is_correct else "") + c.text_en for c in choices),
            "choices_fr": "\n".join(c.text_fr for c in choices),
            "true_false_answer": "true" if true_choice is not None and true_choice.position == 0 else "false",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == QuestionKind.TRUE_FALSE:
            is_true = data.get("true_false_answer", "true") != "false"
            data["choices"] = [
                {"text_en": "True", "text_fr": "Vrai", "is_correct": is_true},
                {"text_en": "False", "text_fr": "Faux", "is_correct": not is_true},
            ]
            return data
        english = _answer_lines(data.get("choices_en", ""))
        french = _answer_lines(data.get("choices_fr", ""))
        if french and len(french) != len(english):
            self.add_error("choices_fr", _("Give as many French answers as English ones, in the same order."))
        choices = []
        for index, line in enumerate(english):
            correct = line.startswith("*")
            text_fr = french[index] if index < len(french) else ""
            choices.append(
                {"text_en": line.lstrip("*").strip(), "text_fr": text_fr.lstrip("*").strip(), "is_correct": correct}
            )
        data["choices"] = choices
        return data

    def question_data(self) -> dict[str, Any]:
        keys = ("kind", "text_en", "text_fr", "explanation_en", "explanation_fr", "pillar", "skill")
        data = {key: self.cleaned_data[key] for key in keys}
        data.update(link_url=self.cleaned_data["link_url"], link_title=self.cleaned_data["link_title"])
        return data


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *QuestionStatus.choices], required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("Any type")), *QuestionKind.choices], required=False)
    skill = forms.ModelChoiceField(
        label=_("Skill"), queryset=Tag.objects.none(), required=False, empty_label=_("Any skill")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Tag.objects.filter(questions__isnull=False).distinct().order_by("name")  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update(
            {"class": "form-control", "type": "search", "placeholder": _("Words in the question")}
        )
        for name in ("status", "kind", "skill"):
            self.fields[name].widget.attrs["class"] = "form-select question-filter"

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        skill = self.cleaned_data.get("skill")
        return {
            "q": self.cleaned_data.get("q", ""),
            "status": self.cleaned_data.get("status", ""),
            "kind": self.cleaned_data.get("kind", ""),
            "skill": skill.pk if skill else None,
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", _("Publish")), ("return", _("Send back to the author"))])
    note = forms.CharField(
        label=_("Note to the author"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", _("Tell the author what to change."))
        return data


class QuizForm(forms.ModelForm):
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"),
        queryset=Question.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published questions only; they are asked in this order."),
    )

    class Meta:
        model = Quiz
        fields = list(QUIZ_FIELDS)
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 2}),
            "description_fr": forms.Textarea(attrs={"rows": 2}),
            "selection": forms.RadioSelect,
            "feedback_mode": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = (  # type: ignore[attr-defined]
            Question.objects.filter(status=QuestionStatus.PUBLISHED)
            .select_related("skill")
            .order_by("skill__name", "pk")
        )
        self.fields["draw_skill"].queryset = Tag.objects.filter(questions__isnull=False).distinct()  # type: ignore[attr-defined]
        self.fields["pass_mark"].validators.append(_percent)
        if self.instance.pk:
            self.initial["questions"] = [qq.question_id for qq in self.instance.quiz_questions.all()]
        bootstrap(self)

    def quiz_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def ordered_questions(self) -> list[Question]:
        return list(self.cleaned_data.get("questions") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("selection") == Selection.RANDOM and not (data.get("draw_skill") or data.get("draw_pillar")):
            self.add_error("draw_skill", _("Choose a skill or a pillar to draw questions from."))
        return data


def _percent(value: int) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValidationError(_("A pass mark is between 0 and 100 %."))


def display_choices(question: Question, seed: int) -> list[Any]:
    """The answers as shown: ordering items shuffled (never in the correct order), others as written."""
    choices = list(question.choices.all())
    if question.kind != QuestionKind.ORDERING or len(choices) < 2:
        return choices
    shuffled = choices[:]
    random.Random(seed * 7919 + question.pk).shuffle(shuffled)
    if [c.pk for c in shuffled] == [c.pk for c in choices]:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


class AnswerForm(forms.Form):
    """The answer to one question, shaped by its type; `response()` is what the service scores."""

    def __init__(self, *args: Any, question: Question, seed: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.items = display_choices(question, seed)
        label = question.text
        if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
            self.fields["response"] = forms.ChoiceField(
                label=label,
                choices=[(c.pk, c.text if question.kind != QuestionKind.TRUE_FALSE else _tf(c)) for c in self.items],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose an answer.")},
            )
        elif question.kind == QuestionKind.MULTIPLE:
            self.fields["response"] = forms.MultipleChoiceField(
                label=label,
                choices=[(c.pk, c.text) for c in self.items],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose at least one answer.")},
                help_text=_("Several answers may be right. A wrong pick cancels a right one."),
            )
        elif question.kind == QuestionKind.SHORT:
            self.fields["response"] = forms.CharField(
                label=label,
                max_length=300,
                widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
                error_messages={"required": _("Type an answer.")},
            )
        else:
            positions = [(n, str(n)) for n in range(1, len(self.items) + 1)]
            for index, item in enumerate(self.items, start=1):
                self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                    label=item.text,
                    choices=positions,
                    coerce=int,
                    initial=index,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
                )

    @property
    def ordering_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("item_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.question.kind == QuestionKind.ORDERING:
            ranks = {int(name.removeprefix("item_")): data.get(name) for name in self.fields}
            if None not in ranks.values() and len(set(ranks.values())) != len(ranks):
                raise ValidationError(_("Give each item a different position."))
        return data

    def response(self) -> Any:
        if self.question.kind == QuestionKind.ORDERING:
            ranks = {int(name.removeprefix("item_")): self.cleaned_data[name] for name in self.fields}
            return [pk for pk, _rank in sorted(ranks.items(), key=lambda item: item[1])]
        return self.cleaned_data["response"]


def _tf(choice: Any) -> Any:
    return _("True") if choice.position == 0 else _("False")


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        starts = timezone.localtime(obj.starts_at)
        return f"{obj} · {date_format(starts, 'SHORT_DATETIME_FORMAT')}"


class LiveOpenForm(forms.Form):
    session = SessionChoiceField(
        label=_("Session"),
        queryset=Quiz.objects.none(),
        required=False,
        empty_label=_("No Guilde session"),
        help_text=_("An upcoming session this quiz is played in, if any."),
    )
    session_title = forms.CharField(
        label=_("Or a session held elsewhere"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    session_url = forms.CharField(
        label=_("Its link"), max_length=500, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    speed_bonus = forms.BooleanField(
        label=_("Speed bonus"),
        required=False,
        help_text=_("Faster right answers earn up to 50 extra points. Off by default: many players prefer it off."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = rituals_selectors.upcoming_sessions(viewer=viewer, limit=None).filter(status="scheduled")
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].widget.attrs["class"] = "form-select"


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=6,
        min_length=6,
        error_messages={"min_length": _("The code has 6 characters."), "required": _("Type the code on the screen.")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg text-uppercase font-monospace",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "inputmode": "text",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class BuddyForm(forms.Form):
    buddy = forms.ModelChoiceField(
        label=_("Buddy"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buddy"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(is_active=True).exclude(role=Role.STAKEHOLDER).order_by("full_name")
        )


class PathForm(forms.ModelForm):
    auto_roles = forms.MultipleChoiceField(
        label=_("Enrol these roles at join"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    auto_role_families = forms.MultipleChoiceField(
        label=_("Enrol these role families at join"),
        choices=RoleFamily.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With no role and no role family ticked, the audience decides who is enrolled."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Path
        fields = list(PATH_FIELDS)
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        bootstrap(self)

    def path_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PATH_FIELDS}


class StepForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Step
        fields = list(STEP_FIELDS)
        widgets = {
            "kind": forms.RadioSelect,
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_fr": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, path_version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["version"] = path_version
        self.fields["quiz"].queryset = Quiz.objects.filter(is_published=True).order_by("title_en")  # type: ignore[attr-defined]
        self.fields["quiz"].help_text = _("For a quiz step: passing it completes the step.")
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(is_active=True).exclude(role=Role.STAKEHOLDER).order_by("full_name")
        )
        bootstrap(self)

    def step_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STEP_FIELDS}


class EnrolPeopleForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to pick several."),
    )
    team = forms.ChoiceField(label=_("A whole team"), required=False)
    role_family = forms.ChoiceField(
        label=_("A whole role family"), choices=[("", "—"), *RoleFamily.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = get_user_model().objects.filter(is_active=True).order_by("full_name")  # type: ignore[attr-defined]
        self.fields["team"].choices = [("", "—"), *((team, team) for team in selectors.teams())]  # type: ignore[attr-defined]
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("users") or data.get("team") or data.get("role_family")):
            raise ValidationError(_("Pick people, a team or a role family."))
        return data
