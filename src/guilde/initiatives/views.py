"""Thin views: permission, form, one service call, message, redirect or htmx partial."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.home import Section
from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.initiatives import planner, selectors, services
from guilde.initiatives.enums import PLEDGEABLE, InitiativeStatus
from guilde.initiatives.forms import (
    AbsenceForm,
    ChallengeFilterForm,
    ChallengeForm,
    CheckInForm,
    CommentForm,
    InitiativeFilterForm,
    InitiativeForm,
    MergeForm,
    MoveForm,
    PledgeForm,
    PriorityForm,
    ReasonForm,
    WhatIfForm,
)
from guilde.initiatives.models import Challenge

MIN_WEEKS, MAX_WEEKS = 4, 26


# ---------------------------------------------------------------- initiatives


@allowed("initiatives.browse")
def initiative_list(request: HttpRequest) -> HttpResponse:
    form = InitiativeFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    archived = request.GET.get("archived") == "1"
    page = selectors.initiative_page(viewer=request.user, page=request.GET.get("page"), archived=archived, **filters)
    context = {"form": form, "page": page, "items": page.object_list, "is_filtered": bool(filters) and form.is_filtered}
    context["archived"] = archived
    template = "initiatives/initiative_list.html#results" if is_partial(request) else "initiatives/initiative_list.html"
    return render(request, template, context)


def _board_context(request: HttpRequest, by: str) -> dict[str, Any]:
    pillar = request.GET.get("pillar") or request.POST.get("pillar")
    pillar_id = int(pillar) if pillar and pillar.isdigit() else None
    return {
        "columns": selectors.board(viewer=request.user, by=by, pillar=pillar_id),
        "by": by,
        "pillars": selectors.pillars(),
        "pillar_id": pillar_id,
    }


@allowed("initiatives.browse")
def board(request: HttpRequest) -> HttpResponse:
    by = "pillar" if request.GET.get("by") == "pillar" else "status"
    context = _board_context(request, by)
    template = "initiatives/board.html#board" if is_partial(request) else "initiatives/board.html"
    return render(request, template, context)


@require_POST
@allowed("initiatives.browse")
def initiative_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A kanban move (htmx: the board comes back) or a status change from the detail page."""
    initiative = selectors.editable_initiative(viewer=request.user, pk=pk)
    form = MoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a valid status.")
    else:
        try:
            services.move_initiative(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as exc:
            error = error_text(exc)
    if is_partial(request):
        context = _board_context(request, "status")
        context.update(board_error=error, moved=initiative.pk)
        status = 409 if error else 200
        return render(request, "initiatives/board.html#board", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.")
            % {"title": initiative.title, "status": InitiativeStatus(initiative.status).label.lower()},
        )
    return redirect(request.POST.get("next") or initiative.get_absolute_url())


def _challenge_to_accept(request: HttpRequest) -> Challenge | None:
    pk = request.GET.get("challenge") or request.POST.get("challenge")
    if not pk or not str(pk).isdigit() or not request.user.has_perm("initiatives.manage"):
        return None
    return selectors.challenge_for(viewer=request.user, pk=int(pk))


@allowed("initiatives.add_initiative")
def initiative_create(request: HttpRequest) -> HttpResponse:
    challenge = _challenge_to_accept(request)
    initial: dict[str, Any] = {"lead": request.user.pk, "value": 3, "rank": 100}
    if challenge is not None:
        initial.update(title=challenge.title, pillar=challenge.pillar_id, goal=challenge.description)
    can_rank = request.user.has_perm("initiatives.manage")
    form = InitiativeForm(request.POST or None, initial=initial, can_rank=can_rank)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.create_initiative(actor=request.user, challenge=challenge, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Initiative “%(title)s” created.") % {"title": initiative.title})
            return redirect(initiative)
    return render(request, "initiatives/initiative_form.html", {"form": form, "challenge": challenge})


@allowed("initiatives.browse")
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_for(viewer=request.user, pk=pk)
    return _detail(request, initiative)


def _detail(request: HttpRequest, initiative: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    day = selectors.today()
    pledges = list(initiative.pledges.all())
    live = [p for p in pledges if p.end >= day]
    plan_row = None
    if initiative.status in ("planned", "in_progress"):
        plan, _inputs = selectors.capacity_plan()
        plan_row = plan.initiative(initiative.pk)
    context = {
        "initiative": initiative,
        "live_pledges": live,
        "past_pledges": [p for p in pledges if p.end < day],
        "check_ins": list(initiative.check_ins.all()[:20]),
        "history": list(initiative.status_changes.all()[:10]),
        "can_change": user.has_perm("initiatives.change_initiative", initiative),
        "can_manage": user.has_perm("initiatives.manage"),
        "can_pledge": user.has_perm("initiatives.pledge", initiative),
        "can_check_in": user.has_perm("initiatives.check_in", initiative),
        "is_volunteer": user.has_perm("initiatives.volunteer"),
        "pledgeable": initiative.status in PLEDGEABLE,
        "pledge_form": forms.get("pledge_form") or PledgeForm(initiative=initiative),
        "check_in_form": forms.get("check_in_form") or CheckInForm(),
        "move_form": forms.get("move_form") or MoveForm(initial={"version": initiative.version}),
        "plan_row": plan_row,
        "pledged_minutes": sum(p.minutes_per_week for p in live),
    }
    return render(request, "initiatives/initiative_detail.html", context, status=status)


@allowed("initiatives.browse")
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.editable_initiative(viewer=request.user, pk=pk)
    can_rank = request.user.has_perm("initiatives.manage")
    form = InitiativeForm(request.POST or None, initial=InitiativeForm.initial_for(initiative), can_rank=can_rank)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(
                actor=request.user,
                initiative=initiative,
                version=form.cleaned_data["version"] or 0,
                **form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Initiative “%(title)s” saved.") % {"title": initiative.title})
            return redirect(initiative)
    return render(request, "initiatives/initiative_form.html", {"form": form, "initiative": initiative})


@require_POST
@allowed("initiatives.manage")
def initiative_archive(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.editable_initiative(viewer=request.user, pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    services.archive_initiative(actor=request.user, initiative=initiative, archived=archived)
    if archived:
        messages.success(request, _("“%(title)s” is archived.") % {"title": initiative.title})
        return redirect("initiatives:list")
    messages.success(request, _("“%(title)s” is restored.") % {"title": initiative.title})
    return redirect(initiative)


@allowed("initiatives.manage")
def initiative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, naming what is lost; POST deletes, or refuses when there is history."""
    initiative = selectors.editable_initiative(viewer=request.user, pk=pk)
    has_history = selectors.has_history(initiative)
    if request.method == "POST":
        try:
            services.delete_initiative(actor=request.user, initiative=initiative)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(initiative)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": initiative.title})
        return redirect("initiatives:list")
    return render(request, "initiatives/initiative_delete.html", {"initiative": initiative, "has_history": has_history})


@require_POST
@allowed("initiatives.browse")
def initiative_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("initiatives.pledge", initiative):
        raise PermissionDenied
    form = PledgeForm(request.POST, initiative=initiative)
    if form.is_valid():
        try:
            services.pledge(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you: your pledge to “%(title)s” is recorded.") % {"title": initiative.title}
            )
            return redirect(initiative)
    initiative = selectors.initiative_for(viewer=request.user, pk=pk)
    return _detail(request, initiative, pledge_form=form, status=422)


@require_POST
@allowed("initiatives.browse")
def initiative_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("initiatives.check_in", initiative):
        raise Http404
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Check-in recorded. Thank you!"))
            return redirect(request.POST.get("next") or initiative.get_absolute_url())
    initiative = selectors.initiative_for(viewer=request.user, pk=pk)
    return _detail(request, initiative, check_in_form=form, status=422)


@require_POST
@allowed("initiatives.browse")
def pledge_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = selectors.pledge_for_change(viewer=request.user, pk=pk)
    services.withdraw_pledge(actor=request.user, pledge=pledge)
    messages.success(request, _("The pledge is withdrawn; your time is free again."))
    return redirect(request.POST.get("next") or pledge.get_absolute_url())


# ---------------------------------------------------------------- challenges


@allowed("initiatives.browse")
def challenge_list(request: HttpRequest) -> HttpResponse:
    form = ChallengeFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = selectors.challenge_page(viewer=request.user, page=request.GET.get("page"), **filters)
    context = {"form": form, "page": page, "items": page.object_list, "is_filtered": bool(filters) and form.is_filtered}
    template = "initiatives/challenge_list.html#results" if is_partial(request) else "initiatives/challenge_list.html"
    return render(request, template, context)


@allowed("initiatives.add_challenge")
def challenge_create(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            challenge = services.raise_challenge(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge raised. Colleagues can now upvote and comment."))
            return redirect(challenge)
    return render(request, "initiatives/challenge_form.html", {"form": form})


@allowed("initiatives.browse")
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.editable_challenge(viewer=request.user, pk=pk)
    initial = {f: getattr(challenge, f) for f in ("title", "pillar", "affected", "description", "version")}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_challenge(
                actor=request.user, challenge=challenge, version=form.cleaned_data["version"] or 0, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge saved."))
            return redirect(challenge)
    return render(request, "initiatives/challenge_form.html", {"form": form, "challenge": challenge})


@allowed("initiatives.browse")
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    return _challenge_page(request, challenge)


def _challenge_page(request: HttpRequest, challenge: Challenge, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "challenge": challenge,
        "comments": list(challenge.comments.all()),
        "initiatives": list(challenge.initiatives.all()),
        "can_change": request.user.has_perm("initiatives.change_challenge", challenge),
        "can_manage": request.user.has_perm("initiatives.manage"),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
        "merge_form": forms.get("merge_form") or MergeForm(challenge=challenge, prefix="merge"),
    }
    return render(request, "initiatives/challenge_detail.html", context, status=status)


@require_POST
@allowed("initiatives.browse")
def challenge_vote(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    voted = services.toggle_vote(actor=request.user, challenge=challenge)
    challenge.has_voted = voted  # type: ignore[attr-defined]
    if is_partial(request):
        return render(request, "initiatives/challenge_detail.html#vote", {"challenge": challenge})
    return redirect(request.POST.get("next") or challenge.get_absolute_url())


@require_POST
@allowed("initiatives.browse")
def challenge_comment(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_challenge(actor=request.user, challenge=challenge, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("initiatives:challenge", args=[challenge.pk]) + "#comments")
    return _challenge_page(request, challenge, comment_form=form, status=422)


@require_POST
@allowed("initiatives.manage")
def challenge_decline(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            services.decline_challenge(actor=request.user, challenge=challenge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge declined; its author is told why."))
            return redirect(challenge)
    return _challenge_page(request, challenge, decline_form=form, status=422)


@require_POST
@allowed("initiatives.manage")
def challenge_merge(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    form = MergeForm(request.POST, challenge=challenge, prefix="merge")
    if form.is_valid():
        try:
            services.merge_challenge(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge merged; its upvotes moved along."))
            return redirect(challenge)
    return _challenge_page(request, challenge, merge_form=form, status=422)


# ---------------------------------------------------------------- planner


def _horizon(request: HttpRequest) -> int:
    raw = request.GET.get("weeks", "")
    weeks = int(raw) if raw.isdigit() else planner.DEFAULT_HORIZON_WEEKS
    return max(MIN_WEEKS, min(MAX_WEEKS, weeks))


def _chart_data(plan: planner.Plan) -> dict[str, Any]:
    return {
        "labels": [planner.short_date(week) for week in plan.weeks],
        "demand": [round(w.demand / 60, 1) for w in plan.week_loads],
        "pledged": [round(w.pledged / 60, 1) for w in plan.week_loads],
        "capacity": [round(w.capacity / 60, 1) for w in plan.week_loads],
        "series": {
            "demand": _("Needed by initiatives"),
            "pledged": _("Pledged"),
            "capacity": _("Volunteers' time"),
            "axis": _("Hours per week"),
        },
    }


@allowed("initiatives.browse")
def planner_view(request: HttpRequest) -> HttpResponse:
    """The capacity plan; GET parameters try a what-if (a volunteer joins, an estimate changes) without saving."""
    weeks = _horizon(request)
    baseline, inputs = selectors.capacity_plan(horizon_weeks=weeks)
    rows = [inputs.rows[item.id] for item in baseline.initiatives]
    form = WhatIfForm(request.GET if "initiative" in request.GET else None, initiatives=rows)
    what_if = form.what_if()
    plan = baseline
    if what_if is not None:
        plan, _inputs = selectors.capacity_plan(horizon_weeks=weeks, what_if=what_if)
    pillar_names = {p.pk: p for p in inputs.pillars}
    items = [
        {
            "plan": item,
            "row": inputs.rows[item.id],
            "pillar": pillar_names.get(item.pillar_id),
            "before": baseline.initiative(item.id),
        }
        for item in plan.initiatives
    ]
    pillar_rows = [
        {"pillar": pillar_names[pk], "load": load} for pk, load in plan.pillar_loads.items() if pk in pillar_names
    ]
    can_manage = request.user.has_perm("initiatives.manage")
    context = {
        "plan": plan,
        "items": items,
        "pillar_rows": pillar_rows,
        "weeks": weeks,
        "form": form,
        "what_if": what_if,
        "what_if_row": inputs.rows.get(what_if.initiative_id) if what_if else None,
        "chart": _chart_data(plan),
        "can_manage": can_manage,
        "volunteer_count": len(inputs.volunteers),
        "overwork": selectors.overwork_signals() if can_manage else [],
        "single": selectors.single_person_signals() if can_manage else [],
        "reason_form": ReasonForm(prefix="deprioritise"),
    }
    return render(request, "initiatives/planner.html", context)


@require_POST
@allowed("initiatives.manage")
def planner_deprioritise(request: HttpRequest, pk: int) -> HttpResponse:
    """The planner's first remedy: set a too-ambitious initiative aside, with a reason."""
    initiative = selectors.editable_initiative(viewer=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="deprioritise")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.move_initiative(
            actor=request.user,
            initiative=initiative,
            status=InitiativeStatus.DEPRIORITISED,
            version=initiative.version,
            reason=reason,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is deprioritised; its volunteers' time is free again.") % {"title": initiative.title},
        )
    return redirect(reverse("initiatives:planner"))


@require_POST
@allowed("initiatives.manage")
def planner_reprioritise(request: HttpRequest, pk: int) -> HttpResponse:
    """Moves an initiative up or down the plan's priority order, refusing a stale version."""
    initiative = selectors.editable_initiative(viewer=request.user, pk=pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to move it up or down."))
    else:
        try:
            services.reprioritise_initiative(
                actor=request.user,
                initiative=initiative,
                version=form.cleaned_data["version"],
                up=form.cleaned_data["direction"] == "up",
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("“%(title)s” is now #%(rank)s in the plan.") % {"title": initiative.title, "rank": initiative.rank},
            )
    weeks = request.POST.get("weeks", "")
    url = reverse("initiatives:planner")
    if weeks.isdigit():
        url += f"?weeks={weeks}"
    return redirect(f"{url}#plan-{initiative.pk}")


# ---------------------------------------------------------------- my commitments


@allowed("initiatives.browse")
def my_commitments(request: HttpRequest) -> HttpResponse:
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_absence(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Absence declared: the planner counts you out for those days."))
            return redirect("initiatives:mine")
    member = selectors.member_of(user=request.user)
    pledges = list(selectors.commitments(user=request.user))
    day = selectors.today()
    rows: list[dict[str, Any]] = []
    dues = [selectors.next_check_in_due(pledge) for pledge in pledges]
    for pledge, due in zip(pledges, dues, strict=True):
        promised = selectors.pledged_minutes_between(pledge, end=day)
        rows.append({"pledge": pledge, "promised": promised, "due": due, "overdue": due <= day})
    current = sum(p.minutes_per_week for p in pledges if p.start <= day)
    led = selectors.initiatives(viewer=request.user).filter(lead=request.user.pk)
    context = {
        "member": member,
        "rows": rows,
        "current_minutes": current,
        "free_minutes": max(0, (member.weekly_minutes if member else 0) - current),
        "absences": selectors.absences(user=request.user),
        "absence_form": form,
        "led": led,
        "next_due": min(dues, default=None),
    }
    return render(request, "initiatives/my_commitments.html", context, status=422 if form.errors else 200)


@require_POST
@allowed("initiatives.browse")
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.absence_for(viewer=request.user, pk=pk)
    services.delete_absence(actor=request.user, absence=absence)
    messages.success(request, _("Absence removed."))
    return redirect("initiatives:mine")


# ---------------------------------------------------------------- home


def home_section(request: HttpRequest) -> Section | None:
    """For volunteers: their commitments and the next check-in due."""
    if not request.user.has_perm("initiatives.volunteer"):
        return None
    pledges = list(selectors.commitments(user=request.user)[:5])
    day = selectors.today()
    dues = [selectors.next_check_in_due(p) for p in pledges]
    rows = [{"pledge": p, "due": due, "overdue": due <= day} for p, due in zip(pledges, dues, strict=True)]
    context = {"rows": rows, "next_due": min(dues, default=None), "today": day}
    return Section(template="initiatives/_home_section.html", context=context, position=40)


def member_section(request: HttpRequest, member: Any) -> Section | None:
    """On a member's page: the initiatives they lead or pledged time to (the seed of the contribution ledger)."""
    if not request.user.has_perm("initiatives.browse"):
        return None
    initiatives = list(selectors.contributions_for(member=member)[:10])
    return Section(
        template="initiatives/_member_contributions.html",
        context={"initiatives": initiatives, "member": member},
        position=40,
    )
