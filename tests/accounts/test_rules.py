import pytest
from django.contrib.auth.models import AnonymousUser

from guilde.accounts import rules as r
from guilde.accounts.enums import Role
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.MEMBER, {"is_signed_in", "is_community_member"}),
        (Role.PRODUCT_OPS, {"is_signed_in", "is_community_member", "is_product_ops"}),
        (Role.EXECUTIVE, {"is_signed_in", "is_community_member", "is_executive"}),
        (Role.STAKEHOLDER, {"is_signed_in", "is_stakeholder"}),
    ],
)
def test_role_predicates_match_the_role(role, expected):
    user = UserFactory(role=role)
    names = ["is_signed_in", "is_product_ops", "is_executive", "is_stakeholder", "is_community_member"]

    assert {name for name in names if getattr(r, name)(user)} == expected


def test_role_predicates_refuse_anonymous_and_inactive_users():
    inactive = UserFactory(role=Role.PRODUCT_OPS, is_active=False)

    for user in (AnonymousUser(), inactive):
        assert not r.is_signed_in(user)
        assert not r.is_product_ops(user)
        assert not r.is_community_member(user)


def test_superuser_counts_as_product_ops():
    assert r.is_product_ops(UserFactory(role=Role.MEMBER, is_superuser=True))


def test_is_self_only_for_the_same_user():
    user, other = UserFactory(), UserFactory()

    assert r.is_self(user, user)
    assert not r.is_self(user, other)
    assert not r.is_self(user, None)


def test_manage_people_permission_is_product_ops_only():
    assert UserFactory(role=Role.PRODUCT_OPS).has_perm("accounts.manage_people")
    assert not UserFactory(role=Role.EXECUTIVE).has_perm("accounts.manage_people")
