from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from guilde.notifications.selectors import unread_count

_CACHE_ATTRIBUTE = "_guilde_unread_notifications"


def unread(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications` for the top bar's bell: the signed-in user's unread count.

    A callable, which templates call on first use: a page that never shows the bell runs no
    query. The count is kept on the request, so a page rendering several templates counts once.
    """

    def count() -> int:
        if not hasattr(request, _CACHE_ATTRIBUTE):
            setattr(request, _CACHE_ATTRIBUTE, unread_count(user=request.user))  # type: ignore[arg-type]
        return int(getattr(request, _CACHE_ATTRIBUTE))

    counter: Callable[[], int] = count
    return {"unread_notifications": counter}
