import pytest
from django.urls import reverse

from tests.accounts.sso import SSO
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_shows_the_community_card(client):
    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sign in to your community" in html
    assert "accounts/entrance.css" in html
    assert 'class="form-control' in html
    assert '<label class="form-label" for="id_login">' in html
    assert "Acme SSO" not in html


def test_login_page_shows_sso_button_when_oidc_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO

    html = client.get(reverse("account_login")).content.decode()

    assert "Continue with Acme SSO" in html
    assert 'action="/accounts/oidc/sso/login/?process=login"' in html


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_use_guilde_layout(client, settings, url_name):
    settings.SIGNUP_ALLOWED_DOMAINS = ["example.com"]

    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert "guilde/guilde.css" in html
    assert "accounts/entrance.css" in html
    assert "<script>" not in html
    assert 'style="' not in html


@pytest.mark.parametrize("url_name", ["account_change_password", "account_email", "account_logout"])
def test_account_pages_use_guilde_layout_when_signed_in(client, url_name):
    client.force_login(UserFactory())

    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert "guilde/guilde.css" in html
    assert "accounts/manage.css" in html
    assert 'style="' not in html
