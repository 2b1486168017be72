"""A per-viewer cache of whole pages, invalidated by any write anywhere.

The heavy read pages (inbox, roadmap, ranking, KPIs, directory, the API's feedback list) are
opened again and again between two changes. `@cached_page` keeps what a viewer was sent, keyed
by everything that shapes it — the viewer (see `_viewer`), the language and timezone, the htmx
headers, the full URL — and by the data version:

- `DataStamp.version` (one row in the database, shared by every web process and worker) rises
  after every request that may have written: any POST/PUT/PATCH/DELETE, and any GET during which
  a model was saved or deleted; and after every background task (imports write raw SQL);
- a per-process counter rises on every model save or delete made outside a request in this
  process, so code that writes there (a shell, a test) invalidates this process's pages at once.
  Writes inside a request are left to the version alone: counting them too would give each web
  process its own keys after its first write, and no page would ever be shared between them;
- `PAGE_CACHE_SECONDS` bounds what nothing above can see (a command run in another process,
  "5 minutes ago" labels): 60 s by default, 0 turns the cache off.

Pages are cached only when the view sent a plain 200 with no cookie or header of its own, no
message was waiting to be shown or added by the view, and the view left the session unchanged;
everything else is rendered as usual.

Two levels: the `pages` cache (Redis in production, shared by every web process, so a page built
by one worker is a hit in the others) and, in front of it, a small per-process LRU copy
(`LocalPages`, bounded by `PAGE_CACHE_LOCAL_ENTRIES` and `PAGE_CACHE_LOCAL_BYTES`, off when both
levels would be memory of the same process). A local hit costs no round trip and no unpickling.
Why a local copy is never staler than the shared one: see `LocalPages`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
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
    if getattr(_local, "in_request", False):
        _local.dirty = True  # the version rises when the request ends
    else:
        _process_writes[0] += 1


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
        _local.in_request = True
        try:
            return self.get_response(request)
        finally:
            _local.in_request = False
            if request.method not in ("GET", "HEAD", "OPTIONS") or _local.dirty:
                bump_data_version()
                _local.dirty = False


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
        # A history restore wants the whole page where the same request without it gets a partial.
        request.headers.get("HX-History-Restore-Request", ""),
        # Scheme, host and path: pages embed absolute links (a session's check-in URL, feeds).
        request.build_absolute_uri(),
        str(data_version()),
        str(_process_writes[0]),
        _code_version(),
    ]
    # "page2": values are (content, content type, build time). During a rolling restart, processes
    # still running the code that stored pairs under "page:" and new ones never read each other's.
    return "page2:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@cache
def _code_version() -> str:
    """Changes when the code or templates do: pages built before a deploy or a restart after an
    edit are not served by the new code (the shared cache outlives the processes).

    The newest modification time of the package's files, read once per process (~1,000 files, a
    few ms); every process of one deploy reads the same files, so they still share pages.
    """
    return newest_change(Path(__file__).resolve().parent.parent)


def newest_change(folder: Path) -> str:
    """The newest modification time (ns) of the files under `folder`, bytecode left out: a process
    compiling a module late would otherwise see a newer time than the others."""
    files = (path for path in folder.rglob("*") if path.is_file() and path.suffix != ".pyc")
    return str(max((path.stat().st_mtime_ns for path in files), default=0))


def _has_pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


def _left_side_effects(request: HttpRequest) -> bool:
    """The view added a message or changed the session: a hit would not replay either."""
    storage = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return bool(getattr(storage, "added_new", False) or getattr(session, "modified", False))


def _is_cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and {name.lower() for name in response.headers} <= _PLAIN_HEADERS
    )


class LocalPages:
    """A per-process LRU copy of pages of the shared cache, bounded in entries and in bytes.

    Why a local copy is never staler than the shared one. A local entry is found only under the
    very key the shared cache uses, and every request computes that key afresh before looking in
    either level:

    - the key holds `DataStamp.version`, read from the database on every cached request (not
      remembered between requests), so a write seen by any process (a bump) moves every process,
      this one included, to new keys: the old local copies are no longer reachable;
    - the key holds this process's own write counter, and a local entry was stored by this process
      under its counter of the time: a save here (a shell, a test, a GET that saved) moves to a
      new key at once, as it does for the shared level;
    - a local entry expires when its shared original does: the shared value carries the time it
      was built, and a copy taken later keeps that time (`PAGE_CACHE_SECONDS` after the build),
      never a fresh one.

    What the local level does not see: entries deleted from the shared cache by hand (a Redis
    flush), which stay served here until they expire (`PAGE_CACHE_SECONDS`) or the process restarts.
    """

    # Bytes counted per entry besides its content: the key, the tuple, the dictionary slot.
    OVERHEAD = 256

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._bytes

    @classmethod
    def _cost(cls, content: bytes) -> int:
        return len(content) + cls.OVERHEAD

    def get(self, key: str, now: float) -> tuple[bytes, str] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, content, content_type = entry
            if expires <= now:
                del self._entries[key]
                self._bytes -= self._cost(content)
                return None
            self._entries.move_to_end(key)
            return content, content_type

    def put(
        self, key: str, content: bytes, content_type: str, *, expires: float, max_entries: int, max_bytes: int
    ) -> None:
        cost = self._cost(content)
        if max_entries <= 0 or cost > max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= self._cost(old[1])
            self._entries[key] = (expires, content, content_type)
            self._bytes += cost
            while len(self._entries) > max_entries or self._bytes > max_bytes:
                _key, (_expires, evicted, _type) = self._entries.popitem(last=False)
                self._bytes -= self._cost(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


local_pages = LocalPages()


def _local_limits() -> tuple[int, int]:
    return settings.PAGE_CACHE_LOCAL_ENTRIES, settings.PAGE_CACHE_LOCAL_BYTES


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serves a signed-in viewer the page they were already sent, while no data has changed."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        viewer = _viewer(request) if seconds and request.method == "GET" else None
        if viewer is None or _has_pending_messages(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, viewer)
        now = time.time()
        max_entries, max_bytes = _local_limits()
        if max_entries > 0:
            local = local_pages.get(key, now)
            if local is not None:
                return HttpResponse(local[0], content_type=local[1])
        cache = caches[CACHE_ALIAS]
        hit = cache.get(key)
        if isinstance(hit, tuple) and len(hit) == 3:
            content, content_type, built_at = hit
            local_pages.put(
                key,
                content,
                content_type,
                expires=built_at + seconds,
                max_entries=max_entries,
                max_bytes=max_bytes,
            )
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if _is_cacheable(response) and not _left_side_effects(request):
            content, content_type = response.content, response["Content-Type"]
            cache.set(key, (content, content_type, now), seconds)
            local_pages.put(
                key, content, content_type, expires=now + seconds, max_entries=max_entries, max_bytes=max_bytes
            )
        return response

    return wrapper
