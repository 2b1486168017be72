"""Opportunities ranked by their explainable priority score, and the roadmap."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guilde.core.concurrency import ConcurrentEditError
from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.feedback import selectors, services
from guilde.feedback.enums import ROADMAP_COLUMNS, OpportunityStatus
from guilde.feedback.forms import OpportunityEditForm, OpportunityForm, RoadmapStatusForm, ShipForm
from guilde.feedback.models import Opportunity
from guilde.feedback.rules import can_triage, is_product_side
from guilde.feedback.views.common import actor, render_service_error

LIST = "feedback/opportunities.html"
DETAIL = "feedback/opportunity.html"
ROADMAP = "feedback/roadmap.html"
DRIVERS = ("accounts", "arr", "segments", "recency", "strategic_fit")
EXPORT_LIMIT = 10_000
# Where a roadmap card can be moved (shipping goes through its page, with the answer to customers).
MOVE_CHOICES = [(v, label) for v, label in OpportunityStatus.choices if v != OpportunityStatus.SHIPPED]


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


def _filters(request: HttpRequest) -> tuple[str, int | None, str]:
    """(status, area, words) from the list's query string; bad values mean "any"."""
    try:
        area = int(request.GET.get("area") or 0) or None
    except ValueError:
        area = None
    return request.GET.get("status", ""), area, request.GET.get("q", "")[:200]


@allowed("feedback.view_roadmap")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    status, area, q = _filters(request)
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


@require_GET
@allowed("feedback.view_roadmap")
def opportunity_export(request: HttpRequest) -> HttpResponse:
    """The filtered ranking as CSV; the figures (score, accounts, ARR) only for the product side."""
    status, area, q = _filters(request)
    product_side = is_product_side(request.user)
    rows = selectors.opportunity_ranking(viewer=request.user, status=status, area=area, q=q, limit=EXPORT_LIMIT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="opportunities-{timezone.localdate().isoformat()}.csv"'
    writer = csv.writer(response)
    header = [_("Rank"), _("Title"), _("Status"), _("Product area"), _("Feedbacks")]
    if product_side:
        header += [_("Priority score"), _("Accounts"), _("ARR at stake")]
    writer.writerow(header)
    for rank, o in enumerate(rows, start=1):
        line = [rank, o.title, OpportunityStatus(o.status).label, o.product_area.name if o.product_area else ""]
        line.append(o.feedback_count)
        if product_side:
            line += [o.priority_score, o.account_count, o.arr_at_stake]
        writer.writerow(line)
    return response


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
    return render_service_error(
        request, DETAIL, lambda **extra: _detail_context(request, fresh, **extra), error, name, form
    )


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
        if back:
            messages.error(request, _("Reload the roadmap, then move the card again."))
            return redirect("feedback:roadmap")
        return render(request, DETAIL, _detail_context(request, opportunity, roadmap_form=form), status=400)
    try:
        opportunity = services.set_roadmap_status(
            actor=actor(request),
            opportunity=opportunity,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        if not back:
            return _error(request, pk, error, "roadmap_form", form)
        if isinstance(error, ConcurrentEditError):
            return render(request, ROADMAP, _roadmap_context(request, conflict=error_text(error)), status=409)
        messages.error(request, error_text(error))
        return redirect("feedback:roadmap")
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


def _roadmap_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    columns = selectors.roadmap(viewer=request.user)
    return {
        "columns": [(OpportunityStatus(key), columns[key]) for key in ROADMAP_COLUMNS],
        "product_side": is_product_side(request.user),
        "can_triage": can_triage(request.user),
        "move_choices": MOVE_CHOICES,
        "is_empty": not any(column.total for column in columns.values()),
        **extra,
    }


def _after(request: HttpRequest) -> int | None:
    """The id of the card the next page starts after; anything else (a hand-edited URL) is none."""
    try:
        after = int(request.GET.get("after") or 0)
    except ValueError:
        return None
    return after if 0 < after < 2**63 else None


@allowed("feedback.view_roadmap")
def roadmap(request: HttpRequest) -> HttpResponse:
    """The four columns' first cards; with `?column=…&after=<id>`, the next cards of one column:
    appended in place by htmx ("Show 20 more"), or without JS a page of that column alone."""
    column = request.GET.get("column", "")
    if column not in ROADMAP_COLUMNS:
        return render(request, ROADMAP, _roadmap_context(request))
    partial = is_partial(request)
    # The appended cards need no total (the column's header stays); the column page shows it.
    total = None if partial else selectors.roadmap_totals().get(column, 0)
    cards = selectors.roadmap_column(viewer=request.user, status=column, after=_after(request), total=total)
    context = {
        "status": OpportunityStatus(column),
        "cards": cards,
        "loaded": partial,
        "product_side": is_product_side(request.user),
        "can_triage": can_triage(request.user),
        "move_choices": MOVE_CHOICES,
    }
    if partial:
        return render(request, f"{ROADMAP}#page", context)
    return render(request, ROADMAP, {**context, "column_page": True})
