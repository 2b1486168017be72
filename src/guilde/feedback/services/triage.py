"""Triage: status changes (one or in bulk), bulk area assignment, duplicates and merges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import ALLOWED_TRANSITIONS, CLOSING_STATUSES, FeedbackStatus
from guilde.feedback.models import Feedback, FeedbackOpportunity, FeedbackSupporter, ProductArea, StatusChange
from guilde.feedback.rules import can_triage
from guilde.feedback.services._common import (
    _claim_version,
    _feedback_url,
    _load_for_bulk,
    _recount_supporters,
    _require,
    _root,
)
from guilde.feedback.services.scores import _opportunity_ids_of, refresh_opportunities

VERB_FOR_STATUS: dict[str, str] = {
    FeedbackStatus.PROCESSED: "feedback_processed",
    FeedbackStatus.PLANNED: "feedback_planned",
    FeedbackStatus.RESOLVED: "feedback_resolved",
    FeedbackStatus.DECLINED: "feedback_declined",
}


TITLE_FOR_STATUS: dict[str, Any] = {
    FeedbackStatus.PROCESSED: _("Your feedback “{title}” was processed"),
    FeedbackStatus.PLANNED: _("Your feedback “{title}” is planned"),
    FeedbackStatus.RESOLVED: _("Your feedback “{title}” is resolved"),
    FeedbackStatus.DECLINED: _("Your feedback “{title}” was declined"),
}


def _apply_status(
    feedback: Feedback, *, to_status: str, actor: Any, now: datetime, note: str = "", reason: str = "", answer: str = ""
) -> StatusChange:
    """Moves one loaded feedback (not saved) and returns its unsaved history row."""
    from_status = feedback.status
    feedback.status = to_status
    if to_status != FeedbackStatus.NEW and feedback.processed_at is None:
        feedback.processed_at = now
    if to_status == FeedbackStatus.NEW:
        feedback.processed_at = None
    feedback.resolved_at = now if to_status == FeedbackStatus.RESOLVED else None
    feedback.declined_at = now if to_status == FeedbackStatus.DECLINED else None
    feedback.decline_reason = reason if to_status == FeedbackStatus.DECLINED else ""
    if answer:
        feedback.answer = answer
    if to_status not in CLOSING_STATUSES:
        feedback.loop_closed_at = None
    feedback.last_changed_by = actor
    return StatusChange(
        feedback=feedback, actor=actor, at=now, from_status=from_status, to_status=to_status, note=note or reason
    )


STATUS_FIELDS = [
    "status",
    "processed_at",
    "resolved_at",
    "declined_at",
    "decline_reason",
    "answer",
    "loop_closed_at",
    "last_changed_by",
    "updated_at",
]


def _check_transition(feedback: Feedback, to_status: str, reason: str) -> None:
    if to_status not in FeedbackStatus.values or to_status == FeedbackStatus.DUPLICATE:
        raise ValidationError({"status": _("Choose processed, planned, resolved, declined or new.")})
    if to_status not in ALLOWED_TRANSITIONS[feedback.status]:
        raise ValidationError(
            {
                "status": format_lazy(
                    _("A feedback that is {current} cannot become {target}."),
                    current=FeedbackStatus(feedback.status).label,
                    target=FeedbackStatus(to_status).label,
                )
            }
        )
    if to_status == FeedbackStatus.DECLINED and not reason.strip():
        raise ValidationError({"reason": _("Say why it is declined: the submitter will read it.")})


def _people_to_tell(feedback_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Per feedback: its submitter, its account's owner, and everyone who added a customer to it."""
    from guilde.accounts.models import User

    people: dict[int, set[int]] = {pk: set() for pk in feedback_ids}
    for pk, submitter_id, owner_id in Feedback.objects.filter(pk__in=feedback_ids).values_list(
        "pk", "submitter_id", "account__owner_id"
    ):
        people[pk].update(i for i in (submitter_id, owner_id) if i)
    for pk, user_id, owner_id in FeedbackSupporter.objects.filter(feedback_id__in=feedback_ids).values_list(
        "feedback_id", "user_id", "account__owner_id"
    ):
        people[pk].update(i for i in (user_id, owner_id) if i)
    users = {u.pk: u for u in User.objects.filter(pk__in=set().union(*people.values()), is_active=True)}
    return {pk: [users[i] for i in ids if i in users] for pk, ids in people.items()}


