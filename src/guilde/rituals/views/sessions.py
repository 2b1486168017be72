from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.rituals import selectors, services
from guilde.rituals.enums import TOPIC_STATUS_BADGES, RsvpStatus
from guilde.rituals.forms import (
    CancelForm,
    RatingForm,
    RsvpForm,
    SessionMoveForm,
    SessionRecapForm,
)
from guilde.rituals.models import Rsvp
from guilde.rituals.views._common import _manageable_ritual, _manageable_session, _session_or_404


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session page; anonymous visitors may read public sessions (and nothing else: 404)."""
    session = _session_or_404(request, pk)
    user = request.user
    can_manage = user.has_perm("rituals.change_session", session)
    now = timezone.now()
    upcoming = not session.is_cancelled and session.ends_at >= now
    context: dict[str, Any] = {
        "session": session,
        "topics": session.ordered_topics,  # type: ignore[attr-defined]
        "can_manage": can_manage,
        "can_rsvp": upcoming and user.has_perm("rituals.rsvp_session", session),
        "is_past": session.starts_at <= now,
        "upcoming": upcoming,
        "checkin_open": services.is_checkin_open(session, now),
        "can_rate": services.can_rate(user, session),
        "is_member": services.is_member(user),
    }
    if context["can_rate"]:
        rating = selectors.my_rating(viewer=user, session=session)
        initial = (
            {"usefulness": rating.usefulness, "will_apply": rating.will_apply, "comment": rating.comment}
            if rating
            else None
        )
        context["rating_form"] = RatingForm(initial=initial)
        context["my_rating"] = rating
    if can_manage:
        context["attendees"] = selectors.attendees(session=session)
        context["checkin_url"] = request.build_absolute_uri(
            reverse("rituals:session_checkin", args=[session.pk]) + f"?code={session.checkin_code}"
        )
        if upcoming and len(context["topics"]) < session.ritual.topic_slots:
            context["candidates"] = selectors.candidate_topics(viewer=user).order_by("-vote_count", "pk")[:10]
    return render(request, "rituals/session.html", context)


@require_POST
@login_required
def session_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            answer = services.rsvp(actor=request.user, session=session, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if answer.waitlisted:
                messages.info(request, _("The session is full: you are on the waiting list."))
            else:
                messages.success(
                    request, _("Your answer is saved: %(answer)s.") % {"answer": answer.get_status_display()}
                )
    if is_partial(request):
        session = _session_or_404(request, pk)
        context = {"session": session, "can_rsvp": True, "upcoming": True}
        return render(request, "rituals/session.html#rsvp", context)
    return redirect(session)


@login_required
def session_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    code = request.POST.get("code") or request.GET.get("code", "")
    if request.method == "POST":
        try:
            services.check_in(actor=request.user, session=session, code=code)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("You are checked in. Enjoy the session!"))
        return redirect(session)
    return render(request, "rituals/checkin.html", {"session": session, "code": code})


@require_POST
@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _manageable_session(request, pk)
    answer = get_object_or_404(Rsvp.objects.select_related("user"), session=session, pk=request.POST.get("rsvp"))
    services.mark_attendance(
        actor=request.user, session=session, user=answer.user, present=request.POST.get("present") == "1"
    )
    return redirect(reverse("rituals:session", args=[session.pk]) + "#attendance")


@require_POST
@login_required
def session_rate(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_session(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Thank you, the speakers will see your rating."))
    else:
        messages.error(request, _("Choose how useful the session was, from 1 to 5."))
    return redirect(session)


@login_required
def session_move(request: HttpRequest, pk: int) -> HttpResponse:
    session = _manageable_session(request, pk)
    initial = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": int((session.ends_at - session.starts_at).total_seconds() // 60),
    }
    form = SessionMoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_session(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session moved; those going get the updated invitation."))
            return redirect(session)
    return render(request, "rituals/session_move.html", {"form": form, "session": session})


@login_required
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _manageable_session(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_session(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        messages.success(request, _("Session cancelled; its topics are back in the pool."))
        return redirect(session)
    return render(request, "rituals/session_cancel.html", {"form": form, "session": session})


@login_required
def session_recap(request: HttpRequest, pk: int) -> HttpResponse:
    session = _manageable_session(request, pk)
    initial = {f: getattr(session, f) for f in ("title", "replay_url", "resources", "notes")}
    form = SessionRecapForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_session_recap(actor=request.user, session=session, **form.cleaned_data)
        messages.success(request, _("Session saved."))
        return redirect(session)
    return render(request, "rituals/session_recap.html", {"form": form, "session": session})


@require_POST
@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = _manageable_ritual(request, pk)
    form = SessionMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a start in the future and a duration."))
        return redirect(ritual)
    session = services.add_session(actor=request.user, ritual=ritual, **form.cleaned_data)
    messages.success(request, _("Session added."))
    return redirect(session)


@require_POST
@login_required
def session_announce(request: HttpRequest, pk: int) -> HttpResponse:
    session = _manageable_session(request, pk)
    try:
        services.announce_session(actor=request.user, session=session)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Subscribers will receive the announcement."))
    return redirect(session)


@allowed("rituals.browse")
def my_sessions(request: HttpRequest) -> HttpResponse:
    feed = selectors.calendar_feed_of(viewer=request.user)
    context = {
        "history": selectors.attendance_history(viewer=request.user),
        "talks": selectors.my_talks(viewer=request.user),
        "upcoming": selectors.upcoming_sessions(viewer=request.user, limit=None).filter(  # type: ignore[misc]
            my_rsvp__in=[RsvpStatus.GOING, RsvpStatus.MAYBE]
        )[:10],
        "feed_url": request.build_absolute_uri(reverse("rituals:personal_feed", args=[feed.token])) if feed else "",
        "badges": TOPIC_STATUS_BADGES,
    }
    return render(request, "rituals/me.html", context)
