import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import allowed
from guilde.rituals import emails, ics, selectors, services
from guilde.rituals.models import Ritual
from guilde.rituals.views._common import _ics_response, _session_or_404


def ritual_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """The .ics feed of a ritual: public rituals for anyone, members-only rituals for members."""
    ritual = get_object_or_404(Ritual.objects.prefetch_related("hosts"), pk=pk)
    if not request.user.has_perm("rituals.view_ritual", ritual):
        raise Http404
    members = services.is_member(request.user)
    body = ics.calendar(
        selectors.ritual_feed_sessions(ritual=ritual),
        name=ritual.name,
        link_for=emails.session_link,
        include_video=members,
    )
    return _ics_response(body, f"{ritual.name}.ics")


def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """Add one session to a calendar: a one-event .ics with the session's stable UID."""
    session = _session_or_404(request, pk)
    body = ics.calendar(
        [session],
        name=session.ritual.name,
        link_for=emails.session_link,
        include_video=services.is_member(request.user),
    )
    return _ics_response(body, f"session-{session.pk}.ics")


@require_POST
@allowed("rituals.use_calendar_feed")
def my_feed(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    if action == "revoke":
        services.revoke_calendar_feed(actor=request.user)
        messages.success(request, _("Your calendar link no longer works."))
    else:
        services.calendar_feed(actor=request.user, renew=action == "renew")
        messages.success(request, _("Your personal calendar link is ready: add it to your calendar app."))
    return redirect("rituals:me")


def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret-URL feed of the sessions a person is going to; no login (calendar apps cannot)."""
    user = selectors.feed_owner(token=token)
    with timezone.override(datetime.UTC):
        body = ics.calendar(
            selectors.personal_feed_sessions(user=user),
            name=_("My sessions"),
            link_for=emails.session_link,
            include_video=True,
        )
    return _ics_response(body, "guilde.ics", attachment=False)
