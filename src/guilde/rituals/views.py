import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guilde.accounts.enums import Role
from guilde.community import selectors as community_selectors
from guilde.core.home import Section
from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.rituals import emails, ics, ratelimit, selectors, services, signals_sources, slots, suggestions
from guilde.rituals.enums import TOPIC_STATUS_BADGES, RsvpStatus
from guilde.rituals.forms import (
    CancelForm,
    CommentForm,
    ContactForm,
    DeclineForm,
    ProposeThemeForm,
    RatingForm,
    RitualForm,
    RsvpForm,
    SessionMoveForm,
    SessionRecapForm,
    SlotFinderForm,
    SubscribeForm,
    TopicFilterForm,
    TopicForm,
)
from guilde.rituals.models import Ritual, Rsvp, Session, Topic

PUBLIC_FORM_LIMIT = 5
PUBLIC_FORM_WINDOW = 600


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


# Sessions -------------------------------------------------------------------------------------------


@allowed("rituals.browse")
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "sessions": selectors.upcoming_sessions(viewer=request.user, limit=12),
        "past": selectors.past_sessions(viewer=request.user, limit=6),
        "rituals": selectors.visible_rituals(viewer=request.user),
        "can_manage": request.user.has_perm("rituals.manage"),
        "is_member": services.is_member(request.user),
    }
    return render(request, "rituals/index.html", context)


@allowed("rituals.browse")
def ritual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = selectors.ritual_for(viewer=request.user, pk=pk)
    context = {
        "ritual": ritual,
        "sessions": selectors.upcoming_sessions(viewer=request.user, ritual=ritual, limit=12),
        "past": selectors.past_sessions(viewer=request.user, ritual=ritual, limit=12),
        "can_manage": request.user.has_perm("rituals.change_ritual", ritual),
        "feed_url": request.build_absolute_uri(reverse("rituals:ritual_feed", args=[ritual.pk])),
    }
    return render(request, "rituals/ritual.html", context)


