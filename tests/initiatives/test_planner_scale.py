"""The planner rewritten for a large community gives exactly the plans of the first, simple loops.

Random scenarios (seeded) mix absences, pledges of people who are not volunteers any more, open
and past target dates, tags and what-ifs; every field of every plan must be equal.
"""

import random
from datetime import date, timedelta

import pytest

from guilde.initiatives import planner
from guilde.initiatives.planner import PlannedInitiative, PlannedPledge, Volunteer
from tests.initiatives import planner_reference

TODAY = date(2026, 1, 7)
TAGS = ["research", "writing", "data", "facilitation", "design"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def scenario(seed: int) -> dict:
    rng = random.Random(seed)
    day = lambda offset: TODAY + timedelta(days=offset)  # noqa: E731
    volunteers = []
    for pk in range(1, rng.randint(2, 30)):
        absences = tuple(
            (day(start), day(start + rng.randint(0, 12)))
            for start in (rng.randint(-20, 200) for _ in range(rng.choice((0, 0, 1, 2))))
        )
        tags = frozenset(rng.sample(TAGS, rng.randint(0, 2)))
        volunteers.append(Volunteer(pk, f"V{pk:02d}", rng.choice((30, 60, 90, 120)), tags, absences))
    initiatives = []
    for pk in range(1, rng.randint(2, 25)):
        hours = rng.randint(1, 120)
        target = rng.choice((None, day(rng.randint(-30, 900))))
        initiatives.append(
            PlannedInitiative(
                pk,
                f"I{pk}",
                rng.randint(1, 3),
                hours * 60 - rng.randint(0, hours * 30),
                target,
                rank=rng.randint(1, 10),
                value=rng.randint(1, 5),
                effort_hours=hours,
                tags=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
            )
        )
    pledges = []
    for _ in range(rng.randint(0, 60)):
        start = day(rng.randint(-60, 300))
        pledges.append(
            PlannedPledge(
                rng.randint(1, len(volunteers) + 3),  # some pledges of people no longer volunteering
                rng.randint(1, len(initiatives) + 2),  # and to initiatives outside the plan
                rng.choice((15, 30, 45, 60)),
                start,
                start + timedelta(days=rng.randint(0, 400)),
            )
        )
    return {"today": TODAY, "volunteers": volunteers, "pledges": pledges, "initiatives": initiatives}


@pytest.mark.parametrize("seed", range(60))
def test_the_plan_is_the_one_of_the_simple_loops(seed):
    inputs = scenario(seed)
    weeks = random.Random(seed).choice((4, 12, 26))

    assert planner.plan(**inputs, pillar_ids=[1, 2], horizon_weeks=weeks) == planner_reference.plan(
        **inputs, pillar_ids=[1, 2], horizon_weeks=weeks
    )


@pytest.mark.parametrize("seed", range(20))
def test_a_what_if_is_planned_as_before(seed):
    inputs = scenario(seed)
    target = inputs["initiatives"][0]
    what_if = planner.WhatIf(initiative_id=target.id, add_minutes_per_week=60, effort_hours=target.effort_hours + 5)
    volunteers, pledges, initiatives = planner.apply_what_if(
        volunteers=inputs["volunteers"],
        pledges=inputs["pledges"],
        initiatives=inputs["initiatives"],
        what_if=what_if,
        today=TODAY,
    )
    changed = {"today": TODAY, "volunteers": volunteers, "pledges": pledges, "initiatives": initiatives}

    assert planner.plan(**changed) == planner_reference.plan(**changed)


@pytest.mark.parametrize("seed", range(20))
def test_remedies_for_a_page_are_those_of_the_whole_plan(seed):
    """A page of the plan works out the remedies down to its last initiative only: the same ones."""
    inputs = scenario(seed)
    whole = planner.plan(**inputs)

    for shown in (1, 3, 10):
        page = planner.plan(**inputs, remedies_until=shown)
        assert page.week_loads == whole.week_loads
        assert page.free_volunteers == whole.free_volunteers
        assert page.initiatives[:shown] == whole.initiatives[:shown]
        assert [item.fits for item in page.initiatives] == [item.fits for item in whole.initiatives]
        assert all(not item.suggestions and item.earliest_date is None for item in page.initiatives[shown:])


def crowded_scenario(seed: int) -> dict:
    """More volunteers, most of them away at times (absences overlapping, over weekends, across the
    search's end), and many pledges: the week arithmetic's corrections for absent weeks."""
    rng = random.Random(seed)
    day = lambda offset: TODAY + timedelta(days=offset)  # noqa: E731
    volunteers = []
    for pk in range(1, 41):
        absences = tuple(
            (day(start), day(start + rng.choice((0, 1, 2, 4, 6, 13, 40))))
            for start in (rng.randint(-30, 760) for _ in range(rng.choice((0, 1, 2, 3, 4))))
        )
        volunteers.append(
            Volunteer(
                pk,
                f"V{pk:02d}",
                rng.choice((0, 30, 45, 60, 90, 120, 600)),
                frozenset(rng.sample(TAGS, rng.randint(0, 2))),
                absences,
            )
        )
    initiatives = [
        PlannedInitiative(
            pk,
            f"I{pk}",
            rng.randint(1, 3),
            rng.randint(0, 200) * 60,
            rng.choice((None, day(rng.randint(-30, 800)))),
            rank=rng.randint(1, 4),
            value=rng.randint(1, 5),
            effort_hours=rng.randint(1, 200),
            tags=frozenset(rng.sample(TAGS, rng.randint(0, 2))),
        )
        for pk in range(1, 31)
    ]
    pledges = []
    for _ in range(140):
        start = day(rng.randint(-90, 700))
        pledges.append(
            PlannedPledge(
                rng.randint(1, 44),
                rng.randint(1, 33),
                rng.choice((15, 30, 45, 60, 95)),
                start,
                start + timedelta(days=rng.randint(0, 500)),
            )
        )
    return {"today": TODAY, "volunteers": volunteers, "pledges": pledges, "initiatives": initiatives}


@pytest.mark.parametrize("seed", range(6))
def test_a_crowded_plan_is_the_one_of_the_simple_loops(seed):
    inputs = crowded_scenario(seed)
    weeks = (4, 12, 26)[seed % 3]

    assert planner.plan(**inputs, pillar_ids=[1, 2, 3], horizon_weeks=weeks) == planner_reference.plan(
        **inputs, pillar_ids=[1, 2, 3], horizon_weeks=weeks
    )
