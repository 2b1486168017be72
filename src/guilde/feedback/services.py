"""Writes on feedback. Keyword-only, the acting user passed as `actor`, one transaction each.

They raise PermissionDenied when the actor may not act, ValidationError({field: message}) on bad
input, and ConcurrentEditError (a ValidationError with code "conflict") when the row changed since
the actor loaded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guilde.core.concurrency import ConcurrentEditError, claim_version
from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import (
    ALLOWED_TRANSITIONS,
    CLOSING_STATUSES,
    CriterionKind,
    FeedbackStatus,
    Impact,
    ImportStatus,
    Language,
    OpportunityStatus,
    RequiredField,
    SourceChannel,
)
from guilde.feedback.models import (
    CustomerAccount,
    Feedback,
    FeedbackOpportunity,
    FeedbackPolicy,
    FeedbackSupporter,
    ImportJob,
    Opportunity,
    ProductArea,
    QualityCriterion,
    SavedView,
    Segment,
    StatusChange,
)
from guilde.feedback.rules import can_configure, can_submit, can_triage
from guilde.feedback.scoring import PriorityDrivers, QualityInput, priority_score, quality_score

MAX_BULK = 500
MAX_LINKS = 20


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _feedback_url(pk: int) -> str:
    try:
        return reverse("feedback:detail", args=[pk])
    except NoReverseMatch:
        return f"/feedback/{pk}/"


def _opportunity_url(pk: int) -> str:
    try:
        return reverse("feedback:opportunity", args=[pk])
    except NoReverseMatch:
        return f"/feedback/opportunities/{pk}/"


def _claim_version(
    model: type[Feedback] | type[Opportunity] | type[FeedbackPolicy], pk: int, version: int | None, actor: Any
) -> None:
    """Bumps the row's version only if it is still the one the actor saw (core's `claim_version`);
    a stale one raises core's ConcurrentEditError on `version`, naming who changed the row."""
    if version is None:
        model.objects.filter(pk=pk).update(version=F("version") + 1)
        return
    try:
        claim_version(model, pk, version)
    except ConcurrentEditError:
        by: Any = model._default_manager.filter(pk=pk).first()
        who = getattr(by, "last_changed_by", None)
        if who is not None:
            message = format_lazy(
                _("This was changed by {name} meanwhile. Reload to see their change, then try again."), name=str(who)
            )
        else:
            message = _("This was changed by someone else meanwhile. Reload to see their change, then try again.")
        raise ConcurrentEditError({"version": message}, code="conflict") from None


# --- quality --------------------------------------------------------------------------------


def quality_input(
    *,
    problem: str,
    evidence: str = "",
    links: Sequence[str] = (),
    account: CustomerAccount | None = None,
    contact_name: str = "",
    impact: str = "",
    product_area: ProductArea | None = None,
) -> QualityInput:
    return QualityInput(
        problem=problem or "",
        evidence=evidence or "",
        links=list(links or []),
        has_account=account is not None,
        contact_name=contact_name or "",
        has_segment=bool(account is not None and account.segment_id),
        impact=impact or "",
        has_product_area=product_area is not None,
    )


def preview_quality(**fields: Any) -> tuple[int, list[QualityCriterion]]:
    """The live score for a form being typed, with the rubric lines still missing (for hints)."""
    result = quality_score(selectors.active_criteria(), quality_input(**fields))
    missing = list(QualityCriterion.objects.filter(key__in=result.missing).order_by("position", "id"))
    return result.score, missing


def _clean_links(links: Iterable[str] | None) -> list[str]:
    cleaned = []
    for link in links or []:
        link = str(link).strip()
        if not link:
            continue
        parts = urlsplit(link)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValidationError({"links": _("Links must be full web addresses (https://…).")})
        cleaned.append(link[:500])
    if len(cleaned) > MAX_LINKS:
        raise ValidationError({"links": _("At most 20 links.")})
    return cleaned


