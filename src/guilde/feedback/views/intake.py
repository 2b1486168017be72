"""Submitting feedback, following one's own, and a feedback's page with its triage actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guilde.core.home import Section
from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.feedback import selectors, services
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.forms import DuplicateForm, FeedbackForm, LinkForm, StatusForm, SupportForm
from guilde.feedback.models import Feedback
from guilde.feedback.rules import can_triage, is_product_side
from guilde.feedback.views.common import actor, render_service_error

SUBMIT = "feedback/submit.html"
DETAIL = "feedback/detail.html"


@allowed("feedback.submit_feedback")
def landing(request: HttpRequest) -> HttpResponse:
    """The module's entry: triage for the product team, one's own submissions for the others."""
    if can_triage(request.user):
        return redirect("feedback:inbox")
    if is_product_side(request.user):
        return redirect("feedback:kpis")
    return redirect("feedback:mine")


# --- submitting ---------------------------------------------------------------------------


def _rubric_lines(score_missing: list[Any]) -> list[dict[str, Any]]:
    missing = {c.pk for c in score_missing}
    return [{"criterion": c, "met": c.pk not in missing} for c in selectors.rubric().filter(is_active=True)]


def _quality_context(request: HttpRequest, form: FeedbackForm, policy: Any) -> dict[str, Any]:
    fields = form.quality_kwargs()
    score, missing = services.preview_quality(**fields)
    lines = _rubric_lines(missing)
    if not lines:
        # Without a rubric nothing can be measured: 100 % would tell the submitter an empty form is useful.
        score = 0
    account = fields["account"]
    facts = None
    if account is not None and selectors.sees_confidential(request.user, account.owner_id):
        facts = selectors.account_for(viewer=request.user, pk=account.pk)
    return {
        "score": score,
        "score_step": min(100, round(score / 5) * 5),
        "bar": policy.quality_bar,
        "lines": lines,
        "has_rubric": bool(lines),
        "missing_count": sum(1 for line in lines if not line["met"]),
        "can_configure": request.user.has_perm("feedback.configure"),
        "account": account,
        "account_facts": facts,
    }


def _live(form: FeedbackForm) -> FeedbackForm:
    """Wires the live hints: similar feedback while typing, account look-up."""
    similar_attrs = {
        "hx-post": reverse("feedback:similar"),
        "hx-trigger": "keyup changed delay:300ms",
        "hx-target": "#similar-panel",
        "hx-swap": "outerHTML",
        "hx-include": "#id_title, #id_problem",
    }
    form.fields["title"].widget.attrs.update(similar_attrs)
    form.fields["problem"].widget.attrs.update(similar_attrs)
    form.fields["account_search"].widget.attrs.update(
        {
            "hx-get": reverse("feedback:account_search"),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#account-results",
            "hx-swap": "innerHTML",
            "aria-controls": "account-results",
        }
    )
    return form


@allowed("feedback.submit_feedback")
def submit(request: HttpRequest) -> HttpResponse:
    policy = selectors.get_policy()
    initial = {"language": (request.LANGUAGE_CODE or "en")[:2]}
    form = _live(FeedbackForm(request.POST or None, policy=policy, initial=initial))
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.submit_feedback(actor=actor(request), **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: your feedback is in (quality %(score)s%%). You will be told when it moves.")
                % {"score": feedback.quality_score},
            )
            return redirect(feedback)
    context = {"form": form, "policy": policy, **_quality_context(request, form, policy)}
    if request.method == "POST" and form.data.get("title"):
        context["similar"] = selectors.similar_feedback(
            viewer=request.user, text=f"{form.data.get('title', '')} {form.data.get('problem', '')}"
        )
    return render(request, SUBMIT, context, status=400 if request.method == "POST" else 200)


@require_POST
@allowed("feedback.submit_feedback")
def quality(request: HttpRequest) -> HttpResponse:
    """The live quality panel for the form being typed (and the account's facts, out of band)."""
    policy = selectors.get_policy()
    form = FeedbackForm(request.POST, policy=policy)
    context = {"form": form, "policy": policy, "oob": True, **_quality_context(request, form, policy)}
    return render(request, f"{SUBMIT}#quality", context)


@allowed("feedback.submit_feedback")
def similar(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    text = f"{data.get('title', '')} {data.get('problem', '')}".strip()
    items = selectors.similar_feedback(viewer=request.user, text=text) if len(text) >= 3 else []
    context = {"similar": items, "searched": bool(text), "policy": selectors.get_policy()}
    return render(request, f"{SUBMIT}#similar", context)


@require_GET
@allowed("feedback.submit_feedback")
def account_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("account_search", "") or request.GET.get("q", "")
    accounts = selectors.account_choices(request.user, q=q, limit=8) if q.strip() else []
    return render(request, f"{SUBMIT}#accounts", {"accounts": accounts, "q": q})


@require_POST
@allowed("feedback.submit_feedback")
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add my customer to this one" instead of filing a duplicate."""
    feedback = selectors.feedback_to_support(pk=pk)
    form = SupportForm(request.POST)
    error = ""
    supporter = None
    if form.is_valid():
        try:
            supporter = services.support_feedback(
                actor=actor(request),
                feedback=feedback,
                account=form.cleaned_data["account"],
                contact_name=form.cleaned_data["contact_name"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            error = error_text(exc)
    else:
        error = _("Choose the customer account or name the contact first.")
    context = {"feedback": feedback, "supporter": supporter, "error": error}
    if is_partial(request):
        return render(request, f"{SUBMIT}#supported", context, status=200 if supporter else 400)
    if supporter:
        messages.success(request, _("Your customer now backs “%(title)s”.") % {"title": feedback.title})
        return redirect("feedback:mine")
    messages.error(request, error)
    return redirect("feedback:submit")


# --- my submissions -----------------------------------------------------------------------


@allowed("feedback.submit_feedback")
def mine(request: HttpRequest) -> HttpResponse:
    page = selectors.my_submissions(viewer=request.user, cursor=request.GET.get("cursor", ""))
    items = selectors.attach_answers(page.items)
    context = {"page": page, "items": items, "policy": selectors.get_policy()}
    template = "feedback/mine.html#rows" if is_partial(request) and request.GET.get("cursor") else "feedback/mine.html"
    return render(request, template, context)


def home_section(request: HttpRequest) -> Section | None:
    user = request.user
    if not user.has_perm("feedback.submit_feedback"):
        return None
    context: dict[str, Any] = {"policy": selectors.get_policy()}
    if can_triage(user):
        context["counts"] = selectors.inbox_counts()
    else:
        context["items"] = selectors.my_submissions(viewer=user, page_size=5).items
    return Section(template="feedback/_home_section.html", context=context, position=20)


# --- one feedback -------------------------------------------------------------------------


def _detail_context(request: HttpRequest, feedback: Feedback, **forms: Any) -> dict[str, Any]:
    viewer = request.user
    triage = can_triage(viewer)
    policy = selectors.get_policy()
    context: dict[str, Any] = {
        "feedback": feedback,
        "policy": policy,
        "history": selectors.history_of(feedback),
        "supporters": selectors.supporters_of(feedback),
        "opportunities": selectors.opportunities_of(feedback),
        "duplicates": selectors.duplicates_of(feedback),
        "can_triage": triage,
        "product_side": is_product_side(viewer),
        "sees_confidential": feedback.account_id is not None
        and selectors.sees_confidential(viewer, feedback.account.owner_id if feedback.account else None),
    }
    if triage:
        initial = {"version": feedback.version}
        context["status_form"] = forms.get("status_form") or StatusForm(
            feedback=feedback, policy=policy, initial=initial
        )
        if feedback.status != FeedbackStatus.DUPLICATE:
            context["duplicate_form"] = forms.get("duplicate_form") or DuplicateForm(initial=initial)
            context["candidates"] = selectors.similar_feedback(
                viewer=viewer, text=f"{feedback.title} {feedback.problem}", exclude_pk=feedback.pk
            )
        link_form = forms.get("link_form") or LinkForm(opportunities=selectors.open_opportunities())
        link_form.fields["opportunity"].widget.choices = selectors.opportunity_choices()  # type: ignore[attr-defined]
        context["link_form"] = link_form
    context.update({k: v for k, v in forms.items() if k in {"conflict"}})
    return context


@allowed("feedback.submit_feedback")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for(viewer=request.user, pk=pk)
    return render(request, DETAIL, _detail_context(request, feedback))


def _after_error(request: HttpRequest, pk: int, error: ValidationError, form_name: str, form: Any) -> HttpResponse:
    fresh = selectors.feedback_for(viewer=request.user, pk=pk)
    return render_service_error(
        request, DETAIL, lambda **extra: _detail_context(request, fresh, **extra), error, form_name, form
    )


@require_POST
@allowed("feedback.triage")
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for(viewer=request.user, pk=pk)
    form = StatusForm(request.POST, feedback=feedback, policy=selectors.get_policy())
    if not form.is_valid():
        return render(request, DETAIL, _detail_context(request, feedback, status_form=form), status=400)
    data = form.cleaned_data
    try:
        feedback = services.change_status(
            actor=actor(request),
            feedback=feedback,
            to_status=data["to_status"],
            version=data["version"],
            note=data["note"],
            reason=data["reason"],
            answer=data["answer"],
        )
    except ValidationError as error:
        return _after_error(request, pk, error, "status_form", form)
    messages.success(
        request, _("Now %(status)s.") % {"status": selectors.get_policy().status_label(feedback.status).lower()}
    )
    return redirect(feedback)


@require_POST
@allowed("feedback.triage")
def mark_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for(viewer=request.user, pk=pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return render(request, DETAIL, _detail_context(request, feedback, duplicate_form=form), status=400)
    original = selectors.duplicate_original(viewer=request.user, pk=form.cleaned_data["original"])
    if original is None:
        form.add_error("original", _("No feedback has this number."))
        return render(request, DETAIL, _detail_context(request, feedback, duplicate_form=form), status=400)
    try:
        services.mark_duplicate(
            actor=actor(request),
            feedback=feedback,
            original=original,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _after_error(request, pk, error, "duplicate_form", form)
    messages.success(request, _("Merged into #%(pk)s: its customers and history are kept.") % {"pk": original.pk})
    return redirect(original)


@require_POST
@allowed("feedback.triage")
def link(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for(viewer=request.user, pk=pk)
    form = LinkForm(request.POST, opportunities=selectors.open_opportunities())
    if not form.is_valid():
        return render(request, DETAIL, _detail_context(request, feedback, link_form=form), status=400)
    try:
        opportunity = form.cleaned_data["opportunity"] or services.create_opportunity(
            actor=actor(request),
            title=form.cleaned_data["new_title"],
            product_area=feedback.product_area,
        )
        services.link_to_opportunity(actor=actor(request), feedback=feedback, opportunity=opportunity)
    except ValidationError as error:
        return _after_error(request, pk, error, "link_form", form)
    messages.success(request, _("Linked to “%(title)s”.") % {"title": opportunity.title})
    return redirect(feedback)


@require_POST
@allowed("feedback.triage")
def unlink(request: HttpRequest, pk: int, opportunity_pk: int) -> HttpResponse:
    feedback = selectors.feedback_for(viewer=request.user, pk=pk)
    opportunity = selectors.opportunity_for(viewer=request.user, pk=opportunity_pk)
    services.unlink_from_opportunity(actor=actor(request), feedback=feedback, opportunity=opportunity)
    messages.success(request, _("No longer linked to “%(title)s”.") % {"title": opportunity.title})
    return redirect(feedback)
