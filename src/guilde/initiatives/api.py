"""The initiatives API: /api/initiatives. Same selectors and services as the pages.

A module-level refusal (a stakeholder) is 403; an object the caller may not see or change is 404,
exactly like a missing one; bad input is 422 with one entry per field; a stale version is 409.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from guilde.core.concurrency import ConcurrentEditError
from guilde.initiatives import planner, selectors, services
from guilde.initiatives.models import Challenge
from guilde.initiatives.schemas import (
    CareOut,
    ChallengeFilters,
    ChallengeIn,
    ChallengeOut,
    CheckInIn,
    CheckInOut,
    ErrorOut,
    InitiativeFilters,
    InitiativeIn,
    InitiativeOut,
    InitiativePatch,
    MoveIn,
    PlanOut,
    PlanQuery,
    PledgeIn,
    PledgeOut,
    ValidationErrorOut,
)

router = Router()
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}


def _browse(request: HttpRequest) -> None:
    if not request.user.has_perm("initiatives.browse"):
        raise PermissionDenied


def _field_errors(error: ValidationError) -> dict[str, Any]:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
    return {
        "detail": [
            {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}
            for field, messages in items
            for message in messages
        ]
    }


def _call(fn: Any, ok_status: int = 200) -> Any:
    """Runs a service and turns its refusals into the API's status codes."""
    try:
        return ok_status, fn()
    except Http404:
        return 404, {"detail": "Not found."}
    except PermissionDenied:
        return 403, {"detail": "You may not do this."}
    except ConcurrentEditError as error:
        return 409, {"detail": " ".join(error.messages)}
    except ValidationError as error:
        return 422, _field_errors(error)


def _initiative(request: HttpRequest, pk: int) -> Any:
    _browse(request)
    return selectors.initiative_for(viewer=request.user, pk=pk)


def _pillar(pk: int) -> Any:
    pillar = selectors.pillars().filter(pk=pk).first()
    if pillar is None:
        raise ValidationError({"pillar_id": "Choose one of the community's pillars."})
    return pillar


# ---------------------------------------------------------------- challenges


@router.get("/challenges", response={200: list[ChallengeOut], 403: ErrorOut}, summary="List challenges")
@paginate(PageNumberPagination, page_size=selectors.PAGE_SIZE)
def list_challenges(request: HttpRequest, filters: Query[ChallengeFilters]) -> Any:
    """Most upvoted first."""
    _browse(request)
    return selectors.challenges(viewer=request.user, **filters.dict())


@router.post("/challenges", response={201: ChallengeOut, **ERRORS}, summary="Raise a challenge")
def raise_challenge(request: HttpRequest, payload: ChallengeIn) -> Any:
    def run() -> Challenge:
        _browse(request)
        data = payload.dict()
        return services.raise_challenge(actor=request.user, pillar=_pillar(data.pop("pillar_id")), **data)

    return _call(run, 201)


@router.get("/challenges/{int:challenge_id}", response={200: ChallengeOut, **ERRORS}, summary="One challenge")
def challenge_detail(request: HttpRequest, challenge_id: int) -> Any:
    def run() -> Challenge:
        _browse(request)
        return selectors.challenge_for(viewer=request.user, pk=challenge_id)

    return _call(run)


# ---------------------------------------------------------------- plan


