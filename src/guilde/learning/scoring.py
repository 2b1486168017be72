"""Scoring rules, per question type. Pure functions: the server is the only one that scores.

- single choice, true/false: 1 when the one correct answer is chosen, else 0.
- multiple choice, partial credit: (correct chosen - wrong chosen) / number of correct answers,
  floored at 0. Choosing everything therefore scores 0, and one wrong pick cancels one right one.
- short answer: 1 when the normalised answer equals one of the accepted answers (in English or
  French); normalised means case folded, accents removed, punctuation at the ends and repeated
  spaces dropped.
- ordering, partial credit: the share of items placed at their correct position.

Every response is validated first: a choice that is not the question's raises ValidationError.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guilde.learning.enums import QuestionKind

SHORT_ANSWER_MAX_LENGTH = 300


@dataclass(frozen=True)
class ChoiceData:
    id: int
    is_correct: bool
    position: int = 0
    text_en: str = ""
    text_fr: str = ""


#: Typographic apostrophes (what phones and French keyboards type) read as the plain one.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4`", "'"))


def normalise(text: str) -> str:
    """Case folded, accents stripped, apostrophes alike, spaces collapsed, end punctuation dropped:
    "  Élan  vital. " → "elan vital", "l\u2019arbre" → "l'arbre"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold().translate(_APOSTROPHES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_accents.split()).strip(" .!?;:,'\"")


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError({"response": _("This answer is not one of the choices.")})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"response": _("This answer is not one of the choices.")}) from None


def clean_response(kind: str, choices: Sequence[ChoiceData], response: Any) -> Any:
    """The response in its canonical stored form, or ValidationError when it cannot be an answer."""
    ids = {choice.id for choice in choices}
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        if isinstance(response, list) and len(response) == 1:
            response = response[0]
        if response in (None, ""):
            raise ValidationError({"response": _("Choose an answer.")})
        choice_id = _as_int(response)
        if choice_id not in ids:
            raise ValidationError({"response": _("This answer is not one of the choices.")})
        return [choice_id]
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(response, list | tuple):
            response = [] if response in (None, "") else [response]
        chosen = sorted({_as_int(value) for value in response})
        if not chosen:
            raise ValidationError({"response": _("Choose at least one answer.")})
        if not set(chosen) <= ids:
            raise ValidationError({"response": _("This answer is not one of the choices.")})
        return chosen
    if kind == QuestionKind.SHORT:
        text = " ".join(str(response or "").split())
        if not text:
            raise ValidationError({"response": _("Type an answer.")})
        if len(text) > SHORT_ANSWER_MAX_LENGTH:
            raise ValidationError({"response": _("Keep the answer under 300 characters.")})
        return text
    if kind == QuestionKind.ORDERING:
        if not isinstance(response, list | tuple):
            raise ValidationError({"response": _("Put every item in order.")})
        order = [_as_int(value) for value in response]
        if len(order) != len(ids) or set(order) != ids:
            raise ValidationError({"response": _("Put every item in order, each exactly once.")})
        return order
    raise ValidationError({"response": _("This question cannot be answered.")})


def score_response(kind: str, choices: Sequence[ChoiceData], response: Any) -> float:
    """The item score between 0 and 1 for an already cleaned response."""
    if response is None:
        return 0.0
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        correct = {choice.id for choice in choices if choice.is_correct}
        return 1.0 if response and response[0] in correct else 0.0
    if kind == QuestionKind.MULTIPLE:
        correct = {choice.id for choice in choices if choice.is_correct}
        if not correct:
            return 0.0
        chosen = set(response)
        return max(0.0, (len(chosen & correct) - len(chosen - correct)) / len(correct))
    if kind == QuestionKind.SHORT:
        accepted = {normalise(text) for choice in choices for text in (choice.text_en, choice.text_fr) if text}
        return 1.0 if normalise(response) in accepted else 0.0
    if kind == QuestionKind.ORDERING:
        expected = [choice.id for choice in sorted(choices, key=lambda c: (c.position, c.id))]
        if not expected:
            return 0.0
        return sum(1 for given, wanted in zip(response, expected, strict=False) if given == wanted) / len(expected)
    return 0.0
