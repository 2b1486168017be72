import datetime

from guilde.rituals.slots import AMERICAS, ASIA_PACIFIC, EUROPE_AFRICA, find_slots

WINTER = datetime.date(2026, 1, 12)


def test_slots_paris_and_new_york_share_an_afternoon_window():
    zones = ["Europe/Paris"] * 3 + ["America/New_York"] * 2

    report = find_slots(zones, window=(9, 18), duration_minutes=60, week_of=WINTER)

    # Paris 9-18 is 08-17 UTC, New York 9-18 is 14-23 UTC in January: 14:00 to 16:00 UTC fit everyone.
    full = sorted(slot.minute // 60 * 100 + slot.minute % 60 for slot in report.ranked if slot.share == 1)
    assert full == [1400, 1430, 1500, 1530, 1600]
    assert report.fair[0].minute == 14 * 60
    assert report.alternating is None
    assert report.groups == {EUROPE_AFRICA: 3, AMERICAS: 2}
    assert report.zones == ["Europe/Paris", "America/New_York"]


def test_slots_paris_and_san_francisco_alternate():
    zones = ["Europe/Paris"] * 4 + ["America/Los_Angeles"] * 2

    report = find_slots(zones, window=(9, 18), duration_minutes=60, week_of=WINTER)

    assert report.fair == []
    shares = sorted((slot.group_shares[EUROPE_AFRICA], slot.group_shares[AMERICAS]) for slot in report.alternating)
    assert shares == [(0.0, 1.0), (1.0, 0.0)]  # each side of the Atlantic gets one of the two
    # The best-ranked single slot serves the larger group.
    assert report.ranked[0].group_shares == {EUROPE_AFRICA: 1.0, AMERICAS: 0.0}


def test_slots_dst_gap_weeks_shift_the_shared_window():
    zones = ["Europe/Paris", "America/New_York"]

    # Between 8 and 29 March 2026 New York is on summer time, Paris not yet: a 5-hour gap.
    report = find_slots(zones, window=(9, 18), duration_minutes=60, week_of=datetime.date(2026, 3, 16))

    full = [slot.minute for slot in report.ranked if slot.share == 1]
    assert min(full) == 13 * 60
    assert max(full) == 16 * 60


def test_slots_nobody_gives_an_empty_report():
    report = find_slots([], week_of=WINTER)

    assert (report.ranked, report.fair, report.alternating) == ([], [], None)


def test_slots_group_people_by_their_offset_not_the_zone_name():
    zones = ["Atlantic/Reykjavik", "Africa/Casablanca", "Europe/Paris", "America/Sao_Paulo", "Asia/Kolkata"]

    report = find_slots(zones, week_of=WINTER)

    assert report.groups == {EUROPE_AFRICA: 3, AMERICAS: 1, ASIA_PACIFIC: 1}


def test_slots_count_each_person_and_skip_unknown_zones():
    report = find_slots(["Europe/Paris"] * 9 + ["America/New_York", "Not/AZone", ""], week_of=WINTER)

    assert report.groups == {EUROPE_AFRICA: 9, AMERICAS: 1}
    # 9 of 10 people at work from 08:00 UTC (9:00 Paris), before New York wakes up.
    assert report.ranked[-1].share == 0.9


def test_slots_working_day_may_close_at_midnight():
    report = find_slots(["Europe/Paris"], window=(22, 24), duration_minutes=60, week_of=WINTER)

    assert [slot.minute for slot in report.ranked] == [21 * 60, 21 * 60 + 30, 22 * 60]
