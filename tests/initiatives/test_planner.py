"""The capacity planner on hand-built scenarios: exact flags and numbers."""

from datetime import date

import pytest

from guilde.initiatives import planner
from guilde.initiatives.planner import PlannedInitiative, PlannedPledge, Volunteer, WhatIf

TODAY = date(2026, 1, 7)  # a Wednesday; week 0 starts Monday 5 January 2026
TARGET = date(2026, 2, 27)  # the Friday of week 7: weeks 0 to 7 count, 8 weeks
PILLAR = 1


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def initiative(pk=1, *, hours, target=TARGET, rank=100, tags=(), **kwargs):
    return PlannedInitiative(
        id=pk,
        title=f"Initiative {pk}",
        pillar_id=kwargs.pop("pillar_id", PILLAR),
        remaining_minutes=hours * 60,
        effort_hours=hours,
        target_date=target,
        rank=rank,
        tags=frozenset(tags),
        **kwargs,
    )


def pledge(member, initiative_id, minutes, start=date(2026, 1, 5), end=date(2026, 6, 28)):
    return PlannedPledge(member_id=member, initiative_id=initiative_id, minutes_per_week=minutes, start=start, end=end)


def test_planner_fits_when_pledges_cover_the_effort_exactly():
    ana = Volunteer(1, "Ana", 60)

    plan = planner.plan(today=TODAY, volunteers=[ana], pledges=[pledge(1, 1, 60)], initiatives=[initiative(hours=8)])

    result = plan.initiative(1)
    assert (result.fits, result.needed_minutes, result.available_minutes) == (True, 480, 480)
    assert result.deadline == date(2026, 3, 1)
    assert result.suggestions == []
    assert result.reason == "needs 8 h by 27 Feb. 2026, 8 h available at current pledges"


def test_planner_flags_too_ambitious_with_reason_and_remedies():
    ana, ben = Volunteer(1, "Ana", 60), Volunteer(2, "Ben", 30)

    plan = planner.plan(
        today=TODAY,
        volunteers=[ana, ben],
        pledges=[pledge(1, 1, 60), pledge(2, 1, 30)],
        initiatives=[initiative(hours=40)],
    )

    result = plan.initiative(1)
    assert result.too_ambitious is True
    assert (result.needed_minutes, result.available_minutes, result.gap_minutes) == (2400, 720, 1680)
    assert result.reason == "needs 40 h by 27 Feb. 2026, 12 h available at current pledges"
    # Split: the first part that fits is what the pledges deliver by the date.
    assert result.split_minutes == 720
    # Move the date: 2400 min at 90 min a week takes 27 weeks (weeks 0 to 26), ending Sunday 12 July.
    assert result.earliest_date == date(2026, 7, 12)
    assert plan.too_ambitious == [result]


def test_planner_fits_after_split_into_a_first_tactical_part():
    volunteers = [Volunteer(1, "Ana", 60)]
    pledges = [pledge(1, 1, 45)]
    before = planner.plan(today=TODAY, volunteers=volunteers, pledges=pledges, initiatives=[initiative(hours=10)])
    first_part_hours = before.initiative(1).split_minutes // 60

    volunteers, pledges, initiatives = planner.apply_what_if(
        volunteers=volunteers,
        pledges=pledges,
        initiatives=[initiative(hours=10)],
        what_if=WhatIf(initiative_id=1, effort_hours=first_part_hours),
        today=TODAY,
    )
    after = planner.plan(today=TODAY, volunteers=volunteers, pledges=pledges, initiatives=initiatives)

    assert (before.initiative(1).available_minutes, first_part_hours) == (360, 6)
    assert before.initiative(1).fits is False
    assert after.initiative(1).fits is True
    assert after.initiative(1).reason == "needs 6 h by 27 Feb. 2026, 6 h available at current pledges"


def test_planner_fits_after_adding_a_volunteer_in_what_if_mode():
    volunteers, pledges, initiatives = [Volunteer(1, "Ana", 60)], [pledge(1, 1, 60)], [initiative(hours=16)]
    before = planner.plan(today=TODAY, volunteers=volunteers, pledges=pledges, initiatives=initiatives)

    volunteers, pledges, initiatives = planner.apply_what_if(
        volunteers=volunteers,
        pledges=pledges,
        initiatives=initiatives,
        what_if=WhatIf(initiative_id=1, add_minutes_per_week=60),
        today=TODAY,
    )
    after = planner.plan(today=TODAY, volunteers=volunteers, pledges=pledges, initiatives=initiatives)

    assert (before.initiative(1).fits, before.initiative(1).available_minutes) == (False, 480)
    assert (after.initiative(1).fits, after.initiative(1).available_minutes) == (True, 960)


