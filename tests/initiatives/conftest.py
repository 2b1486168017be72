import pytest
from django.core.cache import cache

from guilde.accounts.enums import Role
from tests.factories.community import MemberFactory

ROLES = ["member", "volunteer", "product_ops", "executive", "stakeholder"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_stored_plan():
    """Each test computes its own plans (the planner keeps them per process: initiatives.selectors.planning)."""
    from guilde.initiatives import selectors

    selectors.forget_stored_plans()
    yield
    selectors.forget_stored_plans()


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def make_member(role: str, **kwargs):
    """A profile whose user has this role name; "volunteer" is a member with the flag (60 min a week)."""
    if role == "volunteer":
        return MemberFactory(user__role=Role.MEMBER, is_volunteer=True, **kwargs)
    return MemberFactory(user__role=role, **kwargs)


@pytest.fixture
def volunteer(db):
    return make_member("volunteer")


@pytest.fixture
def ops(db):
    return make_member("product_ops")


@pytest.fixture
def member(db):
    return make_member("member")
