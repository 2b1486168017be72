"""Pledging time, checking in and withdrawing a pledge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, allowed
from guilde.initiatives import selectors, services
from guilde.initiatives.forms import (
    CheckInForm,
    PledgeForm,
)
from guilde.initiatives.views._common import _detail


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
