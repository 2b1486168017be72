from typing import Any

from django.conf import settings
from django.http import HttpRequest

from guilde.core.navigation import modules_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the modules this user may open."""
    return {
        "nav_modules": modules_for(request.user, request.path),
        "LANGUAGES_AVAILABLE": settings.LANGUAGES,
    }
