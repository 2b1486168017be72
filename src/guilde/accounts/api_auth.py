from django.http import HttpRequest
from ninja.security import HttpBearer

from guilde.accounts.selectors import user_for_api_token


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer gld_…` with a personal token; the request then acts as its owner."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = user_for_api_token(secret=token)
        if user is not None:
            request.user = user
        return user
