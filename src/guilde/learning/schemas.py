"""The learning API's explicit input and output shapes. Answer keys never leave the server before submission."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class QuizOut(Schema):
    id: int
    title: str
    description: str
    selection: str
    question_count: int
    time_limit_minutes: int | None
    max_attempts: int | None
    pass_mark: int
    feedback_mode: str
    my_best: float | None = None
    my_passed: bool = False


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    choices: list[ChoiceOut] = Field(
        description="Answers to choose from; for ordering, the items to order (shuffled); empty for short answers."
    )


class AttemptOut(Schema):
    id: int
    quiz_id: int
    number: int | None
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    questions: list[QuestionOut] = []


class SubmitIn(Schema):
    answers: dict[int, Any] = Field(
        default_factory=dict,
        description=(
            "Question id → response: a choice id (single, true/false), a list of choice ids "
            "(multiple; ordering, in order) or a text (short answer)."
        ),
    )


class AnswerResultOut(Schema):
    question_id: int
    score: float
    correct_choice_ids: list[int]
    explanation: str


class ResultOut(Schema):
    id: int
    quiz_id: int
    score: float = Field(description="Mean item score, 0 to 1")
    percent: int
    passed: bool
    timed_out: bool
    submitted_at: datetime | None
    answers: list[AnswerResultOut]


class StepOut(Schema):
    id: int
    position: int
    kind: str
    title: str
    url: str
    quiz_id: int | None
    done: bool


class PathOut(Schema):
    id: int
    title: str
    description: str
    purpose: str
    audience: str
    step_count: int
    enrolled: bool
    percent: int


class PathDetailOut(PathOut):
    steps: list[StepOut]


class ProgressOut(Schema):
    path_id: int
    path_title: str
    completed_steps: int
    step_count: int
    percent: int
    due_on: date | None
    completed_at: datetime | None
    buddy: str | None


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]
