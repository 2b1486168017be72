"""Writes on pledges: pledging weekly time within one's commitment, and withdrawing."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.community.models import Member
from guilde.initiatives import planner, selectors
from guilde.initiatives.models import (
    Initiative,
    Pledge,
)
from guilde.initiatives.services._common import MAX_PLEDGE_WEEKS, _require, format_minutes
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify


def _week_starts(start: date, end: date) -> list[date]:
    monday = planner.week_start(start)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def check_pledge_fits(
    *, member: Member, minutes_per_week: int, start: date, end: date, exclude: int | None = None
) -> None:
    """Raises a ValidationError naming what is already pledged if the new pledge overflows a week."""
    others = selectors.pledged_by_week(member=member, start=start, end=end, exclude=exclude)
    worst_week, worst_total, worst_pledges = None, 0, []
    for monday in _week_starts(start, end):
        sunday = monday + timedelta(days=6)
        active = [p for p in others if p.start <= sunday and p.end >= monday]
        total = sum(p.minutes_per_week for p in active)
        if worst_week is None or total > worst_total:
            worst_week, worst_total, worst_pledges = monday, total, active
    if worst_total + minutes_per_week <= member.weekly_minutes:
        return
    left = max(0, member.weekly_minutes - worst_total)
    details = ", ".join(
        _("%(initiative)s: %(time)s") % {"initiative": p.initiative.title, "time": format_minutes(p.minutes_per_week)}
        for p in worst_pledges
    )
    values = {
        "commitment": format_minutes(member.weekly_minutes),
        "pledged": format_minutes(worst_total),
        "details": details,
        "week": planner.short_date(worst_week) if worst_week else "",
        "left": format_minutes(left),
    }
    if worst_total:
        message = (
            _(
                "You give the community %(commitment)s a week and already pledged %(pledged)s in the week of %(week)s "
                "(%(details)s). You can pledge up to %(left)s more."
            )
            % values
        )
    else:
        message = (
            _(
                "You give the community %(commitment)s a week: pledge at most that much, or raise your weekly time "
                "in your profile."
            )
            % values
        )
    raise ValidationError({"minutes_per_week": message}, code="over_capacity")


@transaction.atomic
def pledge(*, actor: Any, initiative: Initiative, minutes_per_week: int, start: date, end: date) -> Pledge:
    """The actor pledges weekly time to an initiative for a period, within their weekly commitment.

    The actor's profile row is locked first (select_for_update; SQLite serialises writers with
    IMMEDIATE transactions), so two pledges sent at the same moment cannot both pass the check.
    """
    _require(actor, "initiatives.pledge", initiative)
    member = Member.objects.select_for_update().filter(user=actor).first()
    if member is None or not member.is_volunteer:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not isinstance(minutes_per_week, int) or isinstance(minutes_per_week, bool) or minutes_per_week <= 0:
        errors["minutes_per_week"] = _("Pledge a positive number of minutes a week.")
    if start is None:
        errors["start"] = _("Give the first day of your pledge.")
    if end is None:
        errors["end"] = _("Give the last day of your pledge.")
    if start and end:
        if end < start:
            errors["end"] = _("The end cannot be before the start.")
        elif (end - start).days > MAX_PLEDGE_WEEKS * 7:
            errors["end"] = _("Pledge for a year at most; you can pledge again later.")
        if start < planner.week_start(selectors.today()):
            errors["start"] = _("A pledge starts this week or later.")
    if errors:
        raise ValidationError(errors)
    check_pledge_fits(member=member, minutes_per_week=minutes_per_week, start=start, end=end)
    created = Pledge.objects.create(
        initiative=initiative, member=member, minutes_per_week=minutes_per_week, start=start, end=end
    )
    if initiative.lead is not None and initiative.lead_id != actor.pk:
        notify(
            recipients=[initiative.lead],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(
                gettext_lazy("{name} pledged {time} a week to “{title}”"),
                name=actor.full_name or actor.email,
                time=format_minutes(minutes_per_week),
                title=initiative.title,
            ),
            url=initiative.get_absolute_url(),
            actor=actor,
            email=False,
        )
    return created


@transaction.atomic
def withdraw_pledge(*, actor: Any, pledge: Pledge) -> None:
    """Ends a pledge today (one not started yet disappears); the time already given stays counted."""
    _require(actor, "initiatives.change_pledge", pledge)
    day = selectors.today()
    if pledge.start > day:
        pledge.delete()
        return
    if pledge.end > day:
        pledge.end = day
        pledge.save(update_fields=["end", "updated_at"])
