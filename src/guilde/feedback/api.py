"""The feedback API: /api/feedback. Same selectors and services as the pages.

A feedback the caller may not see answers 404, exactly like a missing one.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router

from guilde.core.concurrency import ConcurrentEditError
from guilde.feedback import selectors, services
from guilde.feedback.models import CustomerAccount, Feedback, Opportunity, ProductArea
from guilde.feedback.rules import can_triage
from guilde.feedback.schemas import (
    ErrorOut,
    FeedbackDetailOut,
    FeedbackIn,
    FeedbackListFilters,
    FeedbackPageOut,
    LinkIn,
    LinkOut,
    StatusIn,
    ValidationErrorOut,
)
from guilde.feedback.selectors import InboxFilters

router = Router()


def _field_errors(error: ValidationError) -> dict[str, Any]:
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
    return {
        "detail": [
            {"loc": ["body", "payload", field], "msg": message, "type": "value_error"}
            for field, messages in items
            for message in messages
        ]
    }


def _out(viewer: Any, feedback: Feedback) -> dict[str, Any]:
    account = feedback.account
    data = {
        "id": feedback.pk,
        "title": feedback.title,
        "status": feedback.status,
        "source": feedback.source,
        "impact": feedback.impact,
        "language": feedback.language,
        "product_area_id": feedback.product_area_id,
        "account_id": feedback.account_id,
        "account_name": account.name if account else None,
        "contact_name": feedback.contact_name,
        "submitter_id": feedback.submitter_id,
        "submitter_team": feedback.submitter_team,
        "quality_score": feedback.quality_score,
        "quality_missing": feedback.quality_missing,
        "supporter_count": feedback.supporter_count,
        "received_at": feedback.received_at,
        "processed_at": feedback.processed_at,
        "resolved_at": feedback.resolved_at,
        "loop_closed_at": feedback.loop_closed_at,
        "duplicate_of_id": feedback.duplicate_of_id,
        "version": feedback.version,
    }
    if selectors.sees_confidential(viewer, account.owner_id if account else None):
        data.update(segment_id=feedback.segment_id, plan=feedback.plan, arr=feedback.arr, currency=feedback.currency)
    return data


def _detail(viewer: Any, feedback: Feedback) -> dict[str, Any]:
    data = _out(viewer, feedback)
    data.update(
        problem=feedback.problem,
        evidence=feedback.evidence,
        links=feedback.links,
        tags=feedback.tags,
        decline_reason=feedback.decline_reason,
        answer=feedback.answer,
        opportunity_ids=list(selectors.opportunities_of(feedback).values_list("pk", flat=True)),
    )
    return data


@router.post("", response={201: FeedbackDetailOut, 422: ValidationErrorOut}, summary="Submit a feedback")
def create_feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    data = payload.dict()
    account_id, area_id = data.pop("account_id"), data.pop("product_area_id")
    errors: dict[str, Any] = {}
    account = CustomerAccount.objects.filter(pk=account_id).first() if account_id else None
    if account_id and account is None:
        errors["account_id"] = ["Unknown account."]
    area = ProductArea.objects.filter(pk=area_id, is_archived=False).first() if area_id else None
    if area_id and area is None:
        errors["product_area_id"] = ["Unknown product area."]
    if errors:
        return 422, _field_errors(ValidationError(errors))
    try:
        feedback = services.submit_feedback(actor=request.user, account=account, product_area=area, **data)
    except ValidationError as error:
        return 422, _field_errors(error)
    return 201, _detail(request.user, selectors.feedback_for(viewer=request.user, pk=feedback.pk))


@router.get("", response=FeedbackPageOut, summary="List feedback")
def list_feedback(request: HttpRequest, filters: Query[FeedbackListFilters]) -> Any:
    """Feedback you may see, filtered like the inbox, a keyset page at a time: pass `next_cursor` back as `cursor`."""
    values = filters.dict()
    cursor, page_size = values.pop("cursor"), values.pop("page_size")
    inbox_filters = InboxFilters.from_query(values)
    inbox_filters.status = [s for s in values["status"] if s]
    page = selectors.inbox(viewer=request.user, filters=inbox_filters, cursor=cursor, page_size=page_size)
    return {"items": [_out(request.user, f) for f in page.items], "next_cursor": page.next_cursor}


@router.get("/{feedback_id}", response=FeedbackDetailOut, summary="One feedback")
def feedback_detail(request: HttpRequest, feedback_id: int) -> Any:
    return _detail(request.user, selectors.feedback_for(viewer=request.user, pk=feedback_id))


@router.post(
    "/{feedback_id}/status",
    response={200: FeedbackDetailOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Change a feedback's status",
)
def change_status(request: HttpRequest, feedback_id: int, payload: StatusIn) -> Any:
    """Send the `version` you read; if someone changed the feedback since, 409 and nothing changes."""
    feedback = selectors.feedback_for(viewer=request.user, pk=feedback_id)
    if not can_triage(request.user):
        raise Http404
    try:
        services.change_status(
            actor=request.user,
            feedback=feedback,
            to_status=payload.status,
            version=payload.version,
            note=payload.note,
            reason=payload.reason,
            answer=payload.answer,
        )
    except ConcurrentEditError as error:
        return 409, {"detail": " ".join(error.messages)}
    except ValidationError as error:
        return 422, _field_errors(error)
    return 200, _detail(request.user, selectors.feedback_for(viewer=request.user, pk=feedback_id))


@router.post(
    "/{feedback_id}/opportunities",
    response={201: LinkOut, 404: ErrorOut},
    summary="Link a feedback to an opportunity",
)
def link_opportunity(request: HttpRequest, feedback_id: int, payload: LinkIn) -> Any:
    feedback = selectors.feedback_for(viewer=request.user, pk=feedback_id)
    opportunity = Opportunity.objects.filter(pk=payload.opportunity_id).first()
    if opportunity is None or not can_triage(request.user):
        raise Http404
    try:
        link = services.link_to_opportunity(actor=request.user, feedback=feedback, opportunity=opportunity)
    except PermissionDenied as exc:
        raise Http404 from exc
    return 201, {"feedback_id": link.feedback_id, "opportunity_id": link.opportunity_id}