def _notify_status(feedbacks: Sequence[Feedback], *, actor: Any, to_status: str) -> None:
    if to_status not in VERB_FOR_STATUS or not feedbacks:
        return
    from guilde.notifications.services import notify

    recipients = _people_to_tell([f.pk for f in feedbacks])
    policy = selectors.get_policy()
    # Product ops' own wording of the status, in each recipient's language (resolved when the row is written).
    custom_label = lazy(policy.status_label, str)(to_status) if (policy.status_labels or {}).get(to_status) else None
    for feedback in feedbacks:
        people = [p for p in recipients.get(feedback.pk, []) if p.pk != getattr(actor, "pk", None)]
        if not people:
            continue
        body = feedback.decline_reason if to_status == FeedbackStatus.DECLINED else feedback.answer
        notify(
            recipients=people,
            verb=VERB_FOR_STATUS[to_status],
            title=(
                format_lazy(
                    _("Your feedback “{title}” is now: {status}"), title=feedback.title[:120], status=custom_label
                )
                if custom_label is not None
                else format_lazy(TITLE_FOR_STATUS[to_status], title=feedback.title[:120])
            ),
            body=body or "",
            url=_feedback_url(feedback.pk),
            actor=actor,
        )


def _close_loop(feedbacks: Sequence[Feedback], now: datetime) -> None:
    closing = [f.pk for f in feedbacks if f.status in CLOSING_STATUSES]
    if closing:
        Feedback.objects.filter(pk__in=closing).update(loop_closed_at=now)
        for f in feedbacks:
            if f.pk in closing:
                f.loop_closed_at = now


@transaction.atomic
def change_status(
    *,
    actor: Any,
    feedback: Feedback,
    to_status: str,
    version: int | None,
    note: str = "",
    reason: str = "",
    answer: str = "",
) -> Feedback:
    """Processes, plans, resolves, declines (reason required) or reopens a feedback. Writes the
    history row the KPIs are computed from, keeps processed/resolved/declined timestamps, tells
    the submitter, account owner and supporters, and marks the loop closed on resolve/decline.
    Refuses with a conflict when `version` is not the current one."""
    _require(can_triage(actor))
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    _check_transition(feedback, to_status, reason)
    _claim_version(Feedback, feedback.pk, version, actor)
    now = timezone.now()
    before = aggregates.state_of(feedback)
    change = _apply_status(
        feedback,
        to_status=to_status,
        actor=actor,
        now=now,
        note=note.strip(),
        reason=reason.strip(),
        answer=answer.strip(),
    )
    feedback.save(update_fields=STATUS_FIELDS)
    change.save()
    aggregates.record(before=[before], after=[aggregates.state_of(feedback)])
    feedback.version = Feedback.objects.values_list("version", flat=True).get(pk=feedback.pk)
    _close_loop([feedback], now)
    _notify_status([feedback], actor=actor, to_status=to_status)
    return feedback


@transaction.atomic
def bulk_change_status(
    *, actor: Any, feedback_ids: Sequence[int], to_status: str, note: str = "", reason: str = "", answer: str = ""
) -> list[Feedback]:
    """The same status change on many feedbacks, all or nothing: one bad row refuses the lot."""
    _require(can_triage(actor))
    rows = _load_for_bulk(feedback_ids)
    problems = []
    for feedback in rows:
        try:
            _check_transition(feedback, to_status, reason)
        except ValidationError as exc:
            if "reason" in exc.message_dict:
                raise
            problems.append(f"#{feedback.pk} {feedback.title[:60]}")
    if problems:
        raise ValidationError(
            {
                "status": format_lazy(
                    _("These feedbacks cannot become {target}: {items}"),
                    target=FeedbackStatus(to_status).label,
                    items=", ".join(problems[:10]),
                )
            }
        )
    now = timezone.now()
    before = [aggregates.state_of(f) for f in rows]
    changes = [
        _apply_status(
            f,
            to_status=to_status,
            actor=actor,
            now=now,
            note=note.strip(),
            reason=reason.strip(),
            answer=answer.strip(),
        )
        for f in rows
    ]
    Feedback.objects.bulk_update(rows, STATUS_FIELDS, batch_size=200)
    Feedback.objects.filter(pk__in=[f.pk for f in rows]).update(version=F("version") + 1)
    StatusChange.objects.bulk_create(changes, batch_size=500)
    aggregates.record(before=before, after=[aggregates.state_of(f) for f in rows])
    _close_loop(rows, now)
    _notify_status(rows, actor=actor, to_status=to_status)
    return rows


