"""Cadence arithmetic: dates of a ritual in its reference time zone, turned into UTC instants.

The wall-clock time is kept in the reference zone and converted per date, so a 12:00 Paris
session stays at 12:00 Paris on both sides of a daylight-saving change (and moves in UTC).
"""

import datetime
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

UTC = datetime.UTC
ODD_HOURS = (7, 21)  # before 07:00 or from 21:00 in the reference zone asks for a confirmation


@dataclass(frozen=True)
class Cadence:
    weekday: int
    interval_weeks: int
    local_time: datetime.time
    timezone: str
    starts_on: datetime.date
    duration_minutes: int


@dataclass(frozen=True)
class Occurrence:
    date: datetime.date
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def first_date(cadence: Cadence) -> datetime.date:
    """The first cadence date: the weekday on or after `starts_on`."""
    return cadence.starts_on + datetime.timedelta(days=(cadence.weekday - cadence.starts_on.weekday()) % 7)


def instant(day: datetime.date, local_time: datetime.time, zone: str) -> datetime.datetime:
    """The UTC instant of a wall-clock time in a zone; a time skipped by a DST jump moves forward."""
    tz = zoneinfo.ZoneInfo(zone)
    local = datetime.datetime.combine(day, local_time, tzinfo=tz)
    utc = local.astimezone(UTC)
    return utc


def occurrence_on(cadence: Cadence, day: datetime.date) -> Occurrence:
    starts_at = instant(day, cadence.local_time, cadence.timezone)
    return Occurrence(day, starts_at, starts_at + datetime.timedelta(minutes=cadence.duration_minutes))


def occurrences(cadence: Cadence, *, start: datetime.datetime, end: datetime.datetime) -> Iterator[Occurrence]:
    """Occurrences starting in [start, end), in order."""
    step = datetime.timedelta(weeks=cadence.interval_weeks)
    day = first_date(cadence)
    # Jump close to `start` instead of walking a long series from its beginning.
    start_day = start.astimezone(zoneinfo.ZoneInfo(cadence.timezone)).date()
    if start_day > day:
        periods = (start_day - day).days // step.days
        day += step * max(periods - 1, 0)
    while True:
        occurrence = occurrence_on(cadence, day)
        if occurrence.starts_at >= end:
            return
        if occurrence.starts_at >= start:
            yield occurrence
        day += step


def is_odd_hour(local_time: datetime.time) -> bool:
    return local_time.hour < ODD_HOURS[0] or local_time.hour >= ODD_HOURS[1]


def matches_cadence(cadence: Cadence, day: datetime.date) -> bool:
    first = first_date(cadence)
    return day >= first and (day - first).days % (7 * cadence.interval_weeks) == 0
