import pytest
from django.core.cache import cache

from guilde.accounts.enums import Role
from tests.factories.community import MemberFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    # The community name is cached between requests; tests must not see each other's.
    cache.clear()
    yield
    cache.clear()


ROLES = ["member", "volunteer", "product_ops", "executive", "stakeholder"]


def make_member(role: str, **kwargs):
    """A member whose user has the given role name; "volunteer" is a member with the flag."""
    if role == "volunteer":
        return MemberFactory(user__role=Role.MEMBER, is_volunteer=True, **kwargs)
    return MemberFactory(user__role=role, **kwargs)


@pytest.fixture
def member(db):
    return make_member("member")


@pytest.fixture
def ops(db):
    return make_member("product_ops")


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def ops_client(client, ops):
    client.force_login(ops.user)
    return client
