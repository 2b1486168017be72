"""The capacity planner and product ops' priority moves."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import allowed, error_text
from guilde.initiatives import planner, selectors, services
from guilde.initiatives.enums import InitiativeStatus
from guilde.initiatives.forms import (
    PriorityForm,
    ReasonForm,
    WhatIfForm,
)

MIN_WEEKS, MAX_WEEKS = 4, 26
# The plan is paged and the side lists are cut: a large community plans hundreds of initiatives
# and has hundreds of volunteers with free time.
PLAN_PAGE_SIZE = 20
SIDE_LIST_SIZE = 20


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
    # The plan as it stands is stored (remedies for every initiative); a what-if is planned from the
    # inputs, with remedies down to the end of the page shown (each takes from those before it).
    can_manage = request.user.has_perm("initiatives.manage")
    current = selectors.stored_plan(horizon_weeks=weeks, care=can_manage)
    baseline, rows_by_id = current.plan, current.rows
    rows = [rows_by_id[item.id] for item in baseline.initiatives]
    form = WhatIfForm(request.GET if "initiative" in request.GET else None, initiatives=rows)
    what_if = form.what_if()
    plan = baseline
    if what_if is not None:
        number = request.GET.get("page", "")
        shown_until = (int(number) if number.isdigit() and int(number) > 0 else 1) * PLAN_PAGE_SIZE
        plan, inputs = selectors.capacity_plan(horizon_weeks=weeks, what_if=what_if, remedies_until=shown_until)
        rows_by_id = {**rows_by_id, **inputs.rows}
    pillar_names = {p.pk: p for p in current.pillars}
    before = {item.id: item for item in baseline.initiatives}
    page = Paginator(plan.initiatives, PLAN_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "plan": item,
            "row": rows_by_id[item.id],
            "pillar": pillar_names.get(item.pillar_id),
            "before": before.get(item.id),
        }
        for item in page.object_list
    ]
    pillar_rows = [
        {"pillar": pillar_names[pk], "load": load} for pk, load in plan.pillar_loads.items() if pk in pillar_names
    ]
    overwork, single = current.overwork, current.single
    context = {
        "plan": plan,
        "page": page,
        "items": items,
        "initiative_count": len(plan.initiatives),
        "pillar_rows": pillar_rows,
        "weeks": weeks,
        "form": form,
        "what_if": what_if,
        "what_if_row": rows_by_id.get(what_if.initiative_id) if what_if else None,
        "chart": _chart_data(plan),
        "can_manage": can_manage,
        "volunteer_count": current.volunteer_count,
        "free_volunteers": plan.free_volunteers[:SIDE_LIST_SIZE],
        "more_free": max(0, len(plan.free_volunteers) - SIDE_LIST_SIZE),
        "overwork": overwork[:SIDE_LIST_SIZE],
        "single": single[:SIDE_LIST_SIZE],
        "more_care": max(0, len(overwork) - SIDE_LIST_SIZE) + max(0, len(single) - SIDE_LIST_SIZE),
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
    # Back to the page of the plan the button was on, with the same horizon.
    query = {key: value for key in ("weeks", "page") if (value := request.POST.get(key, "")).isdigit()}
    if query.get("page") == "1":
        del query["page"]
    url = reverse("initiatives:planner")
    if query:
        url += "?" + urlencode(query)
    return redirect(f"{url}#plan-{initiative.pk}")
