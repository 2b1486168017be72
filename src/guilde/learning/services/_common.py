"""Shared service helpers."""

from typing import Any

from django.core.exceptions import PermissionDenied


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied
