import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guilde.core.concurrency import claim_version
from guilde.rituals import recurrence, tasks
from guilde.rituals.enums import SessionStatus
from guilde.rituals.models import (
    Ritual,
    Session,
)
from guilde.rituals.services._common import _cancel, _on_commit, _require

HORIZON_WEEKS = 12

RITUAL_FIELDS = (
    "name",
    "purpose",
    "weekday",
    "interval_weeks",
    "local_time",
    "timezone",
    "starts_on",
    "duration_minutes",
    "topic_slots",
    "capacity",
    "video_url",
    "visibility",
    "is_active",
)

CADENCE_FIELDS = ("weekday", "interval_weeks", "local_time", "timezone", "starts_on", "duration_minutes")


def cadence_of(ritual: Ritual) -> recurrence.Cadence:
    return recurrence.Cadence(
        weekday=ritual.weekday,
        interval_weeks=ritual.interval_weeks,
        local_time=ritual.local_time,
        timezone=ritual.timezone,
        starts_on=ritual.starts_on,
        duration_minutes=ritual.duration_minutes,
    )


def _validate_ritual(data: dict[str, Any], *, allow_odd_hour: bool) -> None:
    errors: dict[str, str] = {}
    if not (1 <= int(data["interval_weeks"]) <= 12):
        errors["interval_weeks"] = _("Choose between every week and every 12 weeks.")
    if not (15 <= int(data["duration_minutes"]) <= 480):
        errors["duration_minutes"] = _("A session lasts between 15 minutes and 8 hours.")
    if not (1 <= int(data["topic_slots"]) <= 6):
        errors["topic_slots"] = _("Between 1 and 6 topics per session.")
    if data.get("capacity") is not None and int(data["capacity"]) < 1:
        errors["capacity"] = _("Leave empty for no limit, or allow at least one person.")
    if not allow_odd_hour and recurrence.is_odd_hour(data["local_time"]):
        errors["local_time"] = _(
            "%(time)s in %(zone)s is outside usual hours. Tick the confirmation box if that is intended."
        ) % {"time": data["local_time"].strftime("%H:%M"), "zone": data["timezone"]}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_ritual(*, actor: Any, hosts: Iterable[Any] = (), allow_odd_hour: bool = False, **data: Any) -> Ritual:
    """Creates a ritual and generates its sessions for the coming weeks."""
    _require(actor.has_perm("rituals.add_ritual"))
    data = {key: value for key, value in data.items() if key in RITUAL_FIELDS}
    data.setdefault("starts_on", timezone.localdate())
    defaults = {f.name: f.get_default() for f in Ritual._meta.fields if f.name in RITUAL_FIELDS}
    _validate_ritual({**defaults, **data}, allow_odd_hour=allow_odd_hour)
    ritual = Ritual.objects.create(**data)
    ritual.hosts.set(list(hosts) or [actor])
    extend_schedule(ritual=ritual)
    return ritual


@transaction.atomic
def update_ritual(
    *,
    actor: Any,
    ritual: Ritual,
    version: int,
    hosts: Iterable[Any] | None = None,
    allow_odd_hour: bool = False,
    **data: Any,
) -> Ritual:
    """Changes a ritual; when the cadence changes, future untouched sessions follow it.

    A generated session that no longer falls on the cadence is cancelled (with a cancellation
    sent to those going) rather than deleted, so calendars stay right. Sessions moved or added
    by hand are left alone.
    """
    _require(actor.has_perm("rituals.change_ritual", ritual))
    data = {key: value for key, value in data.items() if key in RITUAL_FIELDS}
    _validate_ritual({**{f: getattr(ritual, f) for f in RITUAL_FIELDS}, **data}, allow_odd_hour=allow_odd_hour)
    claim_version(
        Ritual, ritual.pk, version, _("Someone else changed this ritual meanwhile. Reload the page and try again.")
    )
    cadence_changed = any(key in data and data[key] != getattr(ritual, key) for key in CADENCE_FIELDS)
    for key, value in data.items():
        setattr(ritual, key, value)
    ritual.version = version + 1
    ritual.save()
    if hosts is not None:
        ritual.hosts.set(list(hosts))
    if cadence_changed:
        _follow_cadence(ritual)
    extend_schedule(ritual=ritual)
    return ritual


def _follow_cadence(ritual: Ritual) -> None:
    cadence = cadence_of(ritual)
    future = ritual.sessions.filter(
        starts_at__gte=timezone.now(), occurrence_date__isnull=False, is_moved=False, status=SessionStatus.SCHEDULED
    )
    for session in future:
        assert session.occurrence_date is not None
        if recurrence.matches_cadence(cadence, session.occurrence_date):
            occurrence = recurrence.occurrence_on(cadence, session.occurrence_date)
            if (session.starts_at, session.ends_at) != (occurrence.starts_at, occurrence.ends_at):
                session.starts_at, session.ends_at = occurrence.starts_at, occurrence.ends_at
                session.sequence += 1
                session.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
                _on_commit(lambda pk=session.pk: tasks.send_session_change.enqueue(pk, "update"))
        elif session.rsvps.exists() or session.topics.exists():
            _cancel(session, reason=_("The ritual's schedule changed."))
        else:
            session.delete()


def extend_schedule(*, ritual: Ritual, now: datetime.datetime | None = None, weeks: int = HORIZON_WEEKS) -> int:
    """Creates the missing sessions of the cadence for the next `weeks`; returns how many.

    A system job with no actor (run on creation, on changes and by the reminders task). A cadence
    date that already has a session, moved or cancelled, is never created again.
    """
    if not ritual.is_active:
        return 0
    now = now or timezone.now()
    cadence = cadence_of(ritual)
    wanted = list(recurrence.occurrences(cadence, start=now, end=now + datetime.timedelta(weeks=weeks)))
    if not wanted:
        return 0
    existing = set(
        ritual.sessions.filter(occurrence_date__in=[o.date for o in wanted]).values_list("occurrence_date", flat=True)
    )
    rows = [
        Session(ritual=ritual, occurrence_date=o.date, starts_at=o.starts_at, ends_at=o.ends_at)
        for o in wanted
        if o.date not in existing
    ]
    with transaction.atomic():
        Session.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
