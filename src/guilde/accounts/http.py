"""Request types for views behind `login_required`, so `request.user` is typed as a `User`."""

from django.http import HttpRequest

from guilde.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # type: ignore[assignment]
