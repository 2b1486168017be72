"""Product ops' settings: the useful-feedback definition, SLAs, weights, rubric, areas and segments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guilde.core.concurrency import ConcurrentEditError
from guilde.core.viewhelpers import add_service_errors, allowed, error_text
from guilde.feedback import selectors, services
from guilde.feedback.forms import AreaForm, CriterionForm, PolicyForm, SegmentForm
from guilde.feedback.models import ProductArea, QualityCriterion, Segment
from guilde.feedback.views.common import actor

SETTINGS = "feedback/settings.html"
ITEM = "feedback/settings_item.html"


def _context(policy_form: PolicyForm, **extra: Any) -> dict[str, Any]:
    return {
        "policy_form": policy_form,
        "criteria": selectors.rubric(),
        "areas": selectors.product_areas(include_archived=True),
        "segments": selectors.segments(),
        **extra,
    }


@allowed("feedback.configure")
def settings_page(request: HttpRequest) -> HttpResponse:
    policy = selectors.get_policy()
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(policy))
    status = 200
    extra: dict[str, Any] = {}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_policy(
                    actor=actor(request), version=form.cleaned_data["version"], **form.policy_fields()
                )
            except ValidationError as error:
                if isinstance(error, ConcurrentEditError):
                    extra["conflict"] = error_text(error)
                    form = PolicyForm(initial=PolicyForm.initial_for(selectors.get_policy()))
                    status = 409
                else:
                    add_service_errors(form, error)
            else:
                messages.success(request, _("Settings saved. Scores are being recomputed in the background."))
                return redirect("feedback:settings")
    return render(request, SETTINGS, _context(form, **extra), status=status)


KINDS: dict[str, Any] = {
    "criterion": (
        QualityCriterion,
        CriterionForm,
        services.save_criterion,
        "criterion",
        gettext_lazy("Add a criterion"),
    ),
    "area": (ProductArea, AreaForm, services.save_product_area, "area", gettext_lazy("Add a product area")),
    "segment": (Segment, SegmentForm, services.save_segment, "segment", gettext_lazy("Add a segment")),
}


@allowed("feedback.configure")
def settings_item(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Adds or edits one rubric criterion, product area or segment."""
    if kind not in KINDS:
        raise Http404
    model, form_class, save, arg, add_title = KINDS[kind]
    obj = get_object_or_404(model, pk=pk) if pk else None
    initial = {name: getattr(obj, name) for name in form_class.base_fields} if obj else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=actor(request), **{arg: obj}, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("feedback:settings")
    context = {"form": form, "obj": obj, "kind": kind, "add_title": add_title}
    return render(request, ITEM, context, status=400 if request.method == "POST" else 200)


@require_POST
@allowed("feedback.configure")
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(QualityCriterion, pk=pk)
    services.delete_criterion(actor=actor(request), criterion=criterion)
    messages.success(request, _("Criterion “%(label)s” deleted.") % {"label": criterion.label})
    return redirect("feedback:settings")
