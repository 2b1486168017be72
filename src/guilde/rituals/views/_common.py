from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from guilde.community import selectors as community_selectors
from guilde.rituals import selectors
from guilde.rituals.models import Ritual, Session


def _pillars() -> Any:
    return community_selectors.pillars(community=community_selectors.get_community())


def _session_or_404(request: HttpRequest, pk: int) -> Session:
    return selectors.session_for(viewer=request.user, pk=pk)


def _manageable_ritual(request: HttpRequest, pk: int) -> Ritual:
    ritual = selectors.ritual_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("rituals.change_ritual", ritual):
        raise PermissionDenied
    return ritual


def _manageable_session(request: HttpRequest, pk: int) -> Session:
    session = _session_or_404(request, pk)
    if not request.user.has_perm("rituals.change_session", session):
        raise PermissionDenied
    return session


def _ics_response(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    safe = "".join(c for c in filename if c.isalnum() or c in "._- ") or "calendar.ics"
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
