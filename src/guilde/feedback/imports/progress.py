"""How many rows a running import has checked, readable by the web processes meanwhile.

The import checks and writes its rows inside one transaction (all or nothing), so a count
written to the job's own row would stay invisible until the end — on SQLite it could not even
be written, the import holding the only write lock. The count goes to the `progress` cache
instead, which the worker and the web processes share (Redis, or files under var/ on one
machine). Where they share none, the bar stays at zero until the import ends; nothing else
depends on it.
"""

from __future__ import annotations

from django.core.cache import caches
from django.db import connection

from guilde.feedback.models import ImportJob

CACHE_ALIAS = "progress"
#: A count outlives a worker killed mid-import by at most this long.
TIMEOUT_SECONDS = 24 * 3600


def _key(job_id: int) -> str:
    # The database's name too: two sites (or two test processes) may share one Redis.
    return f"import-rows:{connection.settings_dict['NAME']}:{job_id}"


def report(job_id: int, rows: int) -> None:
    caches[CACHE_ALIAS].set(_key(job_id), rows, TIMEOUT_SECONDS)


def clear(job_id: int) -> None:
    caches[CACHE_ALIAS].delete(_key(job_id))


def with_live_progress(job: ImportJob) -> ImportJob:
    """The job with `processed_rows` as the running import last reported it (not saved)."""
    live = caches[CACHE_ALIAS].get(_key(job.pk))
    if isinstance(live, int) and live > job.processed_rows:
        job.processed_rows = min(live, job.total_rows) if job.total_rows else live
    return job
