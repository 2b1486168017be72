"""A volunteer's own commitments and absences."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, allowed
from guilde.initiatives import selectors, services
from guilde.initiatives.forms import (
    AbsenceForm,
)


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
