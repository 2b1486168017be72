"""The per-viewer page cache: served again only while nothing changed, never across viewers."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.tasks import task
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guilde.core import pagecache
from tests.factories.community import MemberFactory

DIRECTORY = "/community/members/"


@pytest.fixture
def viewer(db):
    return MemberFactory(user__full_name="Viewer One", user__role="member")


@pytest.fixture
def browser(client, viewer):
    """A signed-in client holding a CSRF cookie, as a browser does after its first page."""
    client.force_login(viewer.user)
    client.get(DIRECTORY)
    assert client.cookies.get("csrftoken")
    return client


def queries_for(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_a_page_opened_again_is_served_from_the_cache(browser):
    first, built = queries_for(browser, DIRECTORY)
    again, served = queries_for(browser, DIRECTORY)
    assert again.content == first.content
    # session, user, data version: the page itself is not built again
    assert served == 3 < built


def test_a_save_in_this_process_invalidates_at_once(browser):
    queries_for(browser, DIRECTORY)
    MemberFactory(user__full_name="Zélie Newcomer")
    response, _ = queries_for(browser, DIRECTORY)
    assert "Zélie Newcomer" in response.content.decode()


def test_a_write_seen_by_another_process_invalidates(browser, viewer):
    """Another web process bumps the shared version; this one has seen no signal."""
    queries_for(browser, DIRECTORY)
    with connection.cursor() as cursor:  # a raw write: no model signal in this process
        cursor.execute("UPDATE accounts_user SET full_name = %s WHERE id = %s", ["Renamed Raw", viewer.user.pk])
        cursor.execute("UPDATE community_member SET search_name = %s WHERE id = %s", ["renamed raw", viewer.pk])
    stale, _ = queries_for(browser, DIRECTORY)
    assert "Renamed Raw" not in stale.content.decode()
    pagecache.bump_data_version()
    fresh, _ = queries_for(browser, DIRECTORY)
    assert "Renamed Raw" in fresh.content.decode()


def test_any_post_raises_the_shared_version(browser):
    before = pagecache.data_version()
    browser.post(reverse("core:set_language"), {"language": "fr", "next": "/"})
    assert pagecache.data_version() == before + 1


def test_a_get_that_writes_raises_the_shared_version(browser, rf):
    before = pagecache.data_version()
    browser.get(DIRECTORY)  # reads only
    assert pagecache.data_version() == before

    def view_that_saves(request):
        MemberFactory()
        return HttpResponse("ok")

    pagecache.DataVersionMiddleware(view_that_saves)(rf.get("/somewhere/"))
    assert pagecache.data_version() == before + 1


@task
def _noop() -> None:
    pass


def test_a_finished_background_task_raises_the_shared_version(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    before = pagecache.data_version()
    _noop.enqueue()
    assert pagecache.data_version() == before + 1


def test_viewers_never_share_a_page(browser):
    ops = MemberFactory(user__role="product_ops", user__full_name="Opsy Person")
    queries_for(browser, DIRECTORY)
    other = Client()
    other.force_login(ops.user)
    other.cookies["csrftoken"] = browser.cookies["csrftoken"].value  # same cookie, other person
    _, built = queries_for(other, DIRECTORY)
    assert built > 3


def test_a_page_with_a_waiting_message_is_built_and_shows_it(browser, rf):
    queries_for(browser, DIRECTORY)
    browser.cookies["messages"] = CookieStorage(rf.get("/"))._encode([Message(messages.SUCCESS, "Saved just now")])
    response, built = queries_for(browser, DIRECTORY)
    assert "Saved just now" in response.content.decode()
    assert built > 3


def test_no_cache_without_a_csrf_cookie(client, viewer):
    client.force_login(viewer.user)
    client.cookies.pop("csrftoken", None)
    first = client.get(DIRECTORY)
    assert "csrftoken" in first.cookies  # the page set one, so it could not come from a cache


def test_cache_off_when_seconds_is_zero(browser, settings):
    settings.PAGE_CACHE_SECONDS = 0
    queries_for(browser, DIRECTORY)
    _, built = queries_for(browser, DIRECTORY)
    assert built > 3


def test_an_api_read_is_cached_per_token_and_a_revoked_token_gets_nothing(db):
    from guilde.accounts.services import create_api_token, revoke_api_token

    user = MemberFactory(user__role="product_ops").user
    token = create_api_token(actor=user, name="cache test")
    headers = {"Authorization": f"Bearer {token.secret}"}
    api = Client(headers=headers)
    first, built = queries_for(api, "/api/feedback")
    again, served = queries_for(api, "/api/feedback")
    assert again.content == first.content
    assert served < built
    stranger = Client(headers={"Authorization": "Bearer gld_not-a-token"})
    assert stranger.get("/api/feedback").status_code == 401
    revoke_api_token(actor=user, token=token.obj)
    assert api.get("/api/feedback").status_code == 401
