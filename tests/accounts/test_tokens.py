from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from guilde.accounts import selectors, services
from guilde.accounts.api_auth import ApiTokenAuth
from guilde.accounts.enums import Role
from guilde.accounts.models import ApiToken
from guilde.accounts.tokens import hash_secret
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_create_api_token_stores_the_hash_not_the_secret():
    user = UserFactory()

    issued = services.create_api_token(actor=user, name="  Zendesk sync ")

    token = ApiToken.objects.get()
    assert issued.secret.startswith("gld_")
    assert token.token_hash == hash_secret(issued.secret)
    assert issued.secret not in (token.token_hash, token.prefix)
    assert (token.user, token.name, token.prefix) == (user, "Zendesk sync", issued.secret[:8])


def test_revoke_api_token_sets_revoked_at():
    user = UserFactory()
    token = services.create_api_token(actor=user, name="CI").obj

    services.revoke_api_token(actor=user, token=token)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_active


def test_revoke_api_token_twice_keeps_first_date():
    user = UserFactory()
    token = services.create_api_token(actor=user, name="CI").obj
    services.revoke_api_token(actor=user, token=token)
    first = ApiToken.objects.get().revoked_at

    services.revoke_api_token(actor=user, token=token)

    assert ApiToken.objects.get().revoked_at == first


def test_revoke_api_token_of_someone_else_is_denied():
    token = services.create_api_token(actor=UserFactory(), name="CI").obj

    with pytest.raises(PermissionDenied):
        services.revoke_api_token(actor=UserFactory(role=Role.PRODUCT_OPS), token=token)

    assert ApiToken.objects.get().revoked_at is None


def test_user_for_api_token_returns_owner_and_records_use():
    user = UserFactory()
    secret = services.create_api_token(actor=user, name="CI").secret

    assert selectors.user_for_api_token(secret=secret) == user
    assert ApiToken.objects.get().last_used_at is not None


def test_user_for_api_token_updates_last_used_at_at_most_every_minute():
    user = UserFactory()
    issued = services.create_api_token(actor=user, name="CI")
    recent = timezone.now() - timedelta(seconds=10)
    old = timezone.now() - timedelta(minutes=5)

    ApiToken.objects.update(last_used_at=recent)
    selectors.user_for_api_token(secret=issued.secret)
    assert ApiToken.objects.get().last_used_at == recent

    ApiToken.objects.update(last_used_at=old)
    selectors.user_for_api_token(secret=issued.secret)
    assert ApiToken.objects.get().last_used_at > old


def test_user_for_api_token_rejects_unknown_token():
    assert selectors.user_for_api_token(secret="gld_nope") is None


def test_user_for_api_token_rejects_revoked_token():
    user = UserFactory()
    issued = services.create_api_token(actor=user, name="CI")
    services.revoke_api_token(actor=user, token=issued.obj)

    assert selectors.user_for_api_token(secret=issued.secret) is None


def test_user_for_api_token_rejects_deactivated_user():
    user = UserFactory()
    secret = services.create_api_token(actor=user, name="CI").secret
    user.is_active = False
    user.save()

    assert selectors.user_for_api_token(secret=secret) is None


def test_api_tokens_of_lists_active_tokens_first():
    user = UserFactory()
    old = services.create_api_token(actor=user, name="old").obj
    services.revoke_api_token(actor=user, token=old)
    services.create_api_token(actor=UserFactory(), name="someone else's")
    active = services.create_api_token(actor=user, name="active").obj

    assert list(selectors.api_tokens_of(user=user)) == [active, old]


def test_api_token_auth_sets_request_user():
    user = UserFactory()
    secret = services.create_api_token(actor=user, name="CI").secret
    request = RequestFactory().get("/api/members")

    assert ApiTokenAuth().authenticate(request, secret) == user
    assert request.user == user


def test_api_token_auth_rejects_revoked_token():
    user = UserFactory()
    issued = services.create_api_token(actor=user, name="CI")
    services.revoke_api_token(actor=user, token=issued.obj)

    assert ApiTokenAuth().authenticate(RequestFactory().get("/api/members"), issued.secret) is None


def test_api_without_token_answers_401(client):
    response = client.get("/api/members")

    assert response.status_code == 401


def test_api_with_invalid_token_answers_401(client):
    response = client.get("/api/members", headers={"Authorization": "Bearer gld_invalid"})

    assert response.status_code == 401


def test_api_with_valid_token_answers_200(client):
    secret = services.create_api_token(actor=UserFactory(), name="CI").secret

    response = client.get("/api/members", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200


def test_api_with_deactivated_users_token_answers_401(client):
    user = UserFactory()
    secret = services.create_api_token(actor=user, name="CI").secret
    user.is_active = False
    user.save()

    response = client.get("/api/members", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401


def test_api_docs_need_no_token(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Guilde API"
