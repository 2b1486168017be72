"""Opportunities: editing, linking feedback, the roadmap, shipping and closing the loop."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import FeedbackStatus, OpportunityStatus
from guilde.feedback.models import Feedback, FeedbackOpportunity, Opportunity, ProductArea
from guilde.feedback.rules import can_triage
from guilde.feedback.services._common import MAX_BULK, _claim_version, _load_for_bulk, _require, _root
from guilde.feedback.services.scores import refresh_opportunities
from guilde.feedback.services.triage import bulk_change_status

OPPORTUNITY_FIELDS = ("title", "description", "product_area", "owner", "strategic_fit", "effort", "release_note")


def _validate_opportunity(opportunity: Opportunity) -> None:
    errors: dict[str, Any] = {}
    opportunity.title = (opportunity.title or "").strip()
    if not opportunity.title:
        errors["title"] = _("This field is required.")
    elif len(opportunity.title) > 200:
        errors["title"] = _("At most 200 characters.")
    if not 1 <= int(opportunity.strategic_fit or 0) <= 5:
        errors["strategic_fit"] = _("Between 1 and 5.")
    if not 1 <= int(opportunity.effort or 0) <= 520:
        errors["effort"] = _("Between 1 and 520 person-weeks.")
    if opportunity.status not in OpportunityStatus.values:
        errors["status"] = _("Unknown roadmap status.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_opportunity(
    *,
    actor: Any,
    title: str,
    description: str = "",
    product_area: ProductArea | None = None,
    owner: Any = None,
    strategic_fit: int = 3,
    effort: int = 2,
    status: str = OpportunityStatus.CANDIDATE,
) -> Opportunity:
    _require(can_triage(actor))
    opportunity = Opportunity(
        title=title,
        description=description,
        product_area=product_area,
        owner=owner or actor,
        strategic_fit=strategic_fit,
        effort=effort,
        status=status,
        last_changed_by=actor,
    )
    _validate_opportunity(opportunity)
    opportunity.save()
    refresh_opportunities(opportunity_ids=[opportunity.pk])
    opportunity.refresh_from_db()
    return opportunity


@transaction.atomic
def update_opportunity(*, actor: Any, opportunity: Opportunity, version: int | None, **fields: Any) -> Opportunity:
    """Edits an opportunity (not its roadmap column: see set_roadmap_status) and rescores it."""
    _require(can_triage(actor))
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    for name, value in fields.items():
        setattr(opportunity, name, value)
    _validate_opportunity(opportunity)
    _claim_version(Opportunity, opportunity.pk, version, actor)
    opportunity.last_changed_by = actor
    opportunity.save(update_fields=[*fields, "last_changed_by", "updated_at"])
    refresh_opportunities(opportunity_ids=[opportunity.pk])
    opportunity.refresh_from_db()
    return opportunity


def _linked_open_feedback(opportunity: Opportunity, statuses: Iterable[str]) -> list[int]:
    return list(
        Feedback.objects.filter(opportunity_links__opportunity=opportunity, status__in=list(statuses)).values_list(
            "pk", flat=True
        )
    )


@transaction.atomic
def set_roadmap_status(*, actor: Any, opportunity: Opportunity, status: str, version: int | None) -> Opportunity:
    """Moves an opportunity between roadmap columns. Putting it on the roadmap (now/next/later)
    plans its new and processed feedback, whose submitters are told. Shipping goes through
    `ship_opportunity`, which needs the answer to customers."""
    _require(can_triage(actor))
    if status == OpportunityStatus.SHIPPED:
        raise ValidationError({"status": _("Use “ship” to mark it shipped, with the answer to customers.")})
    if status not in OpportunityStatus.values:
        raise ValidationError({"status": _("Unknown roadmap status.")})
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _claim_version(Opportunity, opportunity.pk, version, actor)
    opportunity.status = status
    opportunity.shipped_at = None
    opportunity.last_changed_by = actor
    opportunity.save(update_fields=["status", "shipped_at", "last_changed_by", "updated_at"])
    if status in {OpportunityStatus.NOW, OpportunityStatus.NEXT, OpportunityStatus.LATER}:
        while True:
            ids = _linked_open_feedback(opportunity, [FeedbackStatus.NEW, FeedbackStatus.PROCESSED])[:MAX_BULK]
            if not ids:
                break
            bulk_change_status(
                actor=actor,
                feedback_ids=ids,
                to_status=FeedbackStatus.PLANNED,
                note=str(format_lazy(_("Planned with “{title}”"), title=opportunity.title[:120])),
            )
    opportunity.refresh_from_db()
    return opportunity


@transaction.atomic
def ship_opportunity(*, actor: Any, opportunity: Opportunity, version: int | None, release_note: str) -> Opportunity:
    """Marks an opportunity shipped and closes the loop: every linked feedback still open is
    resolved with the release note as the product answer, and its submitter, account owner and
    supporters are told in the app and by e-mail."""
    _require(can_triage(actor))
    release_note = (release_note or "").strip()
    if not release_note:
        raise ValidationError(
            {"release_note": _("Write the answer customers will get: what shipped and how to use it.")}
        )
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == OpportunityStatus.SHIPPED:
        raise ValidationError({"status": _("This opportunity has already shipped.")})
    _claim_version(Opportunity, opportunity.pk, version, actor)
    now = timezone.now()
    opportunity.status = OpportunityStatus.SHIPPED
    opportunity.shipped_at = now
    opportunity.release_note = release_note
    opportunity.last_changed_by = actor
    opportunity.save(update_fields=["status", "shipped_at", "release_note", "last_changed_by", "updated_at"])
    open_statuses = [FeedbackStatus.NEW, FeedbackStatus.PROCESSED, FeedbackStatus.PLANNED]
    while True:
        ids = _linked_open_feedback(opportunity, open_statuses)[:MAX_BULK]
        if not ids:
            break
        bulk_change_status(
            actor=actor,
            feedback_ids=ids,
            to_status=FeedbackStatus.RESOLVED,
            answer=release_note,
            note=str(format_lazy(_("Shipped with “{title}”"), title=opportunity.title[:120])),
        )
    opportunity.refresh_from_db()
    return opportunity


@transaction.atomic
def link_to_opportunity(*, actor: Any, feedback: Feedback, opportunity: Opportunity) -> FeedbackOpportunity:
    """Links a feedback (a duplicate links its original) to an opportunity and rescores it."""
    _require(can_triage(actor))
    target = _root(feedback)
    link, _created = FeedbackOpportunity.objects.get_or_create(
        feedback=target, opportunity=opportunity, defaults={"linked_by": actor}
    )
    refresh_opportunities(opportunity_ids=[opportunity.pk])
    return link


@transaction.atomic
def unlink_from_opportunity(*, actor: Any, feedback: Feedback, opportunity: Opportunity) -> None:
    _require(can_triage(actor))
    FeedbackOpportunity.objects.filter(feedback=feedback, opportunity=opportunity).delete()
    refresh_opportunities(opportunity_ids=[opportunity.pk])


@transaction.atomic
def bulk_link(*, actor: Any, feedback_ids: Sequence[int], opportunity: Opportunity) -> int:
    _require(can_triage(actor))
    rows = _load_for_bulk(feedback_ids)
    targets = {(_root(f).pk if f.status == FeedbackStatus.DUPLICATE else f.pk) for f in rows}
    existing = set(
        FeedbackOpportunity.objects.filter(opportunity=opportunity, feedback_id__in=targets).values_list(
            "feedback_id", flat=True
        )
    )
    created = FeedbackOpportunity.objects.bulk_create(
        [FeedbackOpportunity(feedback_id=pk, opportunity=opportunity, linked_by=actor) for pk in targets - existing]
    )
    refresh_opportunities(opportunity_ids=[opportunity.pk])
    return len(created)
