import pytest

from guilde.accounts.enums import Role
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory

ROLES = ["member", "volunteer", "product_ops", "executive", "stakeholder"]


def make_user(role: str, **member_kwargs):
    """A user with a community profile; "volunteer" is a member with the flag."""
    if role == "volunteer":
        return MemberFactory(user__role=Role.MEMBER, is_volunteer=True, **member_kwargs).user
    return MemberFactory(user__role=role, **member_kwargs).user


@pytest.fixture
def member(db):
    return make_user("member")


@pytest.fixture
def volunteer(db):
    return make_user("volunteer")


@pytest.fixture
def ops(db):
    return make_user("product_ops")


@pytest.fixture
def stakeholder(db):
    return make_user("stakeholder")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def ops_client(client, ops):
    client.force_login(ops)
    return client


__all__ = ["ROLES", "UserFactory", "make_user"]
