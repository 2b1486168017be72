"""The triage inbox: filters, keyset pages, saved views, bulk actions and the CSV export."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from guilde.core.viewhelpers import allowed, error_text, is_partial
from guilde.feedback import imports, selectors, services
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.forms import BulkForm, InboxFilterForm, SavedViewForm
from guilde.feedback.rules import is_product_side
from guilde.feedback.selectors import InboxFilters
from guilde.feedback.views.common import actor

INBOX = "feedback/inbox.html"


def _query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


def _bulk_form(data: dict | None = None, *, area_list: list | None = None) -> BulkForm:
    form = BulkForm(data, areas=selectors.product_areas(), opportunities=selectors.open_opportunities())
    form.fields["opportunity"].widget.choices = selectors.opportunity_choices()  # type: ignore[attr-defined]
    if area_list is not None:
        # The inbox already read the areas for its filters: the select shows them without a second query.
        empty = form.fields["area"].empty_label  # type: ignore[attr-defined]
        form.fields["area"].widget.choices = [("", empty), *((a.pk, a.name) for a in area_list)]
    return form


@require_GET
@allowed("feedback.triage")
def inbox(request: HttpRequest) -> HttpResponse:
    filters = InboxFilters.from_query(request.GET)
    page = selectors.inbox_rows(viewer=request.user, filters=filters, cursor=request.GET.get("cursor", ""))
    query = _query_without_cursor(request)
    policy = selectors.get_policy()
    context = {
        "page": page,
        "items": page.items,
        "query": query,
        "policy": policy,
        "product_side": is_product_side(request.user),
        "overdue_before": timezone.now() - timedelta(days=policy.processing_sla_days),
    }
    if is_partial(request) and request.GET.get("cursor"):
        return render(request, f"{INBOX}#rows", context)
    areas = list(selectors.product_areas())
    form = InboxFilterForm(
        request.GET,
        areas=areas,
        segments=selectors.segments(),
        teams=selectors.submitter_teams(),
        product_side=context["product_side"],
        policy=policy,
    )
    context |= {
        "form": form,
        "is_filtered": form.is_filtered,
        "saved_views": selectors.saved_views(viewer=request.user),
        "save_form": SavedViewForm(initial={"query": query}),
        "bulk_form": _bulk_form(area_list=areas),
    }
    if is_partial(request):
        return render(request, f"{INBOX}#results", context)
    return render(request, INBOX, context)


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    return redirect(f"{reverse('feedback:inbox')}?{query}" if query else reverse("feedback:inbox"))


@require_POST
@allowed("feedback.triage")
def bulk(request: HttpRequest) -> HttpResponse:
    """One action on the checked rows, all or nothing (the services refuse the lot on one bad row)."""
    form = _bulk_form(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back_to_inbox(request)
    data = form.cleaned_data
    ids, who = data["ids"], actor(request)
    try:
        match data["action"]:
            case "process":
                done = len(services.bulk_change_status(actor=who, feedback_ids=ids, to_status=FeedbackStatus.PROCESSED))
            case "decline":
                done = len(
                    services.bulk_change_status(
                        actor=who, feedback_ids=ids, to_status=FeedbackStatus.DECLINED, reason=data["reason"]
                    )
                )
            case "area":
                done = services.bulk_assign_area(actor=who, feedback_ids=ids, product_area=data["area"])
            case _:
                services.bulk_link(actor=who, feedback_ids=ids, opportunity=data["opportunity"])
                done = len(ids)
    except ValidationError as error:
        messages.error(request, _("Nothing was changed: %(reason)s") % {"reason": error_text(error)})
        return _back_to_inbox(request)
    messages.success(
        request, ngettext("%(count)s feedback updated.", "%(count)s feedbacks updated.", done) % {"count": done}
    )
    return _back_to_inbox(request)


@require_GET
@allowed("feedback.export_feedback")  # type: ignore[arg-type]
def export(request: HttpRequest) -> StreamingHttpResponse:
    filters = InboxFilters.from_query(request.GET)
    rows = imports.export_csv(viewer=request.user, filters=filters)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="feedback-{stamp}.csv"'
    return response


@require_POST
@allowed("feedback.triage")
def save_view(request: HttpRequest) -> HttpResponse:
    form = SavedViewForm(request.POST)
    if form.is_valid():
        try:
            view = services.save_view(
                actor=actor(request), name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
            return redirect(view.get_absolute_url())
    else:
        messages.error(request, _("Give the view a name."))
    query = form.data.get("query", "")
    return redirect(f"{reverse('feedback:inbox')}?{query}")


@require_POST
@allowed("feedback.triage")
def delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(selectors.saved_views(viewer=request.user), pk=pk)
    services.delete_view(actor=actor(request), view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("feedback:inbox")
