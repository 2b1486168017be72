"""Opportunities ranked by their explainable priority score, and the roadmap."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.feedback import selectors, services
from guilde.feedback.enums import ROADMAP_COLUMNS, OpportunityStatus
from guilde.feedback.forms import OpportunityEditForm, OpportunityForm, RoadmapStatusForm, ShipForm
from guilde.feedback.models import Opportunity
from guilde.feedback.rules import can_triage, is_product_side
from guilde.feedback.views.common import actor, add_service_errors, allowed, conflict_message, is_conflict, is_partial

LIST = "feedback/opportunities.html"
DETAIL = "feedback/opportunity.html"
DRIVERS = ("accounts", "arr", "segments", "recency", "strategic_fit")


def breakdown_rows(opportunity: Opportunity) -> list[dict[str, Any]]:
    """The score's drivers, each with its points and a 5 %-step width for the stacked bar."""
    drivers = (opportunity.score_breakdown or {}).get("drivers", {})
    rows = []
    for key in DRIVERS:
        line = drivers.get(key)
        if not line:
            continue
        points = float(line.get("points") or 0)
        rows.append({"key": key, **line, "points": points, "step": min(100, round(points / 5) * 5)})
    return rows


@allowed("feedback.view_roadmap")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    try:
        area = int(request.GET.get("area") or 0) or None
    except ValueError:
        area = None
    q = request.GET.get("q", "")[:200]
    product_side = is_product_side(request.user)
    rows = list(selectors.opportunity_ranking(viewer=request.user, status=status, area=area, q=q))
    items = [{"o": o, "drivers": breakdown_rows(o) if product_side else []} for o in rows]
    context = {
        "items": items,
        "status": status,
        "area": area,
        "q": q,
        "areas": selectors.product_areas(),
        "statuses": OpportunityStatus.choices,
        "product_side": product_side,
        "can_triage": can_triage(request.user),
        "is_filtered": bool(status or area or q),
    }
    if is_partial(request):
        return render(request, f"{LIST}#results", context)
    if context["can_triage"]:
        context["create_form"] = OpportunityForm()
    return render(request, LIST, context)


@require_POST
@allowed("feedback.triage")
def opportunity_create(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST)
    if form.is_valid():
        try:
            opportunity = services.create_opportunity(actor=actor(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Opportunity “%(title)s” created.") % {"title": opportunity.title})
            return redirect(opportunity)
    context = {
        "items": [],
        "areas": selectors.product_areas(),
        "statuses": OpportunityStatus.choices,
        "create_form": form,
        "can_triage": True,
        "product_side": True,
    }
    return render(request, LIST, context, status=400)


def _detail_context(request: HttpRequest, opportunity: Opportunity, **extra: Any) -> dict[str, Any]:
    product_side = is_product_side(request.user)
    triage = can_triage(request.user)
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "product_side": product_side,
        "can_triage": triage,
        "drivers": breakdown_rows(opportunity) if product_side else [],
        "linked": selectors.linked_feedback(viewer=request.user, opportunity=opportunity),
        "policy": selectors.get_policy(),
    }
    if triage:
        initial = {
            "title": opportunity.title,
            "description": opportunity.description,
            "product_area": opportunity.product_area_id,
            "strategic_fit": opportunity.strategic_fit,
            "effort": opportunity.effort,
            "release_note": opportunity.release_note,
            "version": opportunity.version,
        }
        context["edit_form"] = extra.get("edit_form") or OpportunityEditForm(initial=initial)
        context["roadmap_form"] = extra.get("roadmap_form") or RoadmapStatusForm(
            initial={"status": opportunity.status, "version": opportunity.version}
        )
        if opportunity.status != OpportunityStatus.SHIPPED:
            context["ship_form"] = extra.get("ship_form") or ShipForm(
                initial={"release_note": opportunity.release_note, "version": opportunity.version}
            )
    if "conflict" in extra:
        context["conflict"] = extra["conflict"]
    return context


@allowed("feedback.view_roadmap")
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for(viewer=request.user, pk=pk)
    return render(request, DETAIL, _detail_context(request, opportunity))


def _error(request: HttpRequest, pk: int, error: ValidationError, name: str, form: Any) -> HttpResponse:
    fresh = selectors.opportunity_for(viewer=request.user, pk=pk)
    if is_conflict(error):
        return render(request, DETAIL, _detail_context(request, fresh, conflict=conflict_message(error)), status=409)
    add_service_errors(form, error)
    return render(request, DETAIL, _detail_context(request, fresh, **{name: form}), status=400)


@require_POST
@allowed("feedback.triage")
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for(viewer=request.user, pk=pk)
    form = OpportunityEditForm(request.POST)
    if not form.is_valid():
        return render(request, DETAIL, _detail_context(request, opportunity, edit_form=form), status=400)
    fields = dict(form.cleaned_data)
    version = fields.pop("version")
    try:
        opportunity = services.update_opportunity(
            actor=actor(request), opportunity=opportunity, version=version, **fields
        )
    except ValidationError as error:
        return _error(request, pk, error, "edit_form", form)
    messages.success(request, _("Saved. The priority score is %(score)s.") % {"score": opportunity.priority_score})
    return redirect(opportunity)


@require_POST
@allowed("feedback.triage")
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Moves an opportunity to a roadmap column (from its page or from the roadmap's cards)."""
    opportunity = selectors.opportunity_for(viewer=request.user, pk=pk)
    form = RoadmapStatusForm(request.POST)
    back = request.POST.get("next") == "roadmap"
    if not form.is_valid():
        return render(request, DETAIL, _detail_context(request, opportunity, roadmap_form=form), status=400)
    try:
        opportunity = services.set_roadmap_status(
            actor=actor(request),
            opportunity=opportunity,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        if back:
            messages.error(request, " ".join(error.messages))
            return redirect("feedback:roadmap")
        return _error(request, pk, error, "roadmap_form", form)
    messages.success(
        request,
        _("“%(title)s” is now in %(column)s.")
        % {"title": opportunity.title, "column": OpportunityStatus(opportunity.status).label},
    )
    return redirect("feedback:roadmap" if back else opportunity)


@require_POST
@allowed("feedback.triage")
def opportunity_ship(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for(viewer=request.user, pk=pk)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return render(request, DETAIL, _detail_context(request, opportunity, ship_form=form), status=400)
    try:
        opportunity = services.ship_opportunity(
            actor=actor(request),
            opportunity=opportunity,
            version=form.cleaned_data["version"],
            release_note=form.cleaned_data["release_note"],
        )
    except ValidationError as error:
        return _error(request, pk, error, "ship_form", form)
    messages.success(request, _("Shipped. Everyone who asked for it is being told."))
    return redirect(opportunity)


@allowed("feedback.view_roadmap")
def roadmap(request: HttpRequest) -> HttpResponse:
    columns = selectors.roadmap(viewer=request.user)
    context = {
        "columns": [(OpportunityStatus(key), columns[key]) for key in ROADMAP_COLUMNS],
        "product_side": is_product_side(request.user),
        "can_triage": can_triage(request.user),
        "move_choices": [(v, label) for v, label in OpportunityStatus.choices if v != OpportunityStatus.SHIPPED],
        "is_empty": not any(columns.values()),
    }
    return render(request, "feedback/roadmap.html", context)
