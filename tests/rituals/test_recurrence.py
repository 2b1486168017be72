import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from guilde.rituals import recurrence, services
from guilde.rituals.enums import SessionStatus
from guilde.rituals.models import Session
from tests.factories.rituals import RitualFactory, RsvpFactory, SessionFactory

UTC = datetime.UTC


def _cadence(zone: str, hour: int = 12, weekday: int = 1, start: datetime.date = datetime.date(2026, 3, 1)):
    return recurrence.Cadence(
        weekday=weekday,
        interval_weeks=1,
        local_time=datetime.time(hour, 0),
        timezone=zone,
        starts_on=start,
        duration_minutes=60,
    )


def test_recurrence_paris_keeps_noon_across_the_spring_change():
    cadence = _cadence("Europe/Paris")  # Tuesdays; Europe springs forward on 29 March 2026

    found = list(
        recurrence.occurrences(
            cadence, start=datetime.datetime(2026, 3, 20, tzinfo=UTC), end=datetime.datetime(2026, 4, 5, tzinfo=UTC)
        )
    )

    assert [o.date for o in found] == [datetime.date(2026, 3, 24), datetime.date(2026, 3, 31)]
    assert [o.starts_at.hour for o in found] == [11, 10]  # UTC moves by an hour...
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert {o.starts_at.astimezone(paris).time() for o in found} == {datetime.time(12, 0)}  # ...Paris does not
    assert all(o.ends_at - o.starts_at == datetime.timedelta(hours=1) for o in found)


def test_recurrence_paris_keeps_noon_across_the_autumn_change():
    cadence = _cadence("Europe/Paris", start=datetime.date(2026, 10, 1))  # back to winter time on 25 October

    found = list(
        recurrence.occurrences(
            cadence, start=datetime.datetime(2026, 10, 15, tzinfo=UTC), end=datetime.datetime(2026, 11, 1, tzinfo=UTC)
        )
    )

    assert [(o.date.day, o.starts_at.hour) for o in found] == [(20, 10), (27, 11)]


def test_recurrence_new_york_keeps_eleven_across_its_own_change():
    cadence = _cadence("America/New_York", hour=11, weekday=3)  # Thursdays; the US springs forward on 8 March 2026

    found = list(
        recurrence.occurrences(
            cadence, start=datetime.datetime(2026, 3, 1, tzinfo=UTC), end=datetime.datetime(2026, 3, 15, tzinfo=UTC)
        )
    )

    assert [(o.date.day, o.starts_at.hour) for o in found] == [(5, 16), (12, 15)]
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert {o.starts_at.astimezone(new_york).hour for o in found} == {11}


def test_recurrence_every_two_weeks_skips_a_week_from_the_first_weekday():
    cadence = recurrence.Cadence(1, 2, datetime.time(12, 0), "Europe/Paris", datetime.date(2026, 1, 1), 60)

    found = list(
        recurrence.occurrences(
            cadence, start=datetime.datetime(2026, 1, 1, tzinfo=UTC), end=datetime.datetime(2026, 2, 1, tzinfo=UTC)
        )
    )

    assert [o.date.day for o in found] == [6, 20]
    assert recurrence.matches_cadence(cadence, datetime.date(2026, 2, 3))
    assert not recurrence.matches_cadence(cadence, datetime.date(2026, 2, 10))


@pytest.mark.django_db
def test_extend_schedule_creates_the_horizon_once_and_respects_manual_changes():
    ritual = RitualFactory(starts_on=datetime.date(2026, 1, 1))
    now = datetime.datetime(2026, 1, 2, tzinfo=UTC)

    created = services.extend_schedule(ritual=ritual, now=now, weeks=8)
    first = ritual.sessions.order_by("starts_at").first()
    first.status = SessionStatus.CANCELLED
    first.save()
    again = services.extend_schedule(ritual=ritual, now=now, weeks=8)

    assert (created, again) == (4, 0)
    assert ritual.sessions.filter(status=SessionStatus.CANCELLED).count() == 1


@pytest.mark.django_db
def test_create_ritual_refuses_three_am_without_confirmation(ops):
    with pytest.raises(ValidationError) as error:
        services.create_ritual(actor=ops, name="Night owls", local_time=datetime.time(3, 0), timezone="Europe/Paris")

    assert "local_time" in error.value.message_dict
    ritual = services.create_ritual(
        actor=ops, name="Night owls", local_time=datetime.time(3, 0), timezone="Europe/Paris", allow_odd_hour=True
    )
    assert ritual.sessions.count() == 6  # every two weeks over the twelve-week horizon


@pytest.mark.django_db
def test_changing_the_cadence_moves_untouched_sessions_and_cancels_answered_ones(ops):
    ritual = services.create_ritual(actor=ops, name="Exchange", local_time=datetime.time(12, 0), interval_weeks=1)
    sessions = list(ritual.sessions.order_by("starts_at"))
    answered = sessions[1]
    RsvpFactory(session=answered)
    moved_by_hand = sessions[2]
    services.move_session(
        actor=ops, session=moved_by_hand, starts_at=moved_by_hand.starts_at + datetime.timedelta(hours=1)
    )

    services.update_ritual(
        actor=ops, ritual=ritual, version=ritual.version, local_time=datetime.time(14, 0), interval_weeks=2
    )

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    answered.refresh_from_db()
    moved_by_hand.refresh_from_db()
    kept = Session.objects.get(pk=sessions[0].pk)
    assert kept.starts_at.astimezone(paris).hour == 14
    assert kept.sequence == 1
    assert answered.status == SessionStatus.CANCELLED
    assert moved_by_hand.status == SessionStatus.SCHEDULED
    assert moved_by_hand.starts_at.astimezone(paris).hour == 13


@pytest.mark.django_db
def test_update_ritual_refuses_a_stale_version(ops):
    ritual = RitualFactory()
    SessionFactory(ritual=ritual)

    with pytest.raises(ValidationError):
        services.update_ritual(actor=ops, ritual=ritual, version=ritual.version + 5, name="Renamed")