def _submitter_team(user: Any) -> str:
    from guilde.community.selectors import member_of

    member = member_of(user=user)
    return (member.team if member is not None else "")[:120]


@dataclass
class FeedbackData:
    """Validated fields of a new feedback, shared by the form, the API and the CSV import."""

    title: str
    problem: str
    source: str
    evidence: str = ""
    links: list[str] | None = None
    account: CustomerAccount | None = None
    contact_name: str = ""
    impact: str = ""
    product_area: ProductArea | None = None
    language: str = Language.EN
    tags: list[str] | None = None
    external_id: str = ""
    received_at: datetime | None = None


def validate_feedback_data(data: FeedbackData, *, policy: FeedbackPolicy) -> dict[str, list[str]]:
    """Field errors of a new feedback (empty when it may be submitted); never raises."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(str(message))

    data.title = (data.title or "").strip()
    data.problem = (data.problem or "").strip()
    data.evidence = (data.evidence or "").strip()
    data.contact_name = (data.contact_name or "").strip()
    data.external_id = (data.external_id or "").strip()
    required = set(policy.required_fields or []) | {RequiredField.TITLE, RequiredField.PROBLEM, RequiredField.SOURCE}
    values = {
        "title": data.title,
        "problem": data.problem,
        "evidence": data.evidence or (data.links or []),
        "account": data.account,
        "contact_name": data.contact_name,
        "impact": data.impact,
        "product_area": data.product_area,
        "source": data.source,
    }
    for name in sorted(required):
        if name in values and not values[name]:
            add(name, _("This field is required."))
    if len(data.title) > 200:
        add("title", _("At most 200 characters."))
    if len(data.contact_name) > 150:
        add("contact_name", _("At most 150 characters."))
    if len(data.external_id) > 120:
        add("external_id", _("At most 120 characters."))
    if data.source and data.source not in SourceChannel.values:
        add("source", _("Unknown source."))
    if data.impact and data.impact not in Impact.values:
        add("impact", _("Unknown impact."))
    if data.language not in Language.values:
        add("language", _("Unknown language."))
    try:
        data.links = _clean_links(data.links)
    except ValidationError as exc:
        for message in exc.message_dict.get("links", []):
            add("links", message)
    data.tags = sorted({str(t).strip().lower()[:40] for t in (data.tags or []) if str(t).strip()})[:20]
    return errors


def build_feedback(data: FeedbackData, *, submitter: Any, team: str, criteria: list, now: datetime) -> Feedback:
    """An unsaved Feedback from validated data, with account figures snapshotted and quality computed."""
    account = data.account
    result = quality_score(
        criteria,
        quality_input(
            problem=data.problem,
            evidence=data.evidence,
            links=data.links or [],
            account=account,
            contact_name=data.contact_name,
            impact=data.impact,
            product_area=data.product_area,
        ),
    )
    return Feedback(
        title=data.title,
        problem=data.problem,
        evidence=data.evidence,
        links=data.links or [],
        account=account,
        contact_name=data.contact_name,
        segment_id=account.segment_id if account else None,
        plan=account.plan if account else "",
        arr=account.arr if account else Decimal(0),
        currency=account.currency if account else "EUR",
        impact=data.impact,
        product_area=data.product_area,
        source=data.source,
        submitter=submitter,
        submitter_team=team,
        language=data.language,
        tags=data.tags or [],
        quality_score=result.score,
        quality_missing=result.missing,
        external_id=data.external_id,
        received_at=data.received_at or now,
        last_changed_by=submitter,
    )


@transaction.atomic
def submit_feedback(
    *,
    actor: Any,
    title: str,
    problem: str,
    source: str,
    evidence: str = "",
    links: Sequence[str] | None = None,
    account: CustomerAccount | None = None,
    contact_name: str = "",
    impact: str = "",
    product_area: ProductArea | None = None,
    language: str = Language.EN,
    tags: Sequence[str] | None = None,
    external_id: str = "",
    received_at: datetime | None = None,
) -> Feedback:
    """Records a new feedback. Refused only when a required field (per the policy) is missing or
    invalid; a low quality score never refuses it, it tells what is missing. Snapshots the
    account's segment, plan and ARR and the submitter's team for fast filters; writes the first
    history row."""
    _require(can_submit(actor))
    policy = selectors.get_policy()
    data = FeedbackData(
        title=title,
        problem=problem,
        source=source,
        evidence=evidence,
        links=list(links or []),
        account=account,
        contact_name=contact_name,
        impact=impact,
        product_area=product_area,
        language=language,
        tags=list(tags or []),
        external_id=external_id,
        received_at=received_at,
    )
    errors = validate_feedback_data(data, policy=policy)
    if data.external_id and Feedback.objects.filter(source=data.source, external_id=data.external_id).exists():
        errors.setdefault("external_id", []).append(str(_("A feedback with this external ID already exists.")))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    feedback = build_feedback(
        data, submitter=actor, team=_submitter_team(actor), criteria=selectors.active_criteria(), now=now
    )
    feedback.save()
    StatusChange.objects.create(
        feedback=feedback, actor=actor, at=feedback.received_at, from_status="", to_status=FeedbackStatus.NEW
    )
    aggregates.record(after=[aggregates.state_of(feedback)], policy=policy)
    return feedback


# --- supporters -----------------------------------------------------------------------------


def _root(feedback: Feedback) -> Feedback:
    seen = {feedback.pk}
    while (
        feedback.status == FeedbackStatus.DUPLICATE
        and feedback.duplicate_of_id
        and feedback.duplicate_of_id not in seen
    ):
        seen.add(feedback.duplicate_of_id)
        feedback = Feedback.objects.get(pk=feedback.duplicate_of_id)
    return feedback


def _recount_supporters(feedback_ids: Iterable[int]) -> None:
    for pk in set(feedback_ids):
        Feedback.objects.filter(pk=pk).update(supporter_count=FeedbackSupporter.objects.filter(feedback_id=pk).count())


@transaction.atomic
def support_feedback(
    *, actor: Any, feedback: Feedback, account: CustomerAccount | None = None, contact_name: str = "", note: str = ""
) -> FeedbackSupporter:
    """Adds the actor's customer to an existing feedback instead of filing a duplicate. A feedback
    already merged into another passes the support on to the original."""
    _require(can_submit(actor))
    target = _root(feedback)
    if account is None and not contact_name.strip():
        raise ValidationError({"account": _("Choose the customer account or name the contact.")})
    if account is not None and (
        target.account_id == account.pk or FeedbackSupporter.objects.filter(feedback=target, account=account).exists()
    ):
        raise ValidationError({"account": _("This customer already backs this feedback.")})
    supporter = FeedbackSupporter.objects.create(
        feedback=target, account=account, user=actor, contact_name=contact_name.strip()[:150], note=note.strip()
    )
    _recount_supporters([target.pk])
    refresh_opportunities(opportunity_ids=_opportunity_ids_of([target.pk]))
    return supporter


# --- statuses -------------------------------------------------------------------------------

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


def _load_for_bulk(feedback_ids: Sequence[int]) -> list[Feedback]:
    ids = list(dict.fromkeys(int(i) for i in feedback_ids))
    if not ids:
        raise ValidationError({"feedbacks": _("Select at least one feedback.")})
    if len(ids) > MAX_BULK:
        raise ValidationError({"feedbacks": _("Select at most 500 feedbacks at a time.")})
    rows = list(Feedback.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(rows) != len(ids):
        raise ValidationError({"feedbacks": _("Some selected feedbacks no longer exist. Reload the list.")})
    return rows


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
def update_feedback(*, actor: Any, feedback: Feedback, version: int | None, **fields: Any) -> Feedback:
    """Edits triage fields (area, impact, tags, text, links, account, contact) and recomputes quality."""
    _require(can_triage(actor))
    allowed = {
        "title",
        "problem",
        "evidence",
        "links",
        "product_area",
        "impact",
        "tags",
        "account",
        "contact_name",
        "answer",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    before = aggregates.state_of(feedback)
    for name, value in fields.items():
        setattr(feedback, name, value)
    data = FeedbackData(
        title=feedback.title,
        problem=feedback.problem,
        source=feedback.source,
        evidence=feedback.evidence,
        links=list(feedback.links or []),
        account=feedback.account,
        contact_name=feedback.contact_name,
        impact=feedback.impact,
        product_area=feedback.product_area,
        language=feedback.language,
        tags=list(feedback.tags or []),
    )
    errors = validate_feedback_data(data, policy=selectors.get_policy())
    if errors:
        raise ValidationError(errors)
    _claim_version(Feedback, feedback.pk, version, actor)
    result = quality_score(
        selectors.active_criteria(),
        quality_input(
            problem=data.problem,
            evidence=data.evidence,
            links=data.links or [],
            account=data.account,
            contact_name=data.contact_name,
            impact=data.impact,
            product_area=data.product_area,
        ),
    )
    feedback.title, feedback.problem, feedback.evidence = data.title, data.problem, data.evidence
    feedback.links, feedback.tags, feedback.contact_name = data.links or [], data.tags or [], data.contact_name
    if "account" in fields:
        account = feedback.account
        feedback.segment_id = account.segment_id if account else None
        feedback.plan = account.plan if account else ""
        feedback.arr = account.arr if account else Decimal(0)
        feedback.currency = account.currency if account else "EUR"
    feedback.quality_score, feedback.quality_missing = result.score, result.missing
    feedback.last_changed_by = actor
    feedback.save(
        update_fields=[
            "title",
            "problem",
            "evidence",
            "links",
            "product_area",
            "impact",
            "tags",
            "account",
            "contact_name",
            "answer",
            "segment",
            "plan",
            "arr",
            "currency",
            "quality_score",
            "quality_missing",
            "last_changed_by",
            "updated_at",
        ]
    )
    feedback.refresh_from_db(fields=["version"])
    aggregates.record(before=[before], after=[aggregates.state_of(feedback)])
    refresh_opportunities(opportunity_ids=_opportunity_ids_of([feedback.pk]))
    return feedback


# --- duplicates -----------------------------------------------------------------------------


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


# --- opportunities --------------------------------------------------------------------------


def _opportunity_ids_of(feedback_ids: Iterable[int]) -> list[int]:
    return list(
        FeedbackOpportunity.objects.filter(feedback_id__in=list(feedback_ids))
        .values_list("opportunity_id", flat=True)
        .distinct()
    )


def refresh_opportunities(*, opportunity_ids: Iterable[int], now: datetime | None = None) -> None:
    """Recomputes the stored drivers and priority score of the given opportunities.

    Accounts are counted once across linked feedback and their supporters; ARR at stake is the
    sum of those distinct accounts' current ARR. Cost: a handful of indexed aggregates each.
    """
    ids = list(set(opportunity_ids))
    if not ids:
        return
    now = now or timezone.now()
    weights = selectors.priority_weights()
    for opportunity in Opportunity.objects.filter(pk__in=ids):
        links = Feedback.objects.filter(opportunity_links__opportunity=opportunity).exclude(
            status=FeedbackStatus.DUPLICATE
        )
        stats = links.aggregate(count=Count("pk"), last=Max("received_at"))
        direct = CustomerAccount.objects.filter(feedbacks__opportunity_links__opportunity=opportunity).values("pk")
        backing = CustomerAccount.objects.filter(supports__feedback__opportunity_links__opportunity=opportunity).values(
            "pk"
        )
        accounts = CustomerAccount.objects.filter(Q(pk__in=direct) | Q(pk__in=backing)).aggregate(
            count=Count("pk"), arr=Sum("arr"), segments=Count("segment", distinct=True)
        )
        drivers = PriorityDrivers(
            account_count=accounts["count"] or 0,
            arr_at_stake=accounts["arr"] or Decimal(0),
            segment_count=accounts["segments"] or 0,
            last_feedback_at=stats["last"],
            strategic_fit=opportunity.strategic_fit,
            effort=opportunity.effort,
        )
        score, breakdown = priority_score(drivers, weights, now=now)
        Opportunity.objects.filter(pk=opportunity.pk).update(
            feedback_count=stats["count"] or 0,
            account_count=drivers.account_count,
            segment_count=drivers.segment_count,
            arr_at_stake=drivers.arr_at_stake,
            last_feedback_at=drivers.last_feedback_at,
            priority_score=score,
            score_breakdown=breakdown,
        )


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


# --- accounts -------------------------------------------------------------------------------


def _validate_account(account: CustomerAccount) -> None:
    errors: dict[str, Any] = {}
    account.name = (account.name or "").strip()
    if not account.name:
        errors["name"] = _("This field is required.")
    if account.arr is None or Decimal(account.arr) < 0:
        errors["arr"] = _("ARR cannot be negative.")
    account.currency = (account.currency or "EUR").upper()
    if len(account.currency) != 3 or not account.currency.isalpha():
        errors["currency"] = _("A three-letter currency code, such as EUR or USD.")
    if (
        account.external_id
        and CustomerAccount.objects.exclude(pk=account.pk).filter(external_id=account.external_id).exists()
    ):
        errors["external_id"] = _("Another account has this external ID.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_account(
    *,
    actor: Any,
    account: CustomerAccount | None = None,
    name: str,
    segment: Segment | None = None,
    plan: str = "",
    arr: Decimal = Decimal(0),
    currency: str = "EUR",
    owner: Any = None,
    external_id: str = "",
) -> CustomerAccount:
    """Creates or edits a customer account (product side only). Existing feedback keeps the
    figures it was submitted with; opportunities are rescored on the new ARR."""
    _require(can_triage(actor))
    account = account or CustomerAccount()
    account.name, account.segment, account.plan = name, segment, plan.strip()[:60]
    account.arr, account.currency, account.owner, account.external_id = (
        Decimal(arr),
        currency,
        owner,
        external_id.strip(),
    )
    _validate_account(account)
    account.save()
    opportunity_ids = FeedbackOpportunity.objects.filter(
        Q(feedback__account=account) | Q(feedback__supporters__account=account)
    ).values_list("opportunity_id", flat=True)
    refresh_opportunities(opportunity_ids=list(opportunity_ids.distinct()[:1000]))
    return account


# --- configuration (product ops) ------------------------------------------------------------

POLICY_FIELDS = (
    "required_fields",
    "processing_sla_days",
    "resolution_sla_days",
    "quality_bar",
    "status_labels",
    "weight_accounts",
    "weight_arr",
    "weight_segments",
    "weight_recency",
    "weight_strategic_fit",
    "accounts_cap",
    "arr_cap",
    "recency_half_life_days",
)
WEIGHT_FIELDS = {
    "weight_accounts",
    "weight_arr",
    "weight_segments",
    "weight_recency",
    "weight_strategic_fit",
    "accounts_cap",
    "arr_cap",
    "recency_half_life_days",
}


@transaction.atomic
def update_policy(*, actor: Any, version: int | None, **fields: Any) -> FeedbackPolicy:
    """Changes the useful-feedback definition, SLAs and priority weights. New weights rescore
    every opportunity in the background worker."""
    _require(can_configure(actor))
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    policy = selectors.get_policy()
    errors: dict[str, Any] = {}
    if "required_fields" in fields:
        bad = [f for f in fields["required_fields"] if f not in RequiredField.values]
        if bad:
            errors["required_fields"] = _("Unknown field.")
        fields["required_fields"] = sorted(set(fields["required_fields"]))
    if "quality_bar" in fields and not 0 <= int(fields["quality_bar"]) <= 100:
        errors["quality_bar"] = _("Between 0 and 100.")
    for name in ("processing_sla_days", "resolution_sla_days"):
        if name in fields and not 1 <= int(fields[name]) <= 3650:
            errors[name] = _("Between 1 and 3650 days.")
    if "status_labels" in fields:
        labels = fields["status_labels"] or {}
        if not isinstance(labels, dict) or any(
            k not in FeedbackStatus.values or not isinstance(v, dict) or set(v) - {"en", "fr"}
            for k, v in labels.items()
        ):
            errors["status_labels"] = _("Labels are given per status, in English and French.")
        else:
            fields["status_labels"] = {
                k: {lang: str(text).strip()[:40] for lang, text in v.items() if str(text).strip()}
                for k, v in labels.items()
            }
    weights = [int(fields.get(n, getattr(policy, n))) for n in WEIGHT_FIELDS if n.startswith("weight_")]
    if any(w < 0 for w in weights) or sum(weights) == 0:
        errors["weight_accounts"] = _("Weights cannot be negative and at least one must be above zero.")
    if errors:
        raise ValidationError(errors)
    _claim_version(FeedbackPolicy, policy.pk, version, actor)
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save(update_fields=[*fields, "updated_at"])
    policy.refresh_from_db()
    if WEIGHT_FIELDS & set(fields):
        from guilde.feedback.tasks import recompute_priorities

        transaction.on_commit(lambda: recompute_priorities.enqueue())
    if {"processing_sla_days", "resolution_sla_days"} & set(fields):
        # The KPI aggregates count late processing/resolution against the SLA in force.
        from guilde.feedback.tasks import rebuild_kpi_aggregates

        transaction.on_commit(lambda: rebuild_kpi_aggregates.enqueue())
    return policy


@transaction.atomic
def save_criterion(
    *,
    actor: Any,
    criterion: QualityCriterion | None = None,
    key: str,
    kind: str,
    label_en: str,
    label_fr: str = "",
    hint_en: str = "",
    hint_fr: str = "",
    weight: int = 1,
    position: int = 0,
    is_active: bool = True,
) -> QualityCriterion:
    """Adds or edits a rubric line; every feedback's quality score is recomputed in the background."""
    _require(can_configure(actor))
    errors: dict[str, Any] = {}
    if kind not in CriterionKind.values:
        errors["kind"] = _("Unknown check.")
    if not (label_en or "").strip():
        errors["label_en"] = _("This field is required.")
    if not 0 <= int(weight) <= 100:
        errors["weight"] = _("Between 0 and 100.")
    if not key or QualityCriterion.objects.filter(key=key).exclude(pk=criterion.pk if criterion else 0).exists():
        errors["key"] = _("Choose a key no other criterion uses.")
    if errors:
        raise ValidationError(errors)
    criterion = criterion or QualityCriterion()
    criterion.key, criterion.kind, criterion.label_en, criterion.label_fr = (
        key,
        kind,
        label_en.strip(),
        label_fr.strip(),
    )
    criterion.hint_en, criterion.hint_fr, criterion.weight = hint_en.strip(), hint_fr.strip(), int(weight)
    criterion.position, criterion.is_active = position, is_active
    criterion.save()
    _schedule_quality_recompute()
    return criterion


def _schedule_quality_recompute() -> None:
    from guilde.feedback.tasks import recompute_quality_scores

    transaction.on_commit(lambda: recompute_quality_scores.enqueue())


@transaction.atomic
def delete_criterion(*, actor: Any, criterion: QualityCriterion) -> None:
    _require(can_configure(actor))
    criterion.delete()
    _schedule_quality_recompute()


@transaction.atomic
def save_product_area(
    *,
    actor: Any,
    area: ProductArea | None = None,
    name_en: str,
    name_fr: str = "",
    position: int = 0,
    is_archived: bool = False,
) -> ProductArea:
    _require(can_configure(actor))
    if not (name_en or "").strip():
        raise ValidationError({"name_en": _("This field is required.")})
    area = area or ProductArea()
    area.name_en, area.name_fr, area.position, area.is_archived = (
        name_en.strip(),
        name_fr.strip(),
        position,
        is_archived,
    )
    area.save()
    return area


@transaction.atomic
def save_segment(
    *, actor: Any, segment: Segment | None = None, key: str, name_en: str, name_fr: str = "", position: int = 0
) -> Segment:
    _require(can_configure(actor))
    errors: dict[str, Any] = {}
    if not (name_en or "").strip():
        errors["name_en"] = _("This field is required.")
    if not key or Segment.objects.filter(key=key).exclude(pk=segment.pk if segment else 0).exists():
        errors["key"] = _("Choose a key no other segment uses.")
    if errors:
        raise ValidationError(errors)
    segment = segment or Segment()
    segment.key, segment.name_en, segment.name_fr, segment.position = key, name_en.strip(), name_fr.strip(), position
    segment.save()
    return segment


