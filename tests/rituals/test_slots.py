import datetime

from guilde.rituals.slots import find_slots

WINTER = datetime.date(2026, 1, 12)


def test_slots_paris_and_new_york_share_an_afternoon_window():
    zones = ["Europe/Paris"] * 3 + ["America/New_York"] * 2

    report = find_slots(zones, window=(9, 18), duration_minutes=60, week_of=WINTER)

    # Paris 9-18 is 08-17 UTC, New York 9-18 is 14-23 UTC in January: 14:00 to 16:00 UTC fit everyone.
    full = sorted(slot.minute // 60 * 100 + slot.minute % 60 for slot in report.ranked if slot.share == 1)
    assert full == [1400, 1430, 1500, 1530, 1600]
    assert report.fair[0].minute == 14 * 60
    assert report.alternating is None
    assert report.groups == {"Europe": 3, "America": 2}


def test_slots_paris_and_san_francisco_alternate():
    zones = ["Europe/Paris"] * 4 + ["America/Los_Angeles"] * 2

    report = find_slots(zones, window=(9, 18), duration_minutes=60, week_of=WINTER)

    assert report.fair == []
    shares = sorted((slot.group_shares["Europe"], slot.group_shares["America"]) for slot in report.alternating)
    assert shares == [(0.0, 1.0), (1.0, 0.0)]  # each side of the Atlantic gets one of the two
    # The best-ranked single slot serves the larger group.
    assert report.ranked[0].group_shares == {"Europe": 1.0, "America": 0.0}


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
