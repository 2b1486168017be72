"""Learning paths: steps, enrolment, certificates, path editing and buddies."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, error_text
from guilde.learning import selectors, services
from guilde.learning.forms import (
    BuddyForm,
    EnrolPeopleForm,
    PathForm,
    StepForm,
)
from guilde.learning.models import Enrolment, Step
from guilde.learning.views._common import allowed

# Paths ---------------------------------------------------------------------------------------


@allowed("learning.learn")
def path_list(request: HttpRequest) -> HttpResponse:
    paths = list(selectors.paths_for(viewer=request.user))
    for path in paths:
        path.percent = selectors.progress_percent(path.my_completed_steps, path.step_count)  # type: ignore[attr-defined]
    return render(request, "learning/path_list.html", {"paths": paths})


@allowed("learning.learn")
def path_detail(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    enrolment = selectors.enrolment_of(user=request.user, path=path)
    done = selectors.completions_of(enrolment=enrolment) if enrolment else {}
    steps = list(path.steps.all())
    rows = [{"step": step, "done": done.get(step.pk)} for step in steps]
    next_step = next((row["step"] for row in rows if not row["done"]), None)
    context = {
        "path": path,
        "enrolment": enrolment,
        "rows": rows,
        "next_step": next_step,
        "percent": selectors.progress_percent(len(done), len(steps)),
        "percent_step": 5 * round(20 * len(done) / len(steps)) if steps else 0,
        "can_report": request.user.has_perm("learning.view_path_reports"),
        "can_edit": request.user.has_perm("learning.change_path", path),
        "feedback_url": "/feedback/",
    }
    return render(request, "learning/path_detail.html", context)


@require_POST
@allowed("learning.learn")
def path_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    try:
        services.enrol(actor=request.user, path=path)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("You are enrolled. Take the first step when you have a moment."))
    return redirect(path)


@require_POST
@allowed("learning.learn")
def step_done(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for(viewer=request.user, pk=pk)
    enrolment = selectors.enrolment_of(user=request.user, path=path)
    step = get_object_or_404(Step, pk=step_pk, path=path)
    if enrolment is None:
        raise Http404
    try:
        enrolment = services.complete_step(actor=request.user, enrolment=enrolment, step=step)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(path)
    if enrolment.completed_at is not None:
        messages.success(request, _("Path complete. Well done!"))
        return redirect("learning:certificate", pk=enrolment.pk)
    return redirect(f"{reverse('learning:path', args=[path.pk])}#step-{step.pk}")


@allowed("learning.learn")
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(viewer=request.user, pk=pk)
    if enrolment.completed_at is None:
        raise Http404
    return render(request, "learning/certificate.html", {"enrolment": enrolment})


@allowed("learning.see_newcomers")
def enrolment_buddy(request: HttpRequest, pk: int) -> HttpResponse:
    """A newcomer's buddy: the choice among every member (GET), saved from the newcomers' overview (POST)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("user", "path", "buddy"), pk=pk)
    if request.method != "POST":
        form = BuddyForm(initial={"buddy": enrolment.buddy_id})
        buddies = form.fields["buddy"]
        buddies.queryset = buddies.queryset.exclude(pk=enrolment.user_id)  # type: ignore[attr-defined]
        return render(request, "learning/enrolment_buddy.html", {"enrolment": enrolment, "form": form})
    form = BuddyForm(request.POST)
    if form.is_valid():
        try:
            services.set_buddy(actor=request.user, enrolment=enrolment, buddy=form.cleaned_data["buddy"])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Buddy saved: they have been told."))
    return redirect("learning:onboarding")


# Path editing (product ops) -------------------------------------------------------------------


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@allowed("learning.manage_paths")
def path_create(request: HttpRequest) -> HttpResponse:
    form = PathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            path = services.create_path(actor=request.user, data=form.path_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The path is created. Now add its steps."))
            return redirect("learning:path_edit", pk=path.pk)
    return render(request, "learning/path_form.html", {"form": form, "path": None})


@allowed("learning.manage_paths")
def path_edit(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    form = PathForm(request.POST or None, instance=path)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_path(
                actor=request.user, path=path, data=form.path_data(), version=form.cleaned_data.get("version")
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The path is saved."))
            return redirect("learning:path_edit", pk=path.pk)
    steps = list(path.steps.all())
    return render(request, "learning/path_form.html", {"form": form, "path": path, "steps": steps})


def _step_form_page(request: HttpRequest, path: Any, step: Step | None) -> HttpResponse:
    form = StepForm(request.POST or None, instance=step, path_version=path.version)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            if step is None:
                services.add_step(actor=request.user, path=path, data=form.step_data(), version=version)
            else:
                services.update_step(actor=request.user, step=step, data=form.step_data(), version=version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step is saved."))
            return redirect("learning:path_edit", pk=path.pk)
    return render(request, "learning/step_form.html", {"form": form, "path": path, "step": step})


@allowed("learning.manage_paths")
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    return _step_form_page(request, path, None)


@allowed("learning.manage_paths")
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    step = get_object_or_404(Step, pk=step_pk, path=path)
    return _step_form_page(request, path, step)


@require_POST
@allowed("learning.manage_paths")
def step_move(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    step = get_object_or_404(Step.objects.select_related("path"), pk=step_pk, path=path)
    try:
        services.move_step(
            actor=request.user, step=step, direction=request.POST.get("direction", ""), version=_version(request)
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    # Back to the same button, so a keyboard user can keep moving the step.
    return redirect(f"{reverse('learning:path_edit', args=[path.pk])}#step-{step.pk}")


@require_POST
@allowed("learning.manage_paths")
def step_remove(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    step = get_object_or_404(Step.objects.select_related("path"), pk=step_pk, path=path)
    try:
        services.remove_step(actor=request.user, step=step, version=_version(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The step is removed."))
    return redirect("learning:path_edit", pk=path.pk)


@allowed("learning.manage_paths")
def path_enrol_people(request: HttpRequest, pk: int) -> HttpResponse:
    path = selectors.path_for_editing(viewer=request.user, pk=pk)
    form = EnrolPeopleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.enrol_people(
                actor=request.user,
                path=path,
                users=list(form.cleaned_data["users"]),
                team=form.cleaned_data["team"],
                role_family=form.cleaned_data["role_family"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d person enrolled.", "%(count)d people enrolled.", count) % {"count": count},
            )
            return redirect("learning:path_edit", pk=path.pk)
    return render(request, "learning/path_enrol.html", {"form": form, "path": path})


# Buddies -------------------------------------------------------------------------------------


@allowed("learning.be_buddy")
def buddy(request: HttpRequest) -> HttpResponse:
    rows = selectors.buddy_queue(viewer=request.user)
    context = {"rows": rows, "pending": sum(len(row.pending) for row in rows)}
    return render(request, "learning/buddy.html", context)


@require_POST
@allowed("learning.be_buddy")
def buddy_confirm(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for_buddy(viewer=request.user, pk=pk)
    step = get_object_or_404(Step, pk=step_pk, path_id=enrolment.path_id)
    try:
        services.confirm_step(actor=request.user, enrolment=enrolment, step=step)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Confirmed: %(step)s for %(name)s.") % {"step": step.title, "name": enrolment.user.full_name},
        )
    return redirect("learning:buddy")
