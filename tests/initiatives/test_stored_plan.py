"""The planner page's stored plan: the plan computed now, computed again after every change it reads."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import user_logged_in
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guilde.community import selectors as community_selectors
from guilde.community import services as community_services
from guilde.initiatives import planner, selectors, services
from guilde.initiatives.models import Absence, Initiative, Pledge
from tests.factories.community import TagFactory
from tests.factories.initiatives import CheckInFactory, InitiativeFactory, PledgeFactory
from tests.initiatives.conftest import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_and_no_page_cache")]


@pytest.fixture
def _english_and_no_page_cache(settings):
    """Pages built for each request: what is measured is the stored plan, not the page cache."""
    settings.LANGUAGE_CODE = "en"
    settings.PAGE_CACHE_SECONDS = 0


def monday():
    return planner.week_start(selectors.today())


def _fresh(**kwargs):
    plan, _inputs = selectors.capacity_plan(**kwargs)
    return plan


@pytest.fixture
def scene(db):
    """Three volunteers (one away next week), an initiative too ambitious for its date, one running, an idea."""
    writing, data = TagFactory(name="Writing"), TagFactory(name="Data")
    ops = make_member("product_ops")
    v1 = make_member("volunteer", weekly_minutes=60, skills=[writing])
    v2 = make_member("volunteer", weekly_minutes=120)
    v3 = make_member("volunteer", weekly_minutes=90, interests=[data])
    ambitious = InitiativeFactory(title="Ambitious", effort_hours=40, target_date=monday() + timedelta(weeks=6))
    ambitious.skills.set([writing])
    running = InitiativeFactory(title="Running", status="in_progress", effort_hours=5)
    spare = InitiativeFactory(title="Spare", effort_hours=3)
    idea = InitiativeFactory(title="Idea", status="idea")
    first = PledgeFactory(member=v1, initiative=ambitious, minutes_per_week=60)
    PledgeFactory(member=v2, initiative=running, minutes_per_week=30)
    PledgeFactory(member=v3, initiative=idea, minutes_per_week=30, start=monday() + timedelta(weeks=2))
    away = Absence.objects.create(
        member=v2, start=monday() + timedelta(weeks=1), end=monday() + timedelta(weeks=1, days=2)
    )
    return {
        "ops": ops,
        "v1": v1,
        "v2": v2,
        "v3": v3,
        "ambitious": ambitious,
        "running": running,
        "spare": spare,
        "idea": idea,
        "first": first,
        "away": away,
        "writing": writing,
        "data": data,
    }


def _reload(initiative):
    return Initiative.objects.get(pk=initiative.pk)


CHANGES = {
    "a pledge": lambda s: services.pledge(
        actor=s["v3"].user,
        initiative=s["ambitious"],
        minutes_per_week=30,
        start=monday(),
        end=monday() + timedelta(weeks=1, days=6),
    ),
    "a pledge withdrawn": lambda s: services.withdraw_pledge(actor=s["v1"].user, pledge=s["first"]),
    "a pledge changed in the admin": lambda s: _set(Pledge.objects.get(pk=s["first"].pk), minutes_per_week=15),
    "an absence": lambda s: services.declare_absence(
        actor=s["v1"].user, start=monday() + timedelta(weeks=2), end=monday() + timedelta(weeks=2, days=4)
    ),
    "an absence withdrawn": lambda s: services.delete_absence(actor=s["v2"].user, absence=s["away"]),
    "an initiative planned in the admin": lambda s: InitiativeFactory(title="New one", effort_hours=12),
    "an estimate": lambda s: services.update_initiative(
        actor=s["ops"].user, initiative=s["ambitious"], version=_reload(s["ambitious"]).version, effort_hours=20
    ),
    "skills": lambda s: services.update_initiative(
        actor=s["ops"].user, initiative=s["ambitious"], version=_reload(s["ambitious"]).version, skills=["data"]
    ),
    "a move": lambda s: services.move_initiative(
        actor=s["ops"].user,
        initiative=s["running"],
        status="paused",
        version=_reload(s["running"]).version,
        reason="Waiting",
    ),
    "an idea set aside, its pledges ended": lambda s: services.move_initiative(
        actor=s["ops"].user, initiative=s["idea"], status="deprioritised", version=1, reason="Later"
    ),
    "a priority move": lambda s: services.reprioritise_initiative(
        actor=s["ops"].user, initiative=s["running"], version=_reload(s["running"]).version, up=True
    ),
    "an archive": lambda s: services.archive_initiative(actor=s["ops"].user, initiative=s["running"]),
    "a deletion": lambda s: services.delete_initiative(actor=s["ops"].user, initiative=s["spare"]),
    "a check-in": lambda s: services.check_in(
        actor=s["v1"].user, initiative=s["ambitious"], note="Drafted", minutes_spent=120
    ),
    "a weekly commitment": lambda s: community_services.update_profile(
        actor=s["v2"].user, member=s["v2"], data={"weekly_minutes": 30}, version=s["v2"].version
    ),
    "a name": lambda s: community_services.update_profile(
        actor=s["v3"].user, member=s["v3"], data={"full_name": "Zoé Zed"}, version=s["v3"].version
    ),
    "a volunteer's skills": lambda s: community_services.update_profile(
        actor=s["v2"].user, member=s["v2"], data={"skills": ["writing"]}, version=s["v2"].version
    ),
    "a volunteer's interests": lambda s: community_services.update_profile(
        actor=s["v3"].user, member=s["v3"], data={"interests": []}, version=s["v3"].version
    ),
    "someone stops volunteering": lambda s: _set(s["v3"], is_volunteer=False),
    "an account deactivated": lambda s: _set(s["v2"].user, is_active=False),
    "a tag renamed": lambda s: _set(s["data"], name="Analytics"),
    "a pillar added": lambda s: community_services.create_pillar(
        actor=s["ops"].user, community=community_selectors.get_community(), name_en="Care", name_fr="Soin"
    ),
    "a pillar archived": lambda s: community_services.set_pillar_archived(
        actor=s["ops"].user, pillar=s["running"].pillar, archived=True
    ),
}


def _set(row, **values):
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_the_plan_reads_refreshes_the_stored_plan(scene, change):
    before = selectors.stored_plan(care=True)
    token = selectors.plan_token()

    CHANGES[change](scene)
    after = selectors.stored_plan(care=True)

    assert selectors.plan_token() != token
    assert after.plan == _fresh()
    assert after.plan != before.plan or after.pillars != before.pillars or after.overwork != before.overwork
    assert [(s.member, s.weeks) for s in after.overwork] == [(s.member, s.weeks) for s in selectors.overwork_signals()]
    assert [(s.initiative, s.person) for s in after.single] == [
        (s.initiative, s.person) for s in selectors.single_person_signals()
    ]


def test_a_plan_is_stored_until_something_changes(scene):
    first = selectors.stored_plan()

    with CaptureQueriesContext(connection) as queries:
        again = selectors.stored_plan()

    assert again.plan is first.plan
    # The token, the initiatives' rows, the community and its pillars.
    assert len(queries.captured_queries) == 4


def test_signing_in_keeps_the_stored_plan(scene, client):
    selectors.stored_plan()
    token = selectors.plan_token()

    client.force_login(scene["v1"].user)
    user_logged_in.send(sender=type(scene["v1"].user), request=None, user=scene["v1"].user)

    assert selectors.plan_token() == token


def test_a_write_that_bypasses_the_signals_is_still_seen_on_the_initiatives(scene):
    selectors.stored_plan()

    Initiative.objects.filter(pk=scene["ambitious"].pk).update(effort_hours=2)

    assert selectors.stored_plan().plan == _fresh()


def test_a_stored_plan_is_computed_again_after_a_while(scene, monkeypatch):
    from guilde.initiatives.selectors import planning

    first = selectors.stored_plan()
    monkeypatch.setattr(planning, "STORED_PLAN_SECONDS", 0)

    assert selectors.stored_plan().plan is not first.plan


def test_burnout_signals_are_stored_and_refreshed_by_check_ins(scene):
    volunteer = scene["v2"]
    PledgeFactory(
        member=volunteer, initiative=scene["running"], minutes_per_week=30, start=monday() - timedelta(weeks=4)
    )
    for weeks_ago in (2, 3):
        CheckInFactory(
            author=volunteer.user,
            initiative=scene["running"],
            minutes_spent=300,
            week=monday() - timedelta(weeks=weeks_ago),
        )
    assert selectors.stored_plan(care=True).overwork == []

    services.check_in(
        actor=volunteer.user,
        initiative=scene["running"],
        note="Long week",
        minutes_spent=300,
        week=monday() - timedelta(weeks=1),
    )

    assert [s.member for s in selectors.stored_plan(care=True).overwork] == [volunteer]


def _random_community(seed):
    rng = random.Random(seed)
    tags = [TagFactory(name=name) for name in ("Research", "Writing", "Data", "Design")]
    volunteers = [
        make_member(
            "volunteer", weekly_minutes=rng.choice((30, 60, 90, 120)), skills=rng.sample(tags, rng.randint(0, 2))
        )
        for _ in range(rng.randint(3, 9))
    ]
    for volunteer in rng.sample(volunteers, min(3, len(volunteers))):
        start = monday() + timedelta(days=rng.randint(-5, 40))
        Absence.objects.create(member=volunteer, start=start, end=start + timedelta(days=rng.randint(0, 9)))
    initiatives = []
    for index in range(rng.randint(3, 12)):
        initiative = InitiativeFactory(
            title=f"Random {index}",
            status=rng.choice(("planned", "in_progress", "idea")),
            effort_hours=rng.randint(1, 60),
            value=rng.randint(1, 5),
            rank=rng.choice((1, 2, 100)),
            target_date=rng.choice((None, monday() + timedelta(days=rng.randint(-20, 300)))),
        )
        initiative.skills.set(rng.sample(tags, rng.randint(0, 2)))
        initiatives.append(initiative)
    for volunteer in volunteers:
        for initiative in rng.sample(initiatives, rng.randint(0, 2)):
            start = monday() + timedelta(weeks=rng.randint(-3, 4))
            PledgeFactory(
                member=volunteer,
                initiative=initiative,
                minutes_per_week=rng.choice((15, 30)),
                start=start,
                end=start + timedelta(weeks=rng.randint(1, 30)),
            )


@pytest.mark.parametrize("seed", range(6))
def test_the_stored_plan_is_the_plan_computed_now(seed):
    _random_community(seed)

    for weeks in (4, 12, 26):
        stored = selectors.stored_plan(horizon_weeks=weeks)
        assert stored.plan == _fresh(horizon_weeks=weeks)
        assert stored.volunteer_count == len(selectors.plan_inputs().volunteers)
        assert selectors.stored_plan(horizon_weeks=weeks).plan is stored.plan


@pytest.mark.parametrize("seed", range(3))
def test_every_page_of_the_stored_plan_is_the_page_computed_for_it(seed, client, monkeypatch):
    from guilde.initiatives.views import planning

    monkeypatch.setattr(planning, "PLAN_PAGE_SIZE", 2)
    _random_community(seed)
    ops = make_member("product_ops")
    client.force_login(ops.user)
    pages = (len(_fresh().initiatives) + 1) // 2

    for number in range(1, pages + 1):
        shown = selectors.capacity_plan(remedies_until=number * 2)[0].initiatives[(number - 1) * 2 : number * 2]
        page = client.get(reverse("initiatives:planner") + f"?page={number}")
        assert page.context["items"]
        assert [entry["plan"] for entry in page.context["items"]] == shown


def _page_queries(client):
    client.get(reverse("initiatives:planner"))
    selectors.forget_stored_plans()
    with CaptureQueriesContext(connection) as computed:
        client.get(reverse("initiatives:planner"))
    with CaptureQueriesContext(connection) as stored:
        client.get(reverse("initiatives:planner"))
    return len(computed.captured_queries), len(stored.captured_queries)


def test_the_planner_page_costs_the_same_queries_with_more_volunteers_and_initiatives(scene, client):
    client.force_login(scene["ops"].user)
    few = _page_queries(client)
    for index in range(6):
        volunteer = make_member("volunteer", skills=[scene["writing"]])
        initiative = InitiativeFactory(title=f"More {index}")
        initiative.skills.set([scene["writing"]])
        PledgeFactory(member=volunteer, initiative=initiative, minutes_per_week=30)
        Absence.objects.create(member=volunteer, start=monday(), end=monday() + timedelta(days=1))

    many = _page_queries(client)

    assert many == few
    assert few[1] < few[0]


def test_the_page_shows_a_new_pledge_at_once(scene, client):
    client.force_login(scene["ops"].user)
    before = client.get(reverse("initiatives:planner")).content.decode()

    services.pledge(
        actor=scene["v3"].user,
        initiative=scene["spare"],
        minutes_per_week=60,
        start=monday(),
        end=monday() + timedelta(weeks=12) - timedelta(days=1),
    )
    after = client.get(reverse("initiatives:planner")).content.decode()

    assert "Spare" in after
    assert before != after
    assert planner.hours(_fresh().total_pledged) in after


def test_the_initiative_page_and_the_api_read_the_stored_plan(scene, client, monkeypatch):
    """Computed once for both (it cost ~60 ms per page at enterprise scale), and again after a pledge."""
    from guilde.accounts.services import create_api_token
    from guilde.initiatives.selectors import planning

    computed = []
    compute = planning.capacity_plan
    monkeypatch.setattr(planning, "capacity_plan", lambda **kwargs: computed.append(kwargs) or compute(**kwargs))
    running = scene["running"]
    client.force_login(scene["ops"].user)
    page = reverse("initiatives:initiative", args=[running.pk])
    token = {"Authorization": f"Bearer {create_api_token(actor=scene['ops'].user, name='tests').secret}"}

    first = client.get(page).context["plan_row"]
    again = client.get(page).context["plan_row"]
    api = client.get("/api/initiatives/plan", headers=token).json()

    assert len(computed) == 1
    assert first == again == _fresh().initiative(running.pk)
    assert [row["id"] for row in api["initiatives"]] == [row.id for row in _fresh().initiatives]

    PledgeFactory(member=scene["v3"], initiative=running, minutes_per_week=90)

    assert client.get(page).context["plan_row"] == _fresh().initiative(running.pk) != first
    assert len(computed) == 2
