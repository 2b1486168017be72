"""Small helpers every domain's views share: permission decorator, htmx detection, service errors."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from rules.contrib.views import permission_required

View = TypeVar("View", bound=Callable[..., Any])


def allowed(perm: str, fn: Callable[..., Any] | None = None) -> Callable[[View], View]:
    """Anonymous visitors go to the login page; signed-in people without the permission get 403.

    `fn` picks the object for object-level rules, as in rules' `permission_required`.
    """

    def decorator(view: View) -> View:
        return login_required(permission_required(perm, fn=fn, raise_exception=True)(view))  # type: ignore[return-value]

    return decorator


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for part of the page (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def add_service_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError shown under the matching fields, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)
