import pytest
from django.core.cache import cache

from guilde.accounts.enums import Role
from tests.factories.community import MemberFactory

ROLES = ["member", "volunteer", "product_ops", "executive", "stakeholder"]


@pytest.fixture(autouse=True)
def _rituals_environment(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.GUILDE_BASE_URL = "https://guilde.example.com"
    cache.clear()
    yield
    cache.clear()


def make_user(role: str, **kwargs):
    """A user with a community profile; "volunteer" is a member with the flag."""
    if role == "volunteer":
        return MemberFactory(user__role=Role.MEMBER, is_volunteer=True, **kwargs).user
    return MemberFactory(user__role=role, **kwargs).user


@pytest.fixture
def member(db):
    return make_user("member")


@pytest.fixture
def ops(db):
    return make_user("product_ops")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def ops_client(client, ops):
    client.force_login(ops)
    return client
