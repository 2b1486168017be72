"""Initiative pages: list, create, detail, edit, move, archive, delete."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.initiatives import selectors, services
from guilde.initiatives.enums import InitiativeStatus
from guilde.initiatives.forms import (
    InitiativeFilterForm,
    InitiativeForm,
    MoveForm,
)
from guilde.initiatives.models import Challenge
from guilde.initiatives.views._common import _detail
from guilde.initiatives.views.boards import _board_context


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
