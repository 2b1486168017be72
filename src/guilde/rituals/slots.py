"""The fair time slot finder: weekly slots ranked by the share of people inside their working hours.

Each person counts once, with their own time zone. People are grouped by the side of the
Atlantic their zone's UTC offset puts them on that week (the zone name's continent says little:
"Atlantic/Reykjavik" works Paris hours, "America/Sao_Paulo" is five hours from Los Angeles).
A slot is fair when every group has at least `fair_share` of its people inside working hours.
When no single slot is fair, the finder proposes two slots to alternate, each good for one side.
"""

import datetime
import functools
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

UTC = datetime.UTC
WORKDAYS = (0, 1, 2, 3, 4)
AMERICAS, EUROPE_AFRICA, ASIA_PACIFIC = "americas", "europe_africa", "asia_pacific"
REGION_LABELS = {
    AMERICAS: _("Americas"),
    EUROPE_AFRICA: _("Europe and Africa"),
    ASIA_PACIFIC: _("Asia and Pacific"),
}
# West of UTC-1:30 is the American side (Nuuk and Noronha included, the Azores not);
# from UTC+4:30 (Kabul, Karachi, India…) working days no longer overlap Europe's much.
AMERICAS_BELOW = datetime.timedelta(hours=-1, minutes=-30)
ASIA_FROM = datetime.timedelta(hours=4, minutes=30)


@dataclass(frozen=True)
class Slot:
    weekday: int  # in UTC
    minute: int  # minutes after 00:00 UTC
    share: float  # of all people, inside working hours for the whole slot
    group_shares: dict[str, float] = field(default_factory=dict)

    @property
    def worst_group_share(self) -> float:
        return min(self.group_shares.values()) if self.group_shares else 0.0

    def starts_at(self, week_of: datetime.date) -> datetime.datetime:
        """This slot's instant in the week starting on the Monday of `week_of`."""
        monday = week_of - datetime.timedelta(days=week_of.weekday())
        day = monday + datetime.timedelta(days=self.weekday)
        return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=UTC) + datetime.timedelta(minutes=self.minute)


@dataclass(frozen=True)
class SlotReport:
    ranked: list[Slot]
    fair: list[Slot]
    alternating: tuple[Slot, Slot] | None
    groups: dict[str, int]
    # The most common zone of each group, largest group first: where to show a slot's local time.
    zones: list[str] = field(default_factory=list)


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def group_of(zone: str, at: datetime.datetime) -> str:
    """The side of the world a zone is on at this instant, by its UTC offset."""
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or datetime.timedelta(0)
    if offset < AMERICAS_BELOW:
        return AMERICAS
    if offset >= ASIA_FROM:
        return ASIA_PACIFIC
    return EUROPE_AFRICA


def _inside(start_utc: datetime.datetime, minutes: int, zone: str, window: tuple[int, int]) -> bool:
    local_start = start_utc.astimezone(zoneinfo.ZoneInfo(zone))
    if local_start.weekday() not in WORKDAYS:
        return False
    # Wall-clock comparison, so a window closing at 24 means midnight at the end of that day.
    start = local_start.hour * 60 + local_start.minute
    end = start + minutes
    return window[0] * 60 <= start and end <= window[1] * 60


def find_slots(
    zones: Iterable[str],
    *,
    window: tuple[int, int] = (9, 18),
    duration_minutes: int = 60,
    week_of: datetime.date,
    step_minutes: int = 30,
    fair_share: float = 0.75,
    limit: int = 10,
) -> SlotReport:
    """Ranks the week's slots (Monday to Friday UTC, every `step_minutes`) for these people's zones.

    `week_of` fixes which daylight-saving offsets apply. Ties are broken by the worst-off group,
    then by time, so the answer is deterministic.
    """
    counts = Counter(zone for zone in zones if zone in _known_zones())
    total = sum(counts.values())
    if not total:
        return SlotReport(ranked=[], fair=[], alternating=None, groups={})
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    midweek = datetime.datetime.combine(monday + datetime.timedelta(days=2), datetime.time(12), tzinfo=UTC)
    region = {zone: group_of(zone, midweek) for zone in counts}
    groups: Counter[str] = Counter()
    for zone, number in counts.items():
        groups[region[zone]] += number
    by_size = sorted(groups.items(), key=lambda item: (-item[1], item[0]))
    slots = []
    for weekday in WORKDAYS:
        for minute in range(0, 24 * 60, step_minutes):
            start = datetime.datetime.combine(
                monday + datetime.timedelta(days=weekday), datetime.time(0, 0), tzinfo=UTC
            ) + datetime.timedelta(minutes=minute)
            inside: Counter[str] = Counter()
            for zone, number in counts.items():
                if _inside(start, duration_minutes, zone, window):
                    inside[region[zone]] += number
            if not inside:
                continue
            shares = {group: inside[group] / size for group, size in by_size}
            slots.append(Slot(weekday, minute, sum(inside.values()) / total, shares))
    # Only one weekday matters for fairness between zones; keep each time of day once (Tuesday first).
    by_time: dict[int, Slot] = {}
    for slot in sorted(slots, key=lambda s: (abs(s.weekday - 1), s.weekday)):
        by_time.setdefault(slot.minute, slot)
    unique = list(by_time.values())
    ranked = sorted(unique, key=lambda s: (-s.share, -s.worst_group_share, s.minute))
    fair = [slot for slot in ranked if slot.worst_group_share >= fair_share]
    alternating = None
    if not fair and len(groups) > 1:
        alternating = _best_pair(unique, list(groups))
    main_zones: dict[str, str] = {}
    for zone, _number in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        main_zones.setdefault(region[zone], zone)
    return SlotReport(
        ranked=ranked[:limit],
        fair=fair[:limit],
        alternating=alternating,
        groups=dict(by_size),
        zones=[main_zones[group] for group, _size in by_size],
    )


def _best_pair(slots: list[Slot], groups: list[str]) -> tuple[Slot, Slot] | None:
    """Two slots that, alternated, give every group the best worst-case coverage over the pair."""
    best: tuple[float, float, int, int] | None = None
    pair = None
    for i, first in enumerate(slots):
        for second in slots[i + 1 :]:
            covered = min(max(first.group_shares[g], second.group_shares[g]) for g in groups)
            total = first.share + second.share
            key = (covered, total, -first.minute, -second.minute)
            if best is None or key > best:
                best, pair = key, (first, second)
    if pair is None:
        return None
    return tuple(sorted(pair, key=lambda s: s.minute))  # type: ignore[return-value]
