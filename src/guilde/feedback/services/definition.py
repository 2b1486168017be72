"""The useful-feedback definition (product ops): policy, rubric, product areas, segments, saved views,
and the idempotent default definition."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.enums import CriterionKind, FeedbackStatus, RequiredField
from guilde.feedback.models import FeedbackPolicy, ProductArea, QualityCriterion, SavedView, Segment
from guilde.feedback.rules import can_configure, can_submit
from guilde.feedback.services._common import _claim_version, _require

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
