from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.accounts.enums import Role
from guilde.community import selectors as community_selectors
from guilde.core.viewhelpers import allowed, error_text
from guilde.rituals import selectors, services, signals_sources, slots, suggestions
from guilde.rituals.forms import (
    SlotFinderForm,
)
from guilde.rituals.models import Topic
from guilde.rituals.views._common import _manageable_session


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
    # The database weighs every open topic; the few it suggests are explained by `rank`, then loaded to be shown.
    recent = selectors.recent_candidates(before=now)
    top = selectors.suggested_candidates(viewer=request.user, recent=recent, now=now)
    best = suggestions.rank(
        top,
        recent=recent,
        past_speakers=selectors.past_speaker_ids(among=(pk for c in top for pk, _r, _b in c.speakers), now=now),
        now=now,
    )
    shown = selectors.candidate_topics(viewer=request.user).filter(pk__in=[candidate.pk for candidate, _r in best])
    topics = {topic.pk: topic for topic in shown}
    context = {
        "sessions": sessions,
        "suggestions": [
            suggestions.Suggestion(topic=topics[candidate.pk], reasons=reasons)
            for candidate, reasons in best
            if candidate.pk in topics
        ],
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
