"""The REST API: one NinjaAPI at /api/, each domain mounting its own router."""

from ninja import NinjaAPI

from guilde.accounts.api_auth import ApiTokenAuth
from guilde.community.api import router as community_router
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
