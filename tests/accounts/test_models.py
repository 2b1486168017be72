import pytest

from guilde.accounts.enums import Role
from guilde.accounts.models import User
from tests.factories.accounts import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_lowercases_the_email():
    user = User.objects.create_user("Ada.Lovelace@Example.COM", "pw-123456789", full_name="Ada Lovelace")

    assert user.email == "ada.lovelace@example.com"
    assert user.check_password("pw-123456789")
    assert user.role == Role.MEMBER
    assert not user.is_staff


def test_create_user_without_password_has_unusable_password():
    user = User.objects.create_user("sso@example.com", full_name="Single Sign")

    assert not user.has_usable_password()


def test_create_user_without_email_is_refused():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("", "pw")


def test_create_superuser_is_staff_and_product_ops():
    user = User.objects.create_superuser("root@example.com", "pw-123456789", full_name="Root")

    assert (user.is_staff, user.is_superuser, user.role) == (True, True, Role.PRODUCT_OPS)


def test_user_str_and_names_use_full_name():
    user = UserFactory.build(full_name="Grace Hopper", email="grace@example.com")

    assert (str(user), user.get_full_name(), user.get_short_name()) == ("Grace Hopper", "Grace Hopper", "Grace")


def test_user_without_name_falls_back_to_email():
    user = UserFactory.build(full_name="", email="anon@example.com")

    assert (str(user), user.get_short_name()) == ("anon@example.com", "anon@example.com")


def test_invitation_str_is_its_email():
    assert str(InvitationFactory.build(email="x@outside.test")) == "x@outside.test"
