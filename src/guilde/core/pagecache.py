"""A per-viewer cache of whole pages, invalidated by any write anywhere.

The heavy read pages (inbox, roadmap, ranking, KPIs, directory, the API's feedback list) are
opened again and again between two changes. `@cached_page` keeps what a viewer was sent, keyed
by everything that shapes it — the viewer (see `_viewer`), the language and timezone, the htmx
headers, the full URL — and by the data version:

- `DataStamp.version` (one row in the database, shared by every web process and worker) rises
  after every request that may have written: any POST/PUT/PATCH/DELETE, and any GET during which
  a model was saved or deleted; and after every background task (imports write raw SQL);
- a per-process counter rises on every model save or delete in this process, so code that
  writes outside a request (a shell, a test) invalidates this process's pages at once;
- `PAGE_CACHE_SECONDS` bounds what nothing above can see (a command run in another process,
  "5 minutes ago" labels): 60 s by default, 0 turns the cache off.

Pages are cached only when the view sent a plain 200 with no cookie or header of its own and no
message is waiting to be shown; everything else is rendered as usual.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.tasks.signals import task_finished
from django.utils import timezone

from guilde.core.models import DataStamp

CACHE_ALIAS = "pages"
# Writes that do not change what any page shows: bumping on them would empty the cache on
# every sign-in or scheduler tick.
_IGNORED_MODELS = {"sessions.session", "core.datastamp", "core.periodicrun", "django_tasks_db.dbtaskresult"}
# Headers a view may set without making its response specific to this one request.
_PLAIN_HEADERS = {"content-type", "content-length", "vary", "x-frame-options"}

_local = threading.local()
_process_writes = [0]


def data_version() -> int:
    """The shared version; one indexed read of a one-row table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM core_datastamp WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def bump_data_version() -> None:
    """Invalidates every cached page, in every process."""
    if not DataStamp.objects.filter(pk=1).update(version=F("version") + 1):
        DataStamp.objects.get_or_create(pk=1, defaults={"version": 1})


def _record_write(sender: Any, **kwargs: Any) -> None:
    if sender._meta.label_lower in _IGNORED_MODELS:
        return
    _process_writes[0] += 1
    _local.dirty = True


def _task_finished(**kwargs: Any) -> None:
    bump_data_version()


def connect_signals() -> None:
    """Called from `CoreConfig.ready()`."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_record_write, dispatch_uid=f"guilde-pagecache-{id(signal)}")
    task_finished.connect(_task_finished, dispatch_uid="guilde-pagecache-task")


class DataVersionMiddleware:
    """Raises the data version after any request that may have written something."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _local.dirty = False
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") or _local.dirty:
            bump_data_version()
            _local.dirty = False
        return response


def _viewer(request: HttpRequest) -> str | None:
    """Who the page is for, or None when it must not be cached.

    A signed-in browser: user, session and CSRF cookie (the page embeds a token bound to that
    cookie; without one, the response sets a new cookie, so it cannot come from a cache). An API
    client: its Authorization header — the copy was stored only after that header was accepted,
    and revoking a token is a write, which invalidates it.
    """
    if request.user.is_authenticated:
        csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if not csrf_cookie:
            return None
        return f"user\x1f{request.user.pk}\x1f{request.session.session_key or ''}\x1f{csrf_cookie}"
    authorization = request.headers.get("Authorization", "")
    return f"bearer\x1f{authorization}" if authorization else None


def _page_key(request: HttpRequest, viewer: str) -> str:
    parts = [
        viewer,
        getattr(request, "LANGUAGE_CODE", ""),
        timezone.get_current_timezone_name(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-Trigger-Name", ""),
        request.headers.get("HX-Boosted", ""),
        request.get_full_path(),
        str(data_version()),
        str(_process_writes[0]),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _has_pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


def _is_cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and {name.lower() for name in response.headers} <= _PLAIN_HEADERS
    )


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serves a signed-in viewer the page they were already sent, while no data has changed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        viewer = _viewer(request) if seconds and request.method == "GET" else None
        if viewer is None or _has_pending_messages(request):
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        key = _page_key(request, viewer)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if _is_cacheable(response):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper
