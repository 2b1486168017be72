"""Feedback coming in: submitting, backing an existing feedback, editing, and the CSV import mapping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import FeedbackStatus, Impact, ImportStatus, Language, RequiredField, SourceChannel
from guilde.feedback.models import (
    CustomerAccount,
    Feedback,
    FeedbackPolicy,
    FeedbackSupporter,
    ImportJob,
    ProductArea,
    StatusChange,
)
from guilde.feedback.rules import can_submit, can_triage
from guilde.feedback.scoring import quality_score
from guilde.feedback.services._common import _claim_version, _recount_supporters, _require, _root
from guilde.feedback.services.scores import _opportunity_ids_of, quality_input, refresh_opportunities

MAX_LINKS = 20
# The choices as sets, built once: `TextChoices.values` builds a list (with lazy labels) on
# every access, which was a tenth of the CSV import's validation time.
_SOURCE_VALUES = frozenset(SourceChannel.values)
_IMPACT_VALUES = frozenset(Impact.values)
_LANGUAGE_VALUES = frozenset(Language.values)


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
    if data.source and data.source not in _SOURCE_VALUES:
        add("source", _("Unknown source."))
    if data.impact and data.impact not in _IMPACT_VALUES:
        add("impact", _("Unknown impact."))
    if data.language not in _LANGUAGE_VALUES:
        add("language", _("Unknown language."))
    try:
        data.links = _clean_links(data.links)
    except ValidationError as exc:
        for message in exc.message_dict.get("links", []):
            add("links", message)
    data.tags = sorted({str(t).strip().lower()[:40] for t in (data.tags or []) if str(t).strip()})[:20]
    return errors


def feedback_values(data: FeedbackData, *, criteria: list, now: datetime) -> dict[str, Any]:
    """The column values (by attribute name) a new feedback takes from validated data: the account's
    segment, plan and ARR snapshotted, the quality score computed.

    `build_feedback` makes a model instance of them; the CSV import writes them as plain rows
    (no model instance per row). One function for both, so both always store the same values.
    """
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
    return {
        "title": data.title,
        "problem": data.problem,
        "evidence": data.evidence,
        "links": data.links or [],
        "account_id": account.pk if account else None,
        "contact_name": data.contact_name,
        "segment_id": account.segment_id if account else None,
        "plan": account.plan if account else "",
        "arr": account.arr if account else Decimal(0),
        "currency": account.currency if account else "EUR",
        "impact": data.impact,
        "product_area_id": data.product_area.pk if data.product_area else None,
        "source": data.source,
        "language": data.language,
        "tags": data.tags or [],
        "quality_score": result.score,
        "quality_missing": result.missing,
        "external_id": data.external_id,
        "received_at": data.received_at or now,
    }


def build_feedback(data: FeedbackData, *, submitter: Any, team: str, criteria: list, now: datetime) -> Feedback:
    """An unsaved Feedback from validated data, with account figures snapshotted and quality computed."""
    values = feedback_values(data, criteria=criteria, now=now)
    # The related objects themselves rather than their ids: the caller reads them without a query.
    del values["account_id"], values["product_area_id"]
    return Feedback(
        **values,
        account=data.account,
        product_area=data.product_area,
        submitter=submitter,
        submitter_team=team,
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
