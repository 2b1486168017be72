"""The learning API: /api/learning. Same selectors and services as the pages; scores computed on the server."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router

from guilde.learning import selectors, services
from guilde.learning.enums import QuestionKind
from guilde.learning.forms import display_choices
from guilde.learning.models import Attempt, Path, Quiz
from guilde.learning.schemas import (
    AttemptOut,
    ErrorOut,
    PathDetailOut,
    PathOut,
    ProgressOut,
    QuizOut,
    ResultOut,
    SubmitIn,
    ValidationErrorOut,
)

router = Router()


def _field_errors(error: ValidationError) -> dict[str, Any]:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
    return {
        "detail": [
            {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}
            for field, messages in items
            for message in messages
        ]
    }


def _quiz_out(quiz: Quiz) -> dict[str, Any]:
    return {
        "id": quiz.pk,
        "title": quiz.title,
        "description": quiz.description,
        "selection": quiz.selection,
        "question_count": selectors.quiz_question_count(quiz),
        "time_limit_minutes": quiz.time_limit_minutes,
        "max_attempts": quiz.max_attempts,
        "pass_mark": quiz.pass_mark,
        "feedback_mode": quiz.feedback_mode,
        "my_best": getattr(quiz, "my_best", None),
        "my_passed": bool(getattr(quiz, "my_passed", False)),
    }


def _attempt_out(attempt: Attempt) -> dict[str, Any]:
    questions = []
    for answer in attempt.answers.all():
        question = answer.question
        choices = [] if question.kind == QuestionKind.SHORT else display_choices(question, attempt.pk)
        questions.append(
            {
                "id": question.pk,
                "kind": question.kind,
                "text": question.text,
                "choices": [{"id": choice.pk, "text": choice.text} for choice in choices],
            }
        )
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "number": attempt.number,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "questions": questions if attempt.submitted_at is None else [],
    }


def _result_out(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "score": attempt.score or 0.0,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "timed_out": attempt.timed_out,
        "submitted_at": attempt.submitted_at,
        "answers": [
            {
                "question_id": answer.question_id,
                "score": answer.score,
                "correct_choice_ids": [c.pk for c in answer.question.choices.all() if c.is_correct]
                if answer.question.kind != QuestionKind.SHORT
                else [],
                "explanation": answer.question.explanation,
            }
            for answer in attempt.answers.all()
        ],
    }


@router.get("/quizzes", response=list[QuizOut], summary="List quizzes")
def list_quizzes(request: HttpRequest) -> Any:
    """Published quizzes (authors also see drafts), with your best score."""
    return [_quiz_out(quiz) for quiz in selectors.quizzes_for(viewer=request.user)]


@router.get("/quizzes/{quiz_id}", response=QuizOut, summary="One quiz")
def quiz_detail(request: HttpRequest, quiz_id: int) -> Any:
    return _quiz_out(selectors.quiz_for(viewer=request.user, pk=quiz_id))


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={201: AttemptOut, 422: ValidationErrorOut},
    summary="Start (or resume) an attempt",
)
def start_attempt(request: HttpRequest, quiz_id: int) -> Any:
    """Draws the questions; the time limit starts now. Refused (422) once every attempt is used."""
    quiz = selectors.quiz_for(viewer=request.user, pk=quiz_id)
    try:
        attempt = services.start_attempt(actor=request.user, quiz=quiz)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return 422, _field_errors(error)
    return 201, _attempt_out(selectors.attempt_for(viewer=request.user, pk=attempt.pk))


@router.get("/attempts/{attempt_id}", response=AttemptOut, summary="One of my attempts")
def attempt_detail(request: HttpRequest, attempt_id: int) -> Any:
    return _attempt_out(selectors.attempt_for(viewer=request.user, pk=attempt_id))


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: ResultOut, 422: ValidationErrorOut},
    summary="Submit an attempt's answers",
)
def submit_attempt(request: HttpRequest, attempt_id: int, payload: SubmitIn) -> Any:
    """Scores the answers on the server and closes the attempt. After the time limit, answers are ignored."""
    attempt = selectors.attempt_for(viewer=request.user, pk=attempt_id)
    try:
        services.submit_attempt(actor=request.user, attempt=attempt, answers=payload.answers)
    except ValidationError as error:
        return 422, _field_errors(error)
    return 200, _result_out(selectors.attempt_for(viewer=request.user, pk=attempt_id))


@router.get("/attempts/{attempt_id}/result", response={200: ResultOut, 409: ErrorOut}, summary="An attempt's result")
def attempt_result(request: HttpRequest, attempt_id: int) -> Any:
    attempt = selectors.attempt_for(viewer=request.user, pk=attempt_id)
    if attempt.submitted_at is None:
        return 409, {"detail": "The attempt is not submitted yet."}
    return 200, _result_out(attempt)


def _path_out(path: Path) -> dict[str, Any]:
    return {
        "id": path.pk,
        "title": path.title,
        "description": path.description,
        "purpose": path.purpose,
        "audience": path.audience,
        "step_count": path.step_count,  # type: ignore[attr-defined]
        "enrolled": path.my_enrolment_id is not None,  # type: ignore[attr-defined]
        "percent": selectors.progress_percent(path.my_completed_steps, path.step_count),  # type: ignore[attr-defined]
    }


@router.get("/paths", response=list[PathOut], summary="List learning paths")
def list_paths(request: HttpRequest) -> Any:
    return [_path_out(path) for path in selectors.paths_for(viewer=request.user)]


def _path_detail(request: HttpRequest, path_id: int) -> dict[str, Any]:
    path = selectors.path_for(viewer=request.user, pk=path_id)
    enrolment = selectors.enrolment_of(user=request.user, path=path)
    done = selectors.completions_of(enrolment=enrolment) if enrolment else {}
    steps = [
        {
            "id": step.pk,
            "position": step.position,
            "kind": step.kind,
            "title": step.title,
            "url": step.url,
            "quiz_id": step.quiz_id,
            "done": step.pk in done,
        }
        for step in path.steps.all()
    ]
    return {**_path_out(path), "steps": steps}


@router.get("/paths/{path_id}", response=PathDetailOut, summary="One path with its steps and my progress")
def path_detail(request: HttpRequest, path_id: int) -> Any:
    return _path_detail(request, path_id)


@router.post("/paths/{path_id}/enrol", response={200: PathDetailOut, 422: ValidationErrorOut}, summary="Enrol me")
def enrol(request: HttpRequest, path_id: int) -> Any:
    path = selectors.path_for(viewer=request.user, pk=path_id)
    try:
        services.enrol(actor=request.user, path=path)
    except ValidationError as error:
        return 422, _field_errors(error)
    return 200, _path_detail(request, path_id)


@router.get("/progress", response=list[ProgressOut], summary="My progress on my paths")
def my_progress(request: HttpRequest) -> Any:
    return [
        {
            "path_id": enrolment.path_id,
            "path_title": enrolment.path.title,
            "completed_steps": enrolment.completed_steps,
            "step_count": enrolment.step_count,  # type: ignore[attr-defined]
            "percent": selectors.progress_percent(enrolment.completed_steps, enrolment.step_count),  # type: ignore[attr-defined]
            "due_on": enrolment.due_on,
            "completed_at": enrolment.completed_at,
            "buddy": enrolment.buddy.full_name if enrolment.buddy else None,
        }
        for enrolment in selectors.my_enrolments(viewer=request.user)
    ]
