from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guilde.core.home import home_sections
from guilde.core.navigation import modules_for
from guilde.initiatives import planner, selectors
from guilde.initiatives.models import Challenge, Initiative, Pledge
from tests.factories.initiatives import ChallengeFactory, InitiativeFactory, PledgeFactory, default_pillar
from tests.initiatives.conftest import ROLES, make_member

COMMUNITY_PAGES = [
    "board",
    "list",
    "create",
    "initiative",
    "challenges",
    "challenge_create",
    "challenge",
    "planner",
    "mine",
]
OPS_PAGES = ["delete"]
OWNER_PAGES = ["edit", "challenge_edit"]


def _url(name, *, initiative, challenge):
    if name in {"initiative", "edit", "delete"}:
        return reverse(f"initiatives:{name}", args=[initiative.pk])
    if name in {"challenge", "challenge_edit"}:
        return reverse(f"initiatives:{name}", args=[challenge.pk])
    return reverse(f"initiatives:{name}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("name", COMMUNITY_PAGES + OPS_PAGES + OWNER_PAGES)
def test_permission_matrix(client, role, name):
    initiative, challenge = InitiativeFactory(), ChallengeFactory()
    if role != "anonymous":
        client.force_login(make_member(role).user)

    response = client.get(_url(name, initiative=initiative, challenge=challenge))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role == "stakeholder":
        assert response.status_code == 403
    elif name in OPS_PAGES:
        assert response.status_code == (200 if role == "product_ops" else 403)
    elif name in OWNER_PAGES:
        # Someone else's initiative or challenge: 404, exactly as a missing one; product ops edit everything.
        assert response.status_code == (200 if role == "product_ops" else 404)
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_owners_edit_their_own_initiative_and_challenge(client, member):
    initiative = InitiativeFactory(lead=member.user)
    challenge = ChallengeFactory(author=member.user)
    client.force_login(member.user)

    assert client.get(reverse("initiatives:edit", args=[initiative.pk])).status_code == 200
    assert client.get(reverse("initiatives:challenge_edit", args=[challenge.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "volunteer", "executive"])
def test_archived_initiatives_are_404_except_for_product_ops(client, role, ops):
    initiative = InitiativeFactory(is_archived=True)
    client.force_login(make_member(role).user)

    assert client.get(reverse("initiatives:initiative", args=[initiative.pk])).status_code == 404
    client.force_login(ops.user)
    assert client.get(reverse("initiatives:initiative", args=[initiative.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["archive", "move"])
def test_changing_someone_elses_initiative_is_404(client, member, name):
    initiative = InitiativeFactory(status="planned")
    client.force_login(member.user)

    response = client.post(
        reverse(f"initiatives:{name}", args=[initiative.pk]), {"status": "in_progress", "version": 1}
    )

    initiative.refresh_from_db()
    assert response.status_code in (403, 404)
    assert (initiative.status, initiative.is_archived) == ("planned", False)


@pytest.mark.django_db
def test_navigation_shows_initiatives_to_the_community_only():
    assert "initiatives" in [m.key for m in modules_for(make_member("member").user, "/")]
    assert "initiatives" not in [m.key for m in modules_for(make_member("stakeholder").user, "/")]


def _cards(count):
    for index in range(count):
        initiative = InitiativeFactory(status=["idea", "planned", "in_progress"][index % 3])
        PledgeFactory(initiative=initiative)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["board", "list"])
def test_boards_and_lists_have_a_constant_number_of_queries(client, django_assert_num_queries, url_name):
    member = make_member("member")
    client.force_login(member.user)
    _cards(1)
    selectors.pillars()
    client.get(reverse(f"initiatives:{url_name}"))  # warm the session and the community row

    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse(f"initiatives:{url_name}"))
    _cards(2)
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(reverse(f"initiatives:{url_name}"))

    assert response.status_code == 200
    assert response.content.decode().count('href="/initiatives/') >= 3


@pytest.mark.django_db
def test_board_by_pillar_and_challenges_have_a_constant_number_of_queries(client, django_assert_num_queries):
    client.force_login(make_member("member").user)
    ChallengeFactory()
    _cards(1)
    urls = [reverse("initiatives:board") + "?by=pillar", reverse("initiatives:challenges")]
    for url in urls:
        client.get(url)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    ChallengeFactory.create_batch(2)
    _cards(2)

    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)


@pytest.mark.django_db
def test_kanban_move_through_htmx_returns_the_board(client, ops):
    initiative = InitiativeFactory(status="planned")
    client.force_login(ops.user)

    response = client.post(
        reverse("initiatives:move", args=[initiative.pk]),
        {"status": "in_progress", "version": initiative.version},
        headers={"HX-Request": "true"},
    )

    initiative.refresh_from_db()
    assert response.status_code == 200
    assert initiative.status == "in_progress"
    assert 'id="board"' in response.content.decode()
    assert "data-moved" in response.content.decode()


@pytest.mark.django_db
def test_kanban_move_with_a_stale_version_is_refused(client, ops):
    initiative = InitiativeFactory(status="planned", version=3)
    client.force_login(ops.user)

    response = client.post(
        reverse("initiatives:move", args=[initiative.pk]),
        {"status": "in_progress", "version": 2},
        headers={"HX-Request": "true"},
    )

    initiative.refresh_from_db()
    assert response.status_code == 409
    assert initiative.status == "planned"
    assert "Someone changed this" in response.content.decode()


@pytest.mark.django_db
def test_over_pledging_shows_the_message_under_the_field(client, volunteer):
    other = InitiativeFactory(title="Quiz on discovery")
    PledgeFactory(initiative=other, member=volunteer, minutes_per_week=45)
    initiative = InitiativeFactory()
    client.force_login(volunteer.user)
    start = planner.week_start(selectors.today())

    response = client.post(
        reverse("initiatives:pledge", args=[initiative.pk]),
        {"minutes_per_week": 30, "start": start, "end": start + timedelta(weeks=2)},
    )

    assert response.status_code == 422
    assert "Quiz on discovery: 45 min" in response.content.decode()
    assert not Pledge.objects.filter(initiative=initiative).exists()


@pytest.mark.django_db
def test_raise_a_challenge_from_the_form(client, member):
    client.force_login(member.user)

    response = client.post(
        reverse("initiatives:challenge_create"),
        {"title": "Roadmaps differ", "pillar": default_pillar().pk, "affected": "PMs", "description": ""},
    )

    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert (challenge.title, challenge.author) == ("Roadmaps differ", member.user)


@pytest.mark.django_db
def test_upvote_through_htmx_returns_the_button(client, member):
    challenge = ChallengeFactory()
    client.force_login(member.user)

    response = client.post(reverse("initiatives:challenge_vote", args=[challenge.pk]), headers={"HX-Request": "true"})

    challenge.refresh_from_db()
    assert challenge.vote_count == 1
    assert 'aria-pressed="true"' in response.content.decode()


@pytest.mark.django_db
def test_product_ops_accept_a_challenge_into_an_initiative(client, ops):
    challenge = ChallengeFactory()
    client.force_login(ops.user)
    form = client.get(reverse("initiatives:create") + f"?challenge={challenge.pk}")

    response = client.post(
        reverse("initiatives:create"),
        {
            "challenge": challenge.pk,
            "title": challenge.title,
            "pillar": challenge.pillar_id,
            "kind": "quiz",
            "goal": "Do it",
            "effort_hours": 6,
            "value": 3,
            "rank": 5,
            "lead": ops.user.pk,
        },
    )

    challenge.refresh_from_db()
    initiative = Initiative.objects.get()
    assert challenge.title in form.content.decode()
    assert response.status_code == 302
    assert (challenge.status, initiative.challenge, initiative.rank) == ("accepted", challenge, 5)


@pytest.mark.django_db
def test_planner_flags_and_what_if_is_not_saved(client, ops):
    initiative = InitiativeFactory(title="Big playbook", effort_hours=40, status="planned")
    PledgeFactory(initiative=initiative, minutes_per_week=60)
    client.force_login(ops.user)

    real = client.get(reverse("initiatives:planner")).content.decode()
    what_if = client.get(
        reverse("initiatives:planner"), {"initiative": initiative.pk, "estimate": 5, "add_minutes": 60}
    ).content.decode()

    initiative.refresh_from_db()
    assert "Too ambitious for current capacity" in real
    assert "nothing is saved" in what_if
    assert "Changed by the what-if" in what_if
    assert initiative.effort_hours == 40
    assert Pledge.objects.count() == 1


@pytest.mark.django_db
def test_planner_deprioritise_remedy(client, ops):
    initiative = InitiativeFactory(effort_hours=40)
    client.force_login(ops.user)

    response = client.post(
        reverse("initiatives:deprioritise", args=[initiative.pk]), {"deprioritise-reason": "Too ambitious"}
    )

    initiative.refresh_from_db()
    assert response.status_code == 302
    assert (initiative.status, initiative.status_reason) == ("deprioritised", "Too ambitious")


@pytest.mark.django_db
def test_my_commitments_and_home_section_show_the_next_check_in(client, rf, volunteer):
    pledge = PledgeFactory(member=volunteer, start=planner.week_start(selectors.today()))
    client.force_login(volunteer.user)

    page = client.get(reverse("initiatives:mine")).content.decode()
    request = rf.get("/")
    request.user = volunteer.user
    sections = [s for s in home_sections(request) if s.template == "initiatives/_home_section.html"]

    assert pledge.initiative.title in page
    assert sections[0].context["next_due"] == pledge.start + timedelta(days=7)


@pytest.mark.django_db
def test_home_section_is_for_volunteers_only(rf, member):
    request = rf.get("/")
    request.user = member.user

    assert [s for s in home_sections(request) if s.template == "initiatives/_home_section.html"] == []


@pytest.mark.django_db
def test_declare_and_remove_an_absence(client, volunteer):
    client.force_login(volunteer.user)
    day = selectors.today()

    client.post(reverse("initiatives:mine"), {"start": day, "end": day + timedelta(days=4), "note": "Holidays"})
    absence = volunteer.absences.get()
    client.post(reverse("initiatives:absence_delete", args=[absence.pk]))

    assert not volunteer.absences.exists()


@pytest.mark.django_db
def test_someone_elses_absence_is_404(client, member):
    other = make_member("volunteer")
    day = selectors.today()
    absence = other.absences.create(start=day, end=day)
    client.force_login(member.user)

    assert client.post(reverse("initiatives:absence_delete", args=[absence.pk])).status_code == 404


def test_member_page_lists_the_initiatives_a_member_leads(client, db):
    from tests.factories.community import MemberFactory
    from tests.factories.initiatives import InitiativeFactory

    lead = MemberFactory(user__role="member")
    InitiativeFactory(title="Pitch coaching", lead=lead.user)
    client.force_login(lead.user)

    html = client.get(f"/community/members/{lead.pk}/").content.decode()

    assert "Pitch coaching" in html


@pytest.mark.django_db
def test_planner_moves_an_initiative_up_with_its_keyboard_buttons(client, ops):
    InitiativeFactory(title="First", rank=1)
    second = InitiativeFactory(title="Second", rank=2)
    client.force_login(ops.user)

    page = client.get(reverse("initiatives:planner")).content.decode()
    response = client.post(
        reverse("initiatives:reprioritise", args=[second.pk]),
        {"direction": "up", "version": second.version, "weeks": "8"},
    )

    second.refresh_from_db()
    assert "Move “Second” up" in page
    assert "Move “First” up" not in page
    assert response["Location"] == reverse("initiatives:planner") + f"?weeks=8#plan-{second.pk}"
    assert second.rank == 1


@pytest.mark.django_db
def test_planner_priority_buttons_are_for_product_ops_only(client, member):
    InitiativeFactory(title="First", rank=1)
    second = InitiativeFactory(title="Second", rank=2)
    client.force_login(member.user)

    page = client.get(reverse("initiatives:planner")).content.decode()
    response = client.post(reverse("initiatives:reprioritise", args=[second.pk]), {"direction": "up", "version": 1})

    second.refresh_from_db()
    assert "Move “Second” up" not in page
    assert response.status_code == 403
    assert second.rank == 2
