"""Helpers shared by the feedback views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from rules.contrib.views import permission_required

from guilde.accounts.models import User
from guilde.feedback.services import ConcurrentEditError

View = Callable[..., HttpResponse]


def allowed(perm: str, fn: Callable[..., Any] | None = None) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; signed-in people without the permission get 403."""

    def decorator(view: View) -> View:
        return login_required(permission_required(perm, fn=fn, raise_exception=True)(view))

    return decorator


def is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def actor(request: HttpRequest) -> User:
    """The signed-in user; the views' decorators have already turned anonymous visitors away."""
    return cast(User, request.user)


def is_conflict(error: ValidationError) -> bool:
    """Someone else saved the row first (optimistic concurrency)."""
    return isinstance(error, ConcurrentEditError) or getattr(error, "code", None) == "conflict"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's field errors under the form's fields, the others at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def conflict_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(str(m) for e in error.error_dict.get("version", []) for m in e.messages)
    return " ".join(error.messages)