@allowed("rituals.manage")
def ritual_create(request: HttpRequest) -> HttpResponse:
    form = RitualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ritual = services.create_ritual(actor=request.user, **form.ritual_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ritual “%(name)s” created, its sessions are planned.") % {"name": ritual})
            return redirect(ritual)
    return render(request, "rituals/ritual_form.html", {"form": form, "ritual": None})


@login_required
def ritual_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ritual = _manageable_ritual(request, pk)
    form = RitualForm(request.POST or None, initial=RitualForm.initial_for(ritual))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ritual(
                actor=request.user,
                ritual=ritual,
                version=form.cleaned_data["version"] or ritual.version,
                **form.ritual_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ritual saved."))
            return redirect(ritual)
    return render(request, "rituals/ritual_form.html", {"form": form, "ritual": ritual})


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


def _ics_response(body: bytes, filename: str, *, attachment: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    safe = "".join(c for c in filename if c.isalnum() or c in "._- ") or "calendar.ics"
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


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


@require_POST
@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """Schedules a topic into a session: the one-click accept of the programming assistant."""
    session = _manageable_session(request, int(request.POST.get("session") or 0))
    topic = selectors.topic_for(viewer=request.user, pk=int(request.POST.get("topic") or 0))
    try:
        services.schedule_topic(actor=request.user, topic=topic, session=session)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("“%(topic)s” is scheduled.") % {"topic": topic.title})
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/sessions/") else session.get_absolute_url())


@require_POST
@login_required
def unschedule(request: HttpRequest, pk: int, topic_pk: int) -> HttpResponse:
    session = _manageable_session(request, pk)
    topic = get_object_or_404(Topic, pk=topic_pk, session=session)
    services.unschedule_topic(actor=request.user, topic=topic)
    messages.success(request, _("“%(topic)s” is back in the pool.") % {"topic": topic.title})
    return redirect(session)


@allowed("rituals.manage")
def plan(request: HttpRequest) -> HttpResponse:
    """The programming assistant: suggestions for the next sessions with free slots, and wanted subjects."""
    now = timezone.now()
    sessions = selectors.sessions_with_free_slots(viewer=request.user, now=now, limit=3)
    candidates = list(selectors.candidate_topics(viewer=request.user))
    recent = selectors.recent_programme(before=now)
    ranked = suggestions.suggest(candidates, recent=recent, past_speakers=selectors.past_speaker_ids(), now=now)
    context = {
        "sessions": sessions,
        "suggestions": ranked,
        "wanted": signals_sources.wanted_subjects(),
    }
    return render(request, "rituals/plan.html", context)


@allowed("rituals.manage")
def slot_finder(request: HttpRequest) -> HttpResponse:
    rituals = selectors.visible_rituals(viewer=request.user)
    form = SlotFinderForm(request.GET or None, rituals=rituals)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        people = community_selectors.directory_queryset(viewer=request.user)
        if data["ritual"]:
            people = people.filter(user__in=selectors.ritual_answerers(ritual=data["ritual"]))
        else:
            people = people.exclude(user__role=Role.STAKEHOLDER)
        # One time zone per person, so a zone counts as many times as people live in it.
        zones = list(people.values_list("user__timezone", flat=True))
        report = slots.find_slots(
            zones,
            window=(data["opens"], data["closes"]),
            duration_minutes=data["duration_minutes"],
            week_of=timezone.localdate(),
        )
    week = timezone.localdate()
    return render(request, "rituals/slots.html", {"form": form, "report": report, "week": week})


# Topics ---------------------------------------------------------------------------------------------


@allowed("rituals.propose_topic")
def topic_list(request: HttpRequest) -> HttpResponse:
    form = TopicFilterForm(request.GET, pillars=_pillars())
    page = selectors.topic_page(viewer=request.user, page=request.GET.get("page"), **form.filters())
    context = {
        "form": form,
        "page": page,
        "topics": page.object_list,
        "is_filtered": form.is_filtered,
        "badges": TOPIC_STATUS_BADGES,
        "can_manage": request.user.has_perm("rituals.manage"),
    }
    template = "rituals/topics.html#results" if is_partial(request) else "rituals/topics.html"
    return render(request, template, context)


@allowed("rituals.propose_topic")
def topic_create(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None, pillars=_pillars())
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.propose_topic(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your topic is in the pool; members can vote for it."))
            return redirect(topic)
    return render(request, "rituals/topic_form.html", {"form": form, "topic": None})


@allowed("rituals.propose_topic")
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST" and comment_form.is_valid():
        try:
            services.comment_topic(actor=request.user, topic=topic, body=comment_form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(comment_form, error)
        else:
            return redirect(reverse("rituals:topic", args=[topic.pk]) + "#comments")
    can_manage = request.user.has_perm("rituals.manage")
    context = {
        "topic": topic,
        "comments": selectors.comments_of(topic=topic),
        "comment_form": comment_form,
        "decline_form": DeclineForm(),
        "can_edit": request.user.has_perm("rituals.change_topic", topic),
        "can_manage": can_manage,
        "badges": TOPIC_STATUS_BADGES,
        "open_sessions": selectors.sessions_with_free_slots(viewer=request.user) if can_manage else [],
    }
    return render(request, "rituals/topic.html", context)


@allowed("rituals.propose_topic")
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("rituals.change_topic", topic):
        raise PermissionDenied
    initial = {
        "title": topic.title,
        "description": topic.description,
        "pillar": topic.pillar_id,
        "format": topic.format,
        "duration_minutes": topic.duration_minutes,
        "languages": topic.languages,
        "speakers": [s.pk for s in topic.speakers.all()],
    }
    form = TopicForm(request.POST or None, initial=initial, pillars=_pillars())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_topic(actor=request.user, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Topic saved."))
            return redirect(topic)
    return render(request, "rituals/topic_form.html", {"form": form, "topic": topic})


@require_POST
@allowed("rituals.vote_topic")
def topic_vote(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    try:
        if topic.has_voted:  # type: ignore[attr-defined]
            services.withdraw_vote(actor=request.user, topic=topic)
        else:
            services.vote_topic(actor=request.user, topic=topic)
    except ValidationError as error:
        messages.error(request, error_text(error))
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    if is_partial(request):
        return render(request, "rituals/_vote_button.html", {"topic": topic})
    next_url = str(request.POST.get("next", ""))
    return redirect(next_url if next_url.startswith("/sessions/") else topic.get_absolute_url())


@require_POST
@allowed("rituals.decide_topic")
def topic_decide(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_topic(actor=request.user, topic=topic, accept=accept, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Topic accepted.") if accept else _("Topic declined; the proposer is told why."))
    return redirect(topic)


# My sessions and calendar feed ------------------------------------------------------------------------


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


# Public events page (anonymous) ----------------------------------------------------------------------------


def _events_context() -> dict[str, Any]:
    return {
        "sessions": selectors.public_upcoming(),
        "replays": selectors.public_replays(),
        "subscribe_form": SubscribeForm(),
        "propose_form": ProposeThemeForm(),
        "contact_form": ContactForm(),
        "rituals": selectors.visible_rituals(viewer=_anonymous()),
    }


def events(request: HttpRequest) -> HttpResponse:
    return render(request, "rituals/events.html", _events_context())


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _public_form(
    request: HttpRequest, form_class: Any, scope: str, handle: Callable[[dict[str, Any]], object], success: str
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method != "POST":
        return redirect("rituals:events")
    if not ratelimit.allow(
        scope=scope, key=ratelimit.client_ip(request), limit=PUBLIC_FORM_LIMIT, window_seconds=PUBLIC_FORM_WINDOW
    ):
        response = render(
            request,
            "rituals/public_result.html",
            {
                "title": _("Too many attempts"),
                "message": _("Please wait a few minutes before sending this form again."),
            },
            status=429,
        )
        response["Retry-After"] = str(PUBLIC_FORM_WINDOW)
        return response
    if form.is_valid():
        if not form.is_spam:
            try:
                handle(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.errors:
            return render(request, "rituals/public_result.html", {"title": _("Thank you"), "message": success})
    context = {**_events_context(), f"{scope}_form": form, "open_form": scope}
    return render(request, "rituals/events.html", context, status=400)


@require_POST
def events_subscribe(request: HttpRequest) -> HttpResponse:
    language = translation.get_language() or "en"
    return _public_form(
        request,
        SubscribeForm,
        "subscribe",
        lambda data: services.subscribe(email=data["email"], language=language[:2]),
        _("Check your inbox: click the link we sent to confirm your subscription."),
    )


@require_POST
def events_propose(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        ProposeThemeForm,
        "propose",
        lambda data: services.propose_external_topic(
            title=data["title"],
            description=data["description"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
        ),
        _("Your theme reached the community leads. They will write to you if it is picked."),
    )


@require_POST
def events_contact(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        ContactForm,
        "contact",
        lambda data: services.contact_leads(name=data["name"], email=data["email"], message=data["message"]),
        _("Your message reached the community leads. They will answer by e-mail."),
    )


def _token_action(
    request: HttpRequest, token: str, *, kind: str, act: Callable[..., object], title: str, message: str
) -> HttpResponse:
    """GET shows a button (mail scanners open links); POST acts on the signed token."""
    if request.method != "POST":
        return render(request, "rituals/public_confirm.html", {"token": token, "kind": kind})
    try:
        act(token=token)
    except ValidationError as error:
        context = {"title": _("Link not valid"), "message": error_text(error)}
        return render(request, "rituals/public_result.html", context, status=400)
    return render(request, "rituals/public_result.html", {"title": title, "message": message})


def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        token,
        kind="confirm",
        act=services.confirm_subscription,
        title=_("Subscription confirmed"),
        message=_(
            "You will receive an e-mail for each upcoming public event. Every e-mail has a one-click unsubscribe link."
        ),
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): mail clients POST here without a CSRF token; the signed token is the proof."""
    return _token_action(
        request,
        token,
        kind="unsubscribe",
        act=services.unsubscribe,
        title=_("You are unsubscribed"),
        message=_("You will not receive any more e-mails about our events."),
    )


# Home -----------------------------------------------------------------------------------------------------


def home_section(request: HttpRequest) -> Section | None:
    """Next session, topics to vote on, my talks."""
    if not request.user.has_perm("rituals.browse"):
        return None
    data = selectors.home_data(viewer=request.user)
    context = {"data": data, "is_member": services.is_member(request.user), "badges": TOPIC_STATUS_BADGES}
    return Section(template="rituals/_home_section.html", context=context, position=30)