def recompute_quality(*, batch_size: int = 2000) -> int:
    """Rescores every feedback against the current rubric, in primary-key batches (bounded memory,
    short transactions). Returns how many changed. Run by the background worker."""
    criteria = selectors.active_criteria()
    changed = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Feedback.objects.filter(pk__gt=last_pk)
                .select_related("account")
                .only(
                    "id",
                    "problem",
                    "evidence",
                    "links",
                    "account__segment_id",
                    "contact_name",
                    "impact",
                    "product_area_id",
                    "quality_score",
                    "quality_missing",
                    *aggregates.STATE_FIELDS,
                )
                .order_by("pk")[:batch_size]
            )
            if not rows:
                return changed
            dirty = []
            rescored: list[tuple[aggregates.KpiState, int]] = []
            for f in rows:
                result = quality_score(
                    criteria,
                    QualityInput(
                        problem=f.problem,
                        evidence=f.evidence,
                        links=list(f.links or []),
                        has_account=f.account_id is not None,
                        contact_name=f.contact_name,
                        has_segment=bool(f.account is not None and f.account.segment_id),
                        impact=f.impact,
                        has_product_area=f.product_area_id is not None,
                    ),
                )
                if result.score != f.quality_score or result.missing != f.quality_missing:
                    if result.score != f.quality_score:
                        rescored.append((aggregates.state_of(f), result.score))
                    f.quality_score, f.quality_missing = result.score, result.missing
                    dirty.append(f)
            Feedback.objects.bulk_update(dirty, ["quality_score", "quality_missing"], batch_size=500)
            aggregates.record(
                before=[b for b, _score in rescored],
                after=[aggregates.with_changes(b, quality_score=score) for b, score in rescored],
            )
            changed += len(dirty)
            last_pk = rows[-1].pk


