"""Writes on check-ins and absences."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from guilde.community import services as community_services
from guilde.initiatives import planner, selectors
from guilde.initiatives.enums import (
    InitiativeStatus,
)
from guilde.initiatives.models import (
    Absence,
    CheckIn,
    Initiative,
    StatusChange,
)
from guilde.initiatives.services._common import MAX_ABSENCE_DAYS, MAX_CHECK_IN_MINUTES, _clean_text, _require
from guilde.initiatives.services.plan_stamp import touch_plan


@transaction.atomic
def check_in(*, actor: Any, initiative: Initiative, note: str, minutes_spent: int, week: date | None = None) -> CheckIn:
    """Records progress and time spent; the initiative's spent time (and remaining effort) follow."""
    _require(actor, "initiatives.check_in", initiative)
    errors: dict[str, str] = {}
    note = _clean_text(note)
    if not note:
        errors["note"] = _("Say in a sentence what moved forward.")
    if (
        not isinstance(minutes_spent, int)
        or isinstance(minutes_spent, bool)
        or not 0 <= minutes_spent <= MAX_CHECK_IN_MINUTES
    ):
        errors["minutes_spent"] = _("Give the time spent in minutes, between 0 and 600.")
    day = selectors.today()
    monday = planner.week_start(week or day)
    if monday > day:
        errors["week"] = _("A check-in is about time already spent, not a future week.")
    if errors:
        raise ValidationError(errors)
    row = CheckIn.objects.create(
        initiative=initiative, author=actor, note=note, minutes_spent=minutes_spent, week=monday
    )
    Initiative.objects.filter(pk=initiative.pk).update(spent_minutes=F("spent_minutes") + minutes_spent)
    if initiative.status == InitiativeStatus.PLANNED:
        StatusChange.objects.create(
            initiative=initiative, from_status=initiative.status, to_status=InitiativeStatus.IN_PROGRESS, actor=actor
        )
        Initiative.objects.filter(pk=initiative.pk).update(
            status=InitiativeStatus.IN_PROGRESS, version=F("version") + 1
        )
    touch_plan()
    initiative.refresh_from_db(fields=["spent_minutes", "status", "version"])
    return row


@transaction.atomic
def declare_absence(*, actor: Any, start: date, end: date, note: str = "") -> Absence:
    """Declares a period away: the planner counts the actor out for those working days."""
    _require(actor, "initiatives.browse")
    member = selectors.member_of(user=actor) or community_services.ensure_member(user=actor)
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = _("Give the first day away.")
    if end is None:
        errors["end"] = _("Give the last day away.")
    if start and end:
        if end < start:
            errors["end"] = _("The end cannot be before the start.")
        elif (end - start).days > MAX_ABSENCE_DAYS:
            errors["end"] = _("Declare a year at most.")
        elif end < selectors.today():
            errors["end"] = _("This period is already over.")
    if errors:
        raise ValidationError(errors)
    return Absence.objects.create(member=member, start=start, end=end, note=_clean_text(note, limit=120))


@transaction.atomic
def delete_absence(*, actor: Any, absence: Absence) -> None:
    _require(actor, "initiatives.change_absence", absence)
    absence.delete()