@transaction.atomic
def bulk_assign_area(*, actor: Any, feedback_ids: Sequence[int], product_area: ProductArea | None) -> int:
    _require(can_triage(actor))
    rows = _load_for_bulk(feedback_ids)
    before = [aggregates.state_of(f) for f in rows]
    area_id = product_area.pk if product_area is not None else None
    aggregates.record(before=before, after=[aggregates.with_changes(b, product_area_id=area_id) for b in before])
    return Feedback.objects.filter(pk__in=[f.pk for f in rows]).update(
        product_area=product_area, version=F("version") + 1, last_changed_by=actor, updated_at=timezone.now()
    )


@transaction.atomic
def mark_duplicate(
    *, actor: Any, feedback: Feedback, original: Feedback, version: int | None, note: str = ""
) -> Feedback:
    """Merges `feedback` into `original` in one step: the duplicate points to the original, its
    account, supporters, submitter and opportunity links are carried over (nobody's customer is
    lost), and both histories are kept."""
    _require(can_triage(actor))
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    original = _root(Feedback.objects.get(pk=original.pk))
    if original.pk == feedback.pk:
        raise ValidationError({"original": _("A feedback cannot duplicate itself.")})
    if feedback.status == FeedbackStatus.DUPLICATE:
        raise ValidationError({"original": _("This feedback is already a duplicate.")})
    _claim_version(Feedback, feedback.pk, version, actor)
    now = timezone.now()
    existing_accounts = set(
        FeedbackSupporter.objects.filter(feedback=original, account__isnull=False).values_list("account_id", flat=True)
    )
    if original.account_id:
        existing_accounts.add(original.account_id)
    carried: list[FeedbackSupporter] = []
    if feedback.account_id and feedback.account_id not in existing_accounts:
        carried.append(
            FeedbackSupporter(
                feedback=original,
                account_id=feedback.account_id,
                user=feedback.submitter,
                contact_name=feedback.contact_name,
                note=str(format_lazy(_("From merged feedback #{pk}"), pk=feedback.pk)),
                created_at=feedback.received_at,
            )
        )
        existing_accounts.add(feedback.account_id)
    elif feedback.account_id is None and feedback.submitter_id:
        carried.append(
            FeedbackSupporter(
                feedback=original,
                user=feedback.submitter,
                contact_name=feedback.contact_name,
                note=str(format_lazy(_("From merged feedback #{pk}"), pk=feedback.pk)),
                created_at=feedback.received_at,
            )
        )
    for s in FeedbackSupporter.objects.filter(feedback=feedback):
        if s.account_id and s.account_id in existing_accounts:
            continue
        if s.account_id:
            existing_accounts.add(s.account_id)
        carried.append(
            FeedbackSupporter(
                feedback=original,
                account_id=s.account_id,
                user_id=s.user_id,
                contact_name=s.contact_name,
                note=s.note,
                created_at=s.created_at,
            )
        )
    FeedbackSupporter.objects.bulk_create(carried)
    linked = set(FeedbackOpportunity.objects.filter(feedback=original).values_list("opportunity_id", flat=True))
    moved = [
        FeedbackOpportunity(feedback=original, opportunity_id=o, linked_by=actor)
        for o in FeedbackOpportunity.objects.filter(feedback=feedback).values_list("opportunity_id", flat=True)
        if o not in linked
    ]
    FeedbackOpportunity.objects.bulk_create(moved)
    from_status = feedback.status
    before = aggregates.state_of(feedback)
    feedback.status = FeedbackStatus.DUPLICATE
    feedback.duplicate_of = original
    if feedback.processed_at is None:
        feedback.processed_at = now
    feedback.last_changed_by = actor
    feedback.save(update_fields=["status", "duplicate_of", "processed_at", "last_changed_by", "updated_at"])
    aggregates.record(before=[before], after=[aggregates.state_of(feedback)])
    StatusChange.objects.create(
        feedback=feedback,
        actor=actor,
        at=now,
        from_status=from_status,
        to_status=FeedbackStatus.DUPLICATE,
        note=note.strip() or str(format_lazy(_("Duplicate of #{pk}"), pk=original.pk)),
    )
    _recount_supporters([original.pk, feedback.pk])
    refresh_opportunities(opportunity_ids=_opportunity_ids_of([original.pk, feedback.pk]))
    feedback.refresh_from_db(fields=["version", "supporter_count"])
    return feedback


merge_feedback = mark_duplicate
