"""Shared view helpers: the learning flavour of core's `allowed`, and a question's expected answer."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from guilde.core.viewhelpers import allowed as core_allowed
from guilde.learning.enums import QuestionKind
from guilde.learning.models import Question

View = Callable[..., HttpResponse]


def allowed(perm: str) -> Callable[[View], View]:
    """Core's `allowed`, except that a forbidden page or object answers 404, exactly like a missing one.

    Anonymous visitors still go to the login page; a PermissionDenied from a service is a 404 too.
    """

    def decorator(view: View) -> View:
        guarded = core_allowed(perm)(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return guarded(request, *args, **kwargs)
            except PermissionDenied:
                raise Http404 from None

        return wrapper

    return decorator


def _expected(question: Question) -> list[str]:
    choices = list(question.choices.all())
    if question.kind == QuestionKind.TRUE_FALSE:
        return [_("True") if c.position == 0 else _("False") for c in choices if c.is_correct]
    if question.kind == QuestionKind.SHORT:
        return [choices[0].text] if choices else []
    return [c.text for c in choices if c.is_correct]
