"""Sessions are read with one plain statement: same answers as Django's database sessions."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from guilde.accounts.sessions import SessionStore
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

TOKENS_URL = reverse("accounts:tokens")


def test_the_engine_is_ours():
    assert settings.SESSION_ENGINE == "guilde.accounts.sessions"


def test_a_stored_session_reads_back():
    store = SessionStore()
    store["theme"] = "dark"
    store["count"] = 3
    store.create()

    again = SessionStore(store.session_key)

    assert again["theme"] == "dark"
    assert again["count"] == 3
    assert again.session_key == store.session_key


def test_an_expired_session_is_empty_and_gets_a_new_key_when_written():
    store = SessionStore()
    store["theme"] = "dark"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    again = SessionStore(store.session_key)

    assert dict(again.items()) == {}
    again["theme"] = "light"
    again.save()
    assert again.session_key != store.session_key


def test_an_unknown_key_is_empty():
    assert dict(SessionStore("x" * 32).items()) == {}


def test_signed_in_pages_and_sign_out(client):
    client.force_login(UserFactory())
    assert client.get(TOKENS_URL).status_code == 200

    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(minutes=1))

    # An expired session signs the viewer out, like Django's own.
    assert client.get(TOKENS_URL).status_code == 302
