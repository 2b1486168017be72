"""Helpers shared by the initiatives views."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guilde.initiatives import selectors
from guilde.initiatives.enums import PLEDGEABLE
from guilde.initiatives.forms import (
    CheckInForm,
    MoveForm,
    PledgeForm,
)


def _detail(request: HttpRequest, initiative: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    day = selectors.today()
    pledges = list(initiative.pledges.all())
    live = [p for p in pledges if p.end >= day]
    plan_row = None
    if initiative.status in ("planned", "in_progress"):
        # The stored plan (computed once per change): computing it here cost ~60 ms at enterprise scale.
        plan_row = selectors.stored_plan().plan.initiative(initiative.pk)
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
