"""Writes on initiatives: creation, edits, status moves, priority, archive and delete."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.community import services as community_services
from guilde.community.models import Pillar
from guilde.core.concurrency import claim_version
from guilde.initiatives import planner, selectors
from guilde.initiatives.enums import (
    ACTIVE_STATUSES,
    ENDS_PLEDGES,
    NEEDS_REASON,
    ChallengeStatus,
    InitiativeKind,
    InitiativeStatus,
)
from guilde.initiatives.models import (
    Challenge,
    Initiative,
    Pledge,
    StatusChange,
)
from guilde.initiatives.services._common import INITIATIVE_FIELDS, MAX_EFFORT_HOURS, _clean_text, _require
from guilde.initiatives.services.challenges import _decide
from guilde.initiatives.services.plan_stamp import touch_plan
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify


def _validate_initiative(data: dict[str, Any], *, actor: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = dict(data)
    unknown = set(clean) - set(INITIATIVE_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}}
        )
    if "title" in clean:
        clean["title"] = " ".join(str(clean["title"] or "").split())
        if not clean["title"]:
            errors["title"] = _("Give the initiative a short title.")
        elif len(clean["title"]) > 160:
            errors["title"] = _("Keep the title under 160 characters.")
    if "goal" in clean:
        clean["goal"] = _clean_text(clean["goal"])
        if not clean["goal"]:
            errors["goal"] = _("Say what this initiative changes for the community.")
    if "expected_outcome" in clean:
        clean["expected_outcome"] = _clean_text(clean["expected_outcome"])
    if "pillar" in clean and (not isinstance(clean["pillar"], Pillar) or clean["pillar"].is_archived):
        errors["pillar"] = _("Choose one of the community's pillars.")
    if "kind" in clean and clean["kind"] not in InitiativeKind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if "effort_hours" in clean:
        effort = clean["effort_hours"]
        if not isinstance(effort, int) or isinstance(effort, bool) or not 1 <= effort <= MAX_EFFORT_HOURS:
            errors["effort_hours"] = _("Give the effort in whole person-hours, between 1 and 2,000.")
    if "value" in clean and (not isinstance(clean["value"], int) or not 1 <= clean["value"] <= 5):
        errors["value"] = _("Give a value between 1 and 5.")
    if "rank" in clean:
        if not isinstance(clean["rank"], int) or not 1 <= clean["rank"] <= 10000:
            errors["rank"] = _("Give a rank between 1 and 10,000.")
        elif not actor.has_perm("initiatives.manage"):
            errors["rank"] = _("Only product ops rank initiatives.")
    start, target = clean.get("start_date"), clean.get("target_date")
    if start and target and target < start:
        errors["target_date"] = _("The target date cannot be before the start.")
    if "lead" in clean and clean["lead"] is not None and not clean["lead"].is_active:
        errors["lead"] = _("Choose an active member as lead.")
    if errors:
        raise ValidationError(errors)
    return clean


def _notify_team(initiative: Initiative, *, actor: Any, title: Any, body: Any = "", email: bool = True) -> None:
    people = {
        p.member.user for p in initiative.pledges.filter(end__gte=selectors.today()).select_related("member__user")
    }
    if initiative.lead is not None:
        people.add(initiative.lead)
    notify(
        recipients=[p for p in people if p.pk != actor.pk],
        verb=Verb.INITIATIVE_UPDATE,
        title=title,
        body=body,
        url=initiative.get_absolute_url(),
        actor=actor,
        email=email,
    )


@transaction.atomic
def create_initiative(*, actor: Any, challenge: Challenge | None = None, **data: Any) -> Initiative:
    """Creates an initiative; from an open challenge (product ops only) it also accepts that challenge.

    Members propose ideas they lead; product ops may create them in any planned state.
    """
    _require(actor, "initiatives.add_initiative")
    skills = data.pop("skills", None)
    if "lead" not in data:
        data["lead"] = actor
    clean = _validate_initiative({**data, **({"skills": skills} if skills is not None else {})}, actor=actor)
    clean.pop("skills", None)
    missing = {
        name: _("This field is required.") for name in ("title", "goal", "pillar", "effort_hours") if name not in clean
    }
    if missing:
        raise ValidationError(missing)
    if challenge is not None:
        if not actor.has_perm("initiatives.manage"):
            raise PermissionDenied
        if challenge.status not in (ChallengeStatus.OPEN, ChallengeStatus.ACCEPTED):
            raise ValidationError({"challenge": _("This challenge was merged or declined.")})
    initiative = Initiative.objects.create(created_by=actor, challenge=challenge, **clean)
    if skills:
        initiative.skills.set(community_services.tags_for(names=skills))
    if challenge is not None and challenge.status == ChallengeStatus.OPEN:
        _decide(actor=actor, challenge=challenge, status=ChallengeStatus.ACCEPTED, reason="")
        notify(
            recipients=[challenge.author],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("Your challenge “{title}” became an initiative"), title=challenge.title),
            body=initiative.title,
            url=initiative.get_absolute_url(),
            actor=actor,
        )
    return initiative


@transaction.atomic
def update_initiative(*, actor: Any, initiative: Initiative, version: int, **data: Any) -> Initiative:
    """Changes the fields given; refuses a stale `version` with ConcurrentEditError."""
    _require(actor, "initiatives.change_initiative", initiative)
    merged = {
        "start_date": initiative.start_date,
        "target_date": initiative.target_date,
        **data,
    }
    clean = _validate_initiative(merged, actor=actor)
    if "rank" in data and data["rank"] == initiative.rank:
        clean.pop("rank")
    skills = clean.pop("skills", None)
    claim_version(Initiative, initiative.pk, version)
    fields = [key for key in clean if key in data or key in ("start_date", "target_date")]
    for key in fields:
        setattr(initiative, key, clean[key])
    initiative.version = version + 1
    initiative.save(update_fields=[*fields, "updated_at"])
    if skills is not None:
        initiative.skills.set(community_services.tags_for(names=skills))
    return initiative


@transaction.atomic
def move_initiative(
    *, actor: Any, initiative: Initiative, status: str, version: int, reason: str = "", outcome: str = ""
) -> Initiative:
    """Moves an initiative to another status, keeping the history.

    Pausing, deprioritising or abandoning needs a reason; delivering records the outcome. Those
    four end the initiative's pledges today, so its volunteers' hours are free again, and tell them.
    """
    _require(actor, "initiatives.change_initiative", initiative)
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    reason, outcome = _clean_text(reason), _clean_text(outcome)
    if status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Say why, so volunteers and the author of the challenge understand.")})
    if status == initiative.status:
        return initiative
    claim_version(Initiative, initiative.pk, version)
    StatusChange.objects.create(
        initiative=initiative, from_status=initiative.status, to_status=status, reason=reason or outcome, actor=actor
    )
    initiative.status = status
    initiative.status_reason = reason
    initiative.version = version + 1
    fields = ["status", "status_reason", "version", "updated_at"]
    if status == InitiativeStatus.DELIVERED:
        initiative.outcome = outcome or initiative.outcome
        initiative.delivered_on = selectors.today()
        fields += ["outcome", "delivered_on"]
    initiative.save(update_fields=fields)
    if status in ENDS_PLEDGES:
        day = selectors.today()
        _notify_team(
            initiative,
            actor=actor,
            title=format_lazy(
                gettext_lazy("“{title}” is now {status}"),
                title=initiative.title,
                status=InitiativeStatus(status).label,
            ),
            body=reason or outcome,
        )
        Pledge.objects.filter(initiative=initiative, end__gte=day, start__lte=day).update(end=day)
        Pledge.objects.filter(initiative=initiative, start__gt=day).delete()
    touch_plan()
    return initiative


@transaction.atomic
def reprioritise_initiative(*, actor: Any, initiative: Initiative, version: int, up: bool) -> Initiative:
    """Swaps an initiative with its neighbour in the planner's priority order (product ops' "move up/down").

    The planned and running initiatives are then ranked 1, 2, 3… in that order, so the swap holds
    whatever their value and effort; every row whose rank changes gets a new version, so an edit
    form opened before the move cannot quietly put the old rank back.
    """
    _require(actor, "initiatives.manage")
    rows = list(
        Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES).only(
            "id", "title", "pillar_id", "rank", "value", "effort_hours", "target_date"
        )
    )
    ordered = sorted(
        rows,
        key=lambda i: planner.priority_key(
            planner.PlannedInitiative(
                id=i.pk,
                title=i.title,
                pillar_id=i.pillar_id,
                remaining_minutes=0,
                target_date=i.target_date,
                rank=i.rank,
                value=i.value,
                effort_hours=i.effort_hours,
            )
        ),
    )
    position = next((index for index, row in enumerate(ordered) if row.pk == initiative.pk), None)
    if position is None:
        raise ValidationError(_("Only planned and running initiatives have a place in the plan."))
    other = position - 1 if up else position + 1
    if not 0 <= other < len(ordered):
        raise ValidationError(_("It is already first.") if up else _("It is already last."))
    claim_version(Initiative, initiative.pk, version)
    ordered[position], ordered[other] = ordered[other], ordered[position]
    for rank, row in enumerate(ordered, start=1):
        if row.pk == initiative.pk:
            Initiative.objects.filter(pk=row.pk).update(rank=rank)
        elif row.rank != rank:
            Initiative.objects.filter(pk=row.pk).update(rank=rank, version=F("version") + 1)
    touch_plan()
    initiative.refresh_from_db(fields=["rank", "version"])
    return initiative


@transaction.atomic
def archive_initiative(*, actor: Any, initiative: Initiative, archived: bool = True) -> Initiative:
    """Archives (hides from boards, lists and the planner) or restores; the history stays."""
    _require(actor, "initiatives.manage")
    initiative.is_archived = archived
    initiative.archived_at = timezone.now() if archived else None
    initiative.save(update_fields=["is_archived", "archived_at", "updated_at"])
    if archived:
        day = selectors.today()
        Pledge.objects.filter(initiative=initiative, end__gte=day, start__lte=day).update(end=day)
    touch_plan()
    return initiative


@transaction.atomic
def delete_initiative(*, actor: Any, initiative: Initiative) -> None:
    """Deletes an initiative nobody worked on yet; one with pledges, check-ins or moves is archived instead."""
    _require(actor, "initiatives.delete_initiative", initiative)
    if selectors.has_history(initiative):
        raise ValidationError(
            {"__all__": _("This initiative has pledges, check-ins or a history: archive it instead of deleting it.")}
        )
    initiative.delete()
