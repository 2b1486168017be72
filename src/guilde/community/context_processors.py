from typing import Any

from django.http import HttpRequest
from django.utils.functional import lazy

from guilde.community.selectors import community_name

_lazy_community_name = lazy(community_name, str)


def community(request: HttpRequest) -> dict[str, Any]:
    """`community_name` for the layout: read from the cache, at most one query, only when shown."""
    return {"community_name": _lazy_community_name()}