@router.get("/plan", response={200: PlanOut, 403: ErrorOut}, summary="The capacity plan, or a what-if")
def capacity_plan(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    """Demand against volunteers' time per week and pillar, each initiative's fit, reason and remedies.

    With `initiative` and `add_minutes` or `estimate`, the plan is computed as if that changed; nothing is saved.
    """
    _browse(request)
    what_if = None
    if query.initiative is not None:
        what_if = planner.WhatIf(
            initiative_id=query.initiative, add_minutes_per_week=query.add_minutes, effort_hours=query.estimate
        )
    if what_if is None or what_if.is_empty:
        plan = selectors.stored_plan(horizon_weeks=query.weeks).plan  # computed once per change
    else:
        plan, _inputs = selectors.capacity_plan(horizon_weeks=query.weeks, what_if=what_if)
    return {
        "today": plan.today,
        "what_if": bool(what_if and not what_if.is_empty),
        "weeks": [
            {
                "start": w.start,
                "demand_minutes": w.demand,
                "pledged_minutes": w.pledged,
                "capacity_minutes": w.capacity,
                "free_minutes": w.free,
            }
            for w in plan.week_loads
        ],
        "pillars": [
            {"pillar_id": pk, "demand_minutes": load.demand, "pledged_minutes": load.pledged}
            for pk, load in plan.pillar_loads.items()
        ],
        "initiatives": [
            {
                "id": item.id,
                "title": item.title,
                "pillar_id": item.pillar_id,
                "priority": item.priority,
                "fits": item.fits,
                "needed_minutes": item.needed_minutes,
                "available_minutes": item.available_minutes,
                "target_date": item.target_date,
                "reason": item.reason,
                "split_minutes": item.split_minutes,
                "earliest_date": item.earliest_date,
                "suggestions": [
                    {
                        "member_id": s.member_id,
                        "name": s.name,
                        "free_minutes_per_week": s.free_minutes_per_week,
                        "minutes_by_target": s.minutes_by_target,
                        "matching_tags": list(s.matching_tags),
                    }
                    for s in item.suggestions
                ],
            }
            for item in plan.initiatives
        ],
    }


@router.get("/plan/care", response={200: CareOut, 403: ErrorOut}, summary="Volunteers and initiatives to look after")
def care_signals(request: HttpRequest) -> Any:
    """The planner's burnout signals (product ops): volunteers who spent much more than they pledged in
    3 of the last 4 full weeks, and active initiatives that rest on one person."""
    if not request.user.has_perm("initiatives.manage"):
        raise PermissionDenied
    return {
        "overwork": [
            {
                "member_id": s.member.pk,
                "name": s.member.user.full_name or s.member.user.email,
                "weeks_over": s.weeks,
                "spent_minutes": s.spent_minutes,
                "pledged_minutes": s.pledged_minutes,
            }
            for s in selectors.overwork_signals()
        ],
        "single_person": [
            {"initiative_id": s.initiative.pk, "title": s.initiative.title, "person": s.person}
            for s in selectors.single_person_signals()
        ],
    }


# ---------------------------------------------------------------- initiatives


@router.get("", response={200: list[InitiativeOut], 403: ErrorOut}, summary="List initiatives")
@paginate(PageNumberPagination, page_size=selectors.PAGE_SIZE)
def list_initiatives(request: HttpRequest, filters: Query[InitiativeFilters]) -> Any:
    """In priority order (rank, then target date)."""
    _browse(request)
    return selectors.initiatives(viewer=request.user, **filters.dict())


@router.post("", response={201: InitiativeOut, **ERRORS}, summary="Create an initiative")
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> Any:
    """Any community member proposes one (they lead it); with `challenge_id`, product ops accept that challenge."""

    def run() -> Any:
        _browse(request)
        data = payload.dict()
        challenge_id = data.pop("challenge_id")
        challenge = selectors.challenge_for(viewer=request.user, pk=challenge_id) if challenge_id else None
        return services.create_initiative(
            actor=request.user, challenge=challenge, pillar=_pillar(data.pop("pillar_id")), **data
        )

    return _call(run, 201)


@router.get("/{int:initiative_id}", response={200: InitiativeOut, **ERRORS}, summary="One initiative")
def initiative_detail(request: HttpRequest, initiative_id: int) -> Any:
    return _call(lambda: _initiative(request, initiative_id))


@router.patch("/{int:initiative_id}", response={200: InitiativeOut, **ERRORS}, summary="Update an initiative")
def update_initiative(request: HttpRequest, initiative_id: int, payload: InitiativePatch) -> Any:
    """Changes the fields sent; send the `version` you read. Only its lead, its creator and product ops."""

    def run() -> Any:
        _browse(request)
        initiative = selectors.editable_initiative(viewer=request.user, pk=initiative_id)
        data = payload.dict(exclude_unset=True)
        version = data.pop("version")
        return services.update_initiative(actor=request.user, initiative=initiative, version=version, **data)

    return _call(run)


@router.post("/{int:initiative_id}/move", response={200: InitiativeOut, **ERRORS}, summary="Change the status")
def move_initiative(request: HttpRequest, initiative_id: int, payload: MoveIn) -> Any:
    def run() -> Any:
        _browse(request)
        initiative = selectors.editable_initiative(viewer=request.user, pk=initiative_id)
        return services.move_initiative(actor=request.user, initiative=initiative, **payload.dict())

    return _call(run)


@router.get("/{int:initiative_id}/pledges", response={200: list[PledgeOut], **ERRORS}, summary="Its pledges")
def list_pledges(request: HttpRequest, initiative_id: int) -> Any:
    return _call(lambda: list(_initiative(request, initiative_id).pledges.all()))


@router.post("/{int:initiative_id}/pledges", response={201: PledgeOut, **ERRORS}, summary="Pledge my time")
def create_pledge(request: HttpRequest, initiative_id: int, payload: PledgeIn) -> Any:
    """Within your weekly community time; over-pledging is refused with 422 naming what you already pledged."""

    def run() -> Any:
        initiative = _initiative(request, initiative_id)
        return services.pledge(actor=request.user, initiative=initiative, **payload.dict())

    return _call(run, 201)


@router.delete("/pledges/{int:pledge_id}", response={204: None, **ERRORS}, summary="Withdraw a pledge")
def withdraw_pledge(request: HttpRequest, pledge_id: int) -> Any:
    def run() -> None:
        _browse(request)
        services.withdraw_pledge(
            actor=request.user, pledge=selectors.pledge_for_change(viewer=request.user, pk=pledge_id)
        )

    return _call(run, 204)


@router.get("/{int:initiative_id}/check-ins", response={200: list[CheckInOut], **ERRORS}, summary="Its check-ins")
def list_check_ins(request: HttpRequest, initiative_id: int) -> Any:
    return _call(lambda: list(_initiative(request, initiative_id).check_ins.all()))


@router.post("/{int:initiative_id}/check-ins", response={201: CheckInOut, **ERRORS}, summary="Check in")
def create_check_in(request: HttpRequest, initiative_id: int, payload: CheckInIn) -> Any:
    def run() -> Any:
        initiative = _initiative(request, initiative_id)
        if not request.user.has_perm("initiatives.check_in", initiative):
            raise Http404
        return services.check_in(actor=request.user, initiative=initiative, **payload.dict())

    return _call(run, 201)
