"""What the feedback views share beyond core.viewhelpers: the acting user and the error page of a
versioned form (409 on a conflict, 400 with the service's field errors otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guilde.accounts.models import User
from guilde.core.concurrency import ConcurrentEditError
from guilde.core.viewhelpers import add_service_errors, error_text


def actor(request: HttpRequest) -> User:
    """The signed-in user; the views' decorators have already turned anonymous visitors away."""
    return cast(User, request.user)


def render_service_error(
    request: HttpRequest,
    template: str,
    context_for: Callable[..., dict[str, Any]],
    error: ValidationError,
    form_name: str,
    form: Any,
) -> HttpResponse:
    """Re-renders a page after a refused change. `context_for(**extra)` builds the page's context
    from the row as it is now; a conflict shows whose change won, other errors go under the form."""
    if isinstance(error, ConcurrentEditError):
        return render(request, template, context_for(conflict=error_text(error)), status=409)
    add_service_errors(form, error)
    return render(request, template, context_for(**{form_name: form}), status=400)