def test_planner_suggests_free_volunteers_whose_skills_match():
    volunteers = [
        Volunteer(1, "Ana", 60),
        Volunteer(2, "Chloé", 60, tags=frozenset({"facilitation"})),
        Volunteer(3, "Dan", 120, tags=frozenset({"sql"})),
    ]

    plan = planner.plan(
        today=TODAY,
        volunteers=volunteers,
        pledges=[pledge(1, 1, 60)],
        initiatives=[initiative(hours=16, tags={"facilitation"})],
    )

    result = plan.initiative(1)
    assert [(s.name, s.free_minutes_per_week, s.minutes_by_target, s.matching_tags) for s in result.suggestions] == [
        ("Chloé", 60, 480, ("facilitation",))
    ]
    assert result.fits is False
    assert result.fits_with_suggestions is True


def test_planner_offers_free_hours_in_priority_order_without_promising_them_twice():
    volunteers = [Volunteer(1, "Ana", 60), Volunteer(2, "Free", 60)]
    first = initiative(1, hours=12, rank=1)
    second = initiative(2, hours=12, rank=2)

    plan = planner.plan(
        today=TODAY, volunteers=volunteers, pledges=[pledge(1, 1, 30), pledge(1, 2, 30)], initiatives=[second, first]
    )

    assert [item.id for item in plan.initiatives] == [1, 2]
    assert [s.minutes_by_target for s in plan.initiative(1).suggestions] == [480]
    assert plan.initiative(2).suggestions == []


def test_planner_counts_declared_absences_out():
    ana = Volunteer(
        1, "Ana", 60, absences=((date(2026, 1, 12), date(2026, 1, 16)), (date(2026, 1, 19), date(2026, 1, 20)))
    )

    plan = planner.plan(today=TODAY, volunteers=[ana], pledges=[pledge(1, 1, 60)], initiatives=[initiative(hours=8)])

    # Week 1 fully away (0), week 2 two days away (3/5 of 60 = 36): 480 - 60 - 24 = 396.
    assert plan.initiative(1).available_minutes == 396
    assert plan.initiative(1).fits is False
    assert [week.capacity for week in plan.week_loads[:3]] == [60, 0, 36]


def test_planner_reports_demand_and_pledged_time_per_week_and_pillar():
    ana = Volunteer(1, "Ana", 120)
    items = [initiative(1, hours=8, pillar_id=1), initiative(2, hours=4, target=date(2026, 1, 25), pillar_id=2)]

    plan = planner.plan(
        today=TODAY,
        volunteers=[ana],
        pledges=[pledge(1, 1, 60)],
        initiatives=items,
        pillar_ids=[1, 2, 3],
        horizon_weeks=4,
    )

    assert [(w.demand, w.pledged, w.capacity, w.free) for w in plan.week_loads] == [
        (60 + 80, 60, 120, 60),
        (60 + 80, 60, 120, 60),
        (60 + 80, 60, 120, 60),
        (60, 60, 120, 60),
    ]
    assert plan.pillar_loads[1].demand == [60, 60, 60, 60]
    assert plan.pillar_loads[2].demand == [80, 80, 80, 0]
    assert (plan.pillar_loads[2].total_pledged, plan.pillar_loads[2].over) == (0, True)
    assert plan.pillar_loads[3].total_demand == 0


def test_planner_flags_an_initiative_whose_date_has_passed():
    plan = planner.plan(
        today=TODAY,
        volunteers=[Volunteer(1, "Ana", 60)],
        pledges=[pledge(1, 1, 60)],
        initiatives=[initiative(hours=2, target=date(2025, 12, 19))],
    )

    result = plan.initiative(1)
    assert (result.too_ambitious, result.overdue, result.available_minutes) == (True, True, 0)
    assert result.reason == "needs 2 h and the target date (19 Dec. 2025) has passed"
    assert result.earliest_date == date(2026, 1, 18)


def test_planner_never_flags_an_initiative_without_a_date():
    plan = planner.plan(today=TODAY, volunteers=[], pledges=[], initiatives=[initiative(hours=20, target=None)])

    assert plan.initiative(1).fits is True


def test_planner_move_date_is_none_without_any_pledge():
    plan = planner.plan(today=TODAY, volunteers=[], pledges=[], initiatives=[initiative(hours=20)])

    result = plan.initiative(1)
    assert (result.fits, result.earliest_date, result.split_minutes) == (False, None, 0)


def test_hours_are_formatted_for_people():
    assert (planner.hours(90), planner.hours(120), planner.hours(20)) == ("1.5 h", "2 h", "0.3 h")