def recompute_all_priorities(*, batch_size: int = 500) -> int:
    count = 0
    last_pk = 0
    while True:
        ids = list(Opportunity.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return count
        with transaction.atomic():
            refresh_opportunities(opportunity_ids=ids)
        count += len(ids)
        last_pk = ids[-1]


# --- saved views ----------------------------------------------------------------------------


@transaction.atomic
def save_view(*, actor: Any, name: str, query: str) -> SavedView:
    _require(can_submit(actor))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if len(name) > 80:
        raise ValidationError({"name": _("At most 80 characters.")})
    query = (query or "").lstrip("?")
    query = "&".join(p for p in query.split("&") if p and not p.startswith("cursor="))[:1000]
    try:
        view, _created = SavedView.objects.update_or_create(owner=actor, name=name, defaults={"query": query})
    except IntegrityError as exc:
        raise ValidationError({"name": _("You already have a view with this name.")}) from exc
    return view


@transaction.atomic
def delete_view(*, actor: Any, view: SavedView) -> None:
    if view.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied
    view.delete()


# --- CSV import -----------------------------------------------------------------------------


@transaction.atomic
def update_import_mapping(*, actor: Any, job: ImportJob, mapping: dict[str, str], headers: Sequence[str]) -> ImportJob:
    """Stores the column mapping chosen on the mapping page, before the job runs.

    `headers` are the file's columns (`imports.headers_of`): a mapping naming another column is
    refused, so the import cannot start on a column that will read empty on every row."""
    _require(can_triage(actor))
    if job.status not in {ImportStatus.PENDING, ImportStatus.INVALID, ImportStatus.FAILED}:
        raise ValidationError({"mapping": _("This import has already run.")})
    cleaned = {str(field): str(column or "") for field, column in mapping.items()}
    unknown = [column for column in cleaned.values() if column and column not in set(headers)]
    if unknown:
        raise ValidationError(
            {"mapping": _("These columns are not in the file: %(columns)s") % {"columns": ", ".join(unknown)}}
        )
    job.mapping = cleaned
    job.save(update_fields=["mapping", "updated_at"])
    return job


# --- default definition ---------------------------------------------------------------------

#: The same starting rubric and segments as data migration 0003 (kept apart: migrations are frozen
#: history, and a flushed database — transactional tests, `flush` — has lost what 0003 created).
DEFAULT_REQUIRED_FIELDS = ["title", "problem", "source"]
DEFAULT_CRITERIA = [
    (
        CriterionKind.PROBLEM_NOT_SOLUTION,
        "States the problem, not a solution",
        "Décrit le problème, pas une solution",
        "Say what the customer cannot do and why, rather than the feature they asked for.",
        "Dites ce que le client ne peut pas faire et pourquoi, plutôt que la fonctionnalité demandée.",
    ),
    (
        CriterionKind.NAMES_CUSTOMER_AND_SEGMENT,
        "Names the customer and segment",
        "Nomme le client et son segment",
        "Pick the customer account (its segment comes with it) or name the contact.",
        "Choisissez le compte client (son segment suit) ou nommez le contact.",
    ),
    (
        CriterionKind.HAS_EVIDENCE,
        "Has evidence: quote, ticket, recording",
        "Apporte une preuve\u202f: verbatim, ticket, enregistrement",
        "Paste the customer's own words or link the ticket or recording.",
        "Collez les mots du client ou liez le ticket ou l'enregistrement.",
    ),
    (
        CriterionKind.SAYS_IMPACT,
        "Says the impact",
        "Indique l'impact",
        "Set the impact and say what it costs the customer: time, money, renewal.",
        "Indiquez l'impact et ce qu'il coûte au client\u202f: temps, argent, renouvellement.",
    ),
]
DEFAULT_SEGMENTS = [
    ("smb", "SMB", "TPE/PME"),
    ("mid_market", "Mid-market", "ETI"),
    ("enterprise", "Enterprise", "Grands comptes"),
]


@transaction.atomic
def ensure_default_definition() -> dict[str, int]:
    """Creates the default policy, rubric and segments when absent; idempotent, never changes existing rows.

    The rubric and segments are only filled when empty, so criteria or segments product ops
    deleted on purpose do not come back while others remain. Returns how many rows were created."""
    created = {"policy": 0, "criteria": 0, "segments": 0}
    _policy, made = FeedbackPolicy.objects.get_or_create(pk=1, defaults={"required_fields": DEFAULT_REQUIRED_FIELDS})
    created["policy"] = int(made)
    if not QualityCriterion.objects.exists():
        QualityCriterion.objects.bulk_create(
            QualityCriterion(
                key=str(kind),
                kind=kind,
                label_en=label_en,
                label_fr=label_fr,
                hint_en=hint_en,
                hint_fr=hint_fr,
                weight=25,
                position=position,
            )
            for position, (kind, label_en, label_fr, hint_en, hint_fr) in enumerate(DEFAULT_CRITERIA)
        )
        created["criteria"] = len(DEFAULT_CRITERIA)
    if not Segment.objects.exists():
        Segment.objects.bulk_create(
            Segment(key=key, name_en=name_en, name_fr=name_fr, position=position)
            for position, (key, name_en, name_fr) in enumerate(DEFAULT_SEGMENTS)
        )
        created["segments"] = len(DEFAULT_SEGMENTS)
    return created
