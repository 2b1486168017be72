"""The single sign-on adapter's rules, with a stand-in for allauth's SocialLogin (no network)."""

from types import SimpleNamespace

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from guilde.accounts.adapters import SocialAccountAdapter
from guilde.accounts.enums import Role
from guilde.accounts.models import User
from tests.accounts.sso import SSO
from tests.factories.accounts import InvitationFactory

pytestmark = pytest.mark.django_db


def stub_sociallogin(email, addresses=()):
    return SimpleNamespace(user=User(email=email), email_addresses=[SimpleNamespace(email=a) for a in addresses])


def sso_request():
    request = RequestFactory().get("/accounts/oidc/sso/login/callback/")
    request.session = SessionStore()
    return request


def test_sso_signup_open_for_allowed_domain(settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    assert SocialAccountAdapter().is_open_for_signup(sso_request(), stub_sociallogin("Eve@Acme.com"))


def test_sso_signup_closed_for_unknown_domain(settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    assert not SocialAccountAdapter().is_open_for_signup(sso_request(), stub_sociallogin("eve@gmail.com"))


def test_sso_signup_closed_without_email(settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    assert not SocialAccountAdapter().is_open_for_signup(sso_request(), stub_sociallogin(""))


def test_sso_signup_open_for_invited_email():
    InvitationFactory(email="eve@outside.test")

    assert SocialAccountAdapter().is_open_for_signup(sso_request(), stub_sociallogin("EVE@outside.test"))


def test_sso_signup_uses_provider_email_addresses_when_user_has_none(settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    assert SocialAccountAdapter().is_open_for_signup(sso_request(), stub_sociallogin("", ["eve@acme.com"]))


def test_sso_populate_user_takes_full_name_from_claims():
    sociallogin = stub_sociallogin("")
    adapter = SocialAccountAdapter()

    user = adapter.populate_user(
        sso_request(), sociallogin, {"email": "eve@acme.com", "first_name": "Eve", "last_name": "Example"}
    )

    assert (user.email, user.full_name) == ("eve@acme.com", "Eve Example")


def test_sso_populate_user_without_name_uses_email_local_part():
    user = SocialAccountAdapter().populate_user(sso_request(), stub_sociallogin(""), {"email": "eve@acme.com"})

    assert user.full_name == "eve"


def test_sso_save_user_accepts_pending_invitation(settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    invitation = InvitationFactory(email="eve@outside.test", role=Role.EXECUTIVE)
    sociallogin = SocialLogin(
        user=User(email="eve@outside.test", full_name="Eve"), account=SocialAccount(provider="sso", uid="42")
    )

    user = SocialAccountAdapter().save_user(sso_request(), sociallogin)

    user.refresh_from_db()
    invitation.refresh_from_db()
    assert (user.email, user.role, user.has_usable_password()) == ("eve@outside.test", Role.EXECUTIVE, False)
    assert invitation.accepted_at is not None
