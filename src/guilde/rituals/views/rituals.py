from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guilde.core.viewhelpers import add_service_errors, allowed
from guilde.rituals import selectors, services
from guilde.rituals.forms import (
    RitualForm,
)
from guilde.rituals.views._common import _manageable_ritual


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
