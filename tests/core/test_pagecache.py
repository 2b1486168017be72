"""The per-viewer page cache: served again only while nothing changed, never across viewers."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
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


def test_the_home_page_is_cached_and_shows_a_change_at_once(browser):
    browser.get("/")  # a fresh database gets its community and feedback policy on a first page
    first, built = queries_for(browser, "/")
    again, served = queries_for(browser, "/")
    assert again.content == first.content
    assert served == 3 < built
    MemberFactory(user__full_name="Zélie Newcomer")
    _fresh, rebuilt = queries_for(browser, "/")
    assert rebuilt > served


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


def test_writes_inside_a_request_leave_the_keys_other_processes_compute(browser):
    """A page built by one web process is a hit in the others only if their keys agree: a write
    made by a request is covered by the shared version alone, not by this process's counter."""
    before, version = pagecache._process_writes[0], pagecache.data_version()
    browser.post(reverse("core:set_language"), {"language": "fr", "next": "/"})
    assert pagecache.data_version() == version + 1
    assert pagecache._process_writes[0] == before
    MemberFactory(user__full_name="Outside Any Request")  # a shell, a test: this process only
    assert pagecache._process_writes[0] > before


def test_pages_built_by_other_code_are_not_served(browser, monkeypatch):
    """The shared cache outlives a deploy: the key holds the code's version."""
    queries_for(browser, DIRECTORY)
    monkeypatch.setattr(pagecache, "_code_version", lambda: "the next deploy")
    _, built = queries_for(browser, DIRECTORY)
    assert built > 3


def test_the_code_version_follows_sources_and_templates_not_bytecode(tmp_path):
    import os

    (tmp_path / "views.py").write_text("x = 1")
    os.utime(tmp_path / "views.py", ns=(1_000, 1_000))
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "views.cpython-312.pyc").write_bytes(b"")
    os.utime(tmp_path / "__pycache__" / "views.cpython-312.pyc", ns=(9_000, 9_000))
    assert pagecache.newest_change(tmp_path) == "1000"
    (tmp_path / "page.html").write_text("<p>")
    os.utime(tmp_path / "page.html", ns=(2_000, 2_000))
    assert pagecache.newest_change(tmp_path) == "2000"


# --- the per-process level in front of the shared cache ---------------------------------------


class _CountingCache:
    """The real shared cache, counting what is asked of it."""

    def __init__(self, real):
        self.real = real
        self.gets = 0
        self.sets = 0

    def get(self, key, default=None):
        self.gets += 1
        return self.real.get(key, default)

    def set(self, key, value, timeout=None):
        self.sets += 1
        return self.real.set(key, value, timeout)


@pytest.fixture
def shared(monkeypatch):
    counting = _CountingCache(caches[pagecache.CACHE_ALIAS])
    monkeypatch.setattr(pagecache, "caches", {pagecache.CACHE_ALIAS: counting})
    return counting


