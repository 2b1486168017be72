from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guilde.accounts import services
from guilde.accounts.adapters import INVITATION_SESSION_KEY
from guilde.accounts.enums import Theme
from guilde.accounts.models import ApiToken
from tests.factories.accounts import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKENS_URL = reverse("accounts:tokens")


def test_tokens_page_for_anonymous_redirects_to_login(client):
    response = client.get(TOKENS_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={TOKENS_URL}"


def test_tokens_page_empty_state(client):
    client.force_login(UserFactory())

    html = client.get(TOKENS_URL).content.decode()

    assert "No API tokens yet" in html
    assert 'name="name"' in html


def test_tokens_page_lists_only_own_tokens(client):
    user = UserFactory()
    services.create_api_token(actor=user, name="Zendesk sync")
    services.create_api_token(actor=UserFactory(), name="Someone else's")
    client.force_login(user)

    response = client.get(TOKENS_URL)

    html = response.content.decode()
    assert [t.name for t in response.context["tokens"]] == ["Zendesk sync"]
    assert "Zendesk sync" in html
    assert "Someone else" not in html
    assert "Never" in html
    assert "No API tokens yet" not in html


def test_tokens_page_query_count_does_not_grow_with_tokens(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    services.create_api_token(actor=user, name="one")
    client.get(TOKENS_URL)  # warm the session and the site caches
    with CaptureQueriesContext(connection) as one:
        client.get(TOKENS_URL)
    services.create_api_token(actor=user, name="two")
    services.create_api_token(actor=user, name="three")

    with django_assert_num_queries(len(one.captured_queries)):
        client.get(TOKENS_URL)


def test_create_token_shows_secret_once(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(TOKENS_URL, {"name": "Zendesk sync"})

    token = ApiToken.objects.get()
    secret = response.context["new_secret"]
    html = response.content.decode()
    assert (token.user, token.name) == (user, "Zendesk sync")
    assert secret.startswith(token.prefix)
    assert f'value="{secret}"' in html
    assert "readonly" in html
    assert "data-guilde-copy" in html
    assert "accounts/tokens.js" in html
    assert secret not in client.get(TOKENS_URL).content.decode()


def test_create_token_without_name_shows_error(client):
    client.force_login(UserFactory())

    response = client.post(TOKENS_URL, {"name": "  "})

    assert ApiToken.objects.count() == 0
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert "is-invalid" in response.content.decode()


def test_revoke_own_token(client):
    user = UserFactory()
    token = services.create_api_token(actor=user, name="CI").obj
    client.force_login(user)

    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 302
    assert token.revoked_at is not None


def test_revoke_someone_elses_token_is_404(client):
    token = services.create_api_token(actor=UserFactory(), name="CI").obj
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 404
    assert token.revoked_at is None


def test_revoke_token_needs_post(client):
    user = UserFactory()
    token = services.create_api_token(actor=user, name="CI").obj
    client.force_login(user)

    response = client.get(reverse("accounts:revoke_token", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 405
    assert token.revoked_at is None


def test_revoke_button_asks_for_confirmation(client):
    user = UserFactory()
    services.create_api_token(actor=user, name="CI")
    client.force_login(user)

    html = client.get(TOKENS_URL).content.decode()

    assert "data-guilde-confirm=" in html


def test_set_theme_saves_choice(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:set_theme"), {"theme": "dark"})

    user.refresh_from_db()
    assert response.status_code == 204
    assert user.theme == Theme.DARK


def test_set_theme_for_anonymous_redirects_to_login(client):
    response = client.post(reverse("accounts:set_theme"), {"theme": "dark"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_page_uses_saved_theme(client):
    client.force_login(UserFactory(theme=Theme.DARK))

    html = client.get(TOKENS_URL).content.decode()

    assert 'data-bs-theme="dark"' in html


def test_invitation_link_remembers_invitation_and_opens_signup(client):
    invitation = InvitationFactory(secret="s3cret", email="eve+guilde@outside.test")

    response = client.get(reverse("accounts:accept_invitation", args=["s3cret"]))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_signup')}?email=eve%2Bguilde%40outside.test"
    assert client.session[INVITATION_SESSION_KEY] == invitation.pk


def test_invitation_link_expired_is_404(client):
    InvitationFactory(secret="old", expires_at=timezone.now() - timedelta(days=1))

    response = client.get(reverse("accounts:accept_invitation", args=["old"]))

    assert response.status_code == 404
    assert INVITATION_SESSION_KEY not in client.session


def test_invitation_link_unknown_or_accepted_is_404(client):
    InvitationFactory(secret="used", accepted_at=timezone.now())

    assert client.get(reverse("accounts:accept_invitation", args=["used"])).status_code == 404
    assert client.get(reverse("accounts:accept_invitation", args=["nope"])).status_code == 404


def test_invitation_link_when_signed_in_goes_home(client):
    InvitationFactory(secret="s3cret")
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:accept_invitation", args=["s3cret"]))

    assert response.url == reverse("core:home")


def test_middleware_uses_saved_language_without_cookie(client):
    client.force_login(UserFactory(language="fr"))

    response = client.get(TOKENS_URL)

    assert "Jetons d\u2019API" in response.content.decode()


def test_middleware_prefers_language_cookie(client, settings):
    client.force_login(UserFactory(language="fr"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(TOKENS_URL)

    assert "API tokens" in response.content.decode()


def test_middleware_activates_users_timezone(client):
    user = UserFactory(timezone="America/New_York")
    client.force_login(user)

    response = client.get(TOKENS_URL)

    assert response.context["TIME_ZONE"] == "America/New_York"
