"""A small fixed-window rate limit on the shared cache, for the public forms."""

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded header is whatever the client says unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Counts one hit for (scope, key); False once more than `limit` hits fell in the current window."""
    cache_key = f"guilde:rituals:rl:{scope}:{key}"
    if cache.add(cache_key, 1, window_seconds):
        return True
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds)
        return True
    return hits <= limit