@pytest.fixture
def local_level(settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 8
    settings.PAGE_CACHE_LOCAL_BYTES = 4 * 1024 * 1024
    pagecache.local_pages.clear()
    yield pagecache.local_pages
    pagecache.local_pages.clear()


def test_a_local_hit_does_not_ask_the_shared_cache(browser, local_level, shared):
    first, built = queries_for(browser, DIRECTORY)
    assert (shared.gets, shared.sets) == (1, 1)  # a miss everywhere: built, stored in both levels
    assert len(local_level) == 1
    again, served = queries_for(browser, DIRECTORY)
    assert again.content == first.content
    assert served == 3 < built  # the data version is still read: it is part of the key
    assert (shared.gets, shared.sets) == (1, 1)


def test_a_local_miss_falls_back_to_the_shared_cache_and_keeps_a_copy(browser, local_level, shared):
    first, built = queries_for(browser, DIRECTORY)
    local_level.clear()  # as in another worker, which did not build the page
    again, served = queries_for(browser, DIRECTORY)
    assert again.content == first.content
    assert served == 3 < built
    assert (shared.gets, shared.sets) == (2, 1)
    assert len(local_level) == 1
    queries_for(browser, DIRECTORY)
    assert shared.gets == 2


def test_a_local_copy_is_invalidated_by_a_write(browser, local_level, shared):
    queries_for(browser, DIRECTORY)
    MemberFactory(user__full_name="Zélie Newcomer")
    response, built = queries_for(browser, DIRECTORY)
    assert "Zélie Newcomer" in response.content.decode()
    assert built > 3


def test_a_local_copy_is_invalidated_by_another_process_write(browser, local_level, shared, viewer):
    queries_for(browser, DIRECTORY)
    with connection.cursor() as cursor:  # a raw write, then another process's bump
        cursor.execute("UPDATE accounts_user SET full_name = %s WHERE id = %s", ["Renamed Raw", viewer.user.pk])
        cursor.execute("UPDATE community_member SET search_name = %s WHERE id = %s", ["renamed raw", viewer.pk])
    pagecache.bump_data_version()
    fresh, _ = queries_for(browser, DIRECTORY)
    assert "Renamed Raw" in fresh.content.decode()


def test_a_post_invalidates_the_local_copy(browser, local_level, shared):
    queries_for(browser, DIRECTORY)
    browser.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    _, built = queries_for(browser, DIRECTORY)
    assert built > 3


def test_the_local_level_is_off_at_zero_entries(browser, local_level, shared, settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 0
    queries_for(browser, DIRECTORY)
    _, served = queries_for(browser, DIRECTORY)
    assert served == 3
    assert len(local_level) == 0
    assert shared.gets == 2


def test_by_default_the_pages_are_shared_between_processes_with_a_local_level_in_front():
    from django.conf import settings

    backend = settings.CACHES[pagecache.CACHE_ALIAS]["BACKEND"]
    expected = "RedisCache" if settings.REDIS_URL else "FileBasedCache"
    assert backend.endswith(expected)
    assert settings.PAGE_CACHE_LOCAL_ENTRIES > 0


def test_a_page_built_in_one_process_is_a_hit_in_another(browser, local_level, monkeypatch):
    """Without Redis the shared level is files: another worker (here: an empty local level and its
    own cache object on the same folder) is served the bytes without building the page."""
    first, built = queries_for(browser, DIRECTORY)
    local_level.clear()
    other_worker = caches.create_connection(pagecache.CACHE_ALIAS)
    monkeypatch.setattr(pagecache, "caches", {pagecache.CACHE_ALIAS: other_worker})
    again, served = queries_for(browser, DIRECTORY)
    assert again.content == first.content
    assert served == 3 < built


def _put(pages, key, size, *, expires=1000.0, entries=3, max_bytes=10_000):
    pages.put(key, b"x" * size, "text/html", expires=expires, max_entries=entries, max_bytes=max_bytes)


def test_local_pages_evict_the_least_recently_used_beyond_the_entry_bound():
    pages = pagecache.LocalPages()
    for key in "abc":
        _put(pages, key, 10)
    assert pages.get("a", now=0) is not None  # "a" is now the most recently used
    _put(pages, "d", 10)
    assert len(pages) == 3
    assert pages.get("b", now=0) is None
    assert [pages.get(key, now=0) is not None for key in "acd"] == [True, True, True]


def test_local_pages_stay_under_the_byte_bound():
    pages = pagecache.LocalPages()
    cost = 1000 + pagecache.LocalPages.OVERHEAD
    for key in "abcd":
        _put(pages, key, 1000, entries=100, max_bytes=3 * cost)
        assert pages.size <= 3 * cost
    assert len(pages) == 3
    assert pages.get("a", now=0) is None
    _put(pages, "huge", 3 * cost, entries=100, max_bytes=3 * cost)  # larger than the whole bound
    assert pages.get("huge", now=0) is None
    assert len(pages) == 3
    _put(pages, "b", 10, entries=100, max_bytes=3 * cost)  # replacing an entry counts its new size only
    assert pages.size == 2 * cost + 10 + pagecache.LocalPages.OVERHEAD


def test_local_pages_expire_with_their_shared_original():
    pages = pagecache.LocalPages()
    _put(pages, "a", 10, expires=100.0)
    assert pages.get("a", now=99.9) == (b"x" * 10, "text/html")
    assert pages.get("a", now=100.0) is None
    assert (len(pages), pages.size) == (0, 0)


def test_a_copy_from_the_shared_cache_keeps_its_build_time(browser, local_level, shared, settings, monkeypatch):
    """A page built 50 s ago elsewhere is copied here for the 10 s it has left, not for 60 more."""
    queries_for(browser, DIRECTORY)
    ((key, (expires, content, content_type)),) = local_level._entries.items()
    local_level.clear()
    built_at = expires - settings.PAGE_CACHE_SECONDS - 50
    caches[pagecache.CACHE_ALIAS].set(key, (content, content_type, built_at), 60)
    queries_for(browser, DIRECTORY)
    assert local_level._entries[key][0] == built_at + settings.PAGE_CACHE_SECONDS


# --- what a view leaves behind is never cached ------------------------------------------------


def _signed_in_request(rf, user):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/anywhere/")
    request.user = user
    request.session = SessionStore()
    request.session.create()
    request.session.modified = False
    request.COOKIES["csrftoken"] = "c" * 32
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("side_effect", ["message", "session"])
def test_a_view_that_adds_a_message_or_changes_the_session_is_not_cached(rf, viewer, side_effect):
    calls = []

    @pagecache.cached_page
    def view(request):
        calls.append(1)
        if side_effect == "message":
            messages.info(request, "Welcome back")
        else:
            request.session["seen"] = True
        return HttpResponse("page")

    request = _signed_in_request(rf, viewer.user)
    view(request)
    request.session.modified = False
    request._messages = type(request._messages)(request)
    view(request)
    assert len(calls) == 2


def test_the_same_view_without_side_effects_is_cached(rf, viewer):
    calls = []

    @pagecache.cached_page
    def view(request):
        calls.append(1)
        return HttpResponse("page")

    request = _signed_in_request(rf, viewer.user)
    view(request)
    view(request)
    assert len(calls) == 1


def test_the_key_holds_the_host_and_the_htmx_history_restore(rf, viewer, settings):
    settings.ALLOWED_HOSTS = ["testserver", "guilde.example.com"]
    request = _signed_in_request(rf, viewer.user)
    viewer_key = pagecache._viewer(request)
    plain = pagecache._page_key(request, viewer_key)
    restore = _signed_in_request(rf, viewer.user)
    restore.COOKIES = request.COOKIES
    restore.META["HTTP_HX_HISTORY_RESTORE_REQUEST"] = "true"
    other_host = rf.get("/anywhere/", HTTP_HOST="guilde.example.com")
    assert len({plain, pagecache._page_key(restore, viewer_key), pagecache._page_key(other_host, viewer_key)}) == 3
