from datetime import timedelta

import pytest

from guilde.accounts.services import create_api_token
from guilde.initiatives import planner, selectors
from guilde.initiatives.models import Challenge, Initiative, Pledge
from tests.factories.initiatives import (
    ChallengeFactory,
    CheckInFactory,
    InitiativeFactory,
    PledgeFactory,
    default_pillar,
)
from tests.initiatives.conftest import make_member


def auth(person):
    return {"Authorization": f"Bearer {create_api_token(actor=person.user, name='tests').secret}"}


def monday():
    return planner.week_start(selectors.today())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/initiatives", "/api/initiatives/challenges", "/api/initiatives/plan", "/api/initiatives/1"]
)
def test_api_needs_a_token(client, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer gld_wrong"}).status_code == 401


@pytest.mark.django_db
def test_api_refuses_stakeholders(client):
    assert client.get("/api/initiatives/plan", headers=auth(make_member("stakeholder"))).status_code == 403


@pytest.mark.django_db
def test_api_lists_initiatives_in_priority_order(client, member):
    second, first = InitiativeFactory(rank=20), InitiativeFactory(rank=10)
    InitiativeFactory(is_archived=True)

    body = client.get("/api/initiatives", headers=auth(member)).json()

    assert [item["id"] for item in body["items"]] == [first.pk, second.pk]


@pytest.mark.django_db
def test_api_archived_initiative_is_404_for_members(client, member):
    initiative = InitiativeFactory(is_archived=True)

    assert client.get(f"/api/initiatives/{initiative.pk}", headers=auth(member)).status_code == 404


@pytest.mark.django_db
def test_api_raises_a_challenge_and_validates(client, member):
    headers = auth(member)

    created = client.post(
        "/api/initiatives/challenges",
        {"title": "Roadmaps differ", "pillar_id": default_pillar().pk},
        content_type="application/json",
        headers=headers,
    )
    missing_title = client.post(
        "/api/initiatives/challenges",
        {"pillar_id": default_pillar().pk},
        content_type="application/json",
        headers=headers,
    )
    bad_pillar = client.post(
        "/api/initiatives/challenges",
        {"title": "X", "pillar_id": 9999},
        content_type="application/json",
        headers=headers,
    )

    assert created.status_code == 201
    assert Challenge.objects.get().author == member.user
    assert (missing_title.status_code, bad_pillar.status_code) == (422, 422)
    assert bad_pillar.json()["detail"][0]["loc"][-1] == "pillar_id"


@pytest.mark.django_db
def test_api_pledge_over_capacity_is_422_with_the_reason(client, volunteer):
    PledgeFactory(member=volunteer, minutes_per_week=60)
    initiative = InitiativeFactory()

    response = client.post(
        f"/api/initiatives/{initiative.pk}/pledges",
        {"minutes_per_week": 30, "start": str(monday()), "end": str(monday() + timedelta(days=13))},
        content_type="application/json",
        headers=auth(volunteer),
    )

    assert response.status_code == 422
    assert "already pledged 1 h" in response.json()["detail"][0]["msg"]
    assert not Pledge.objects.filter(initiative=initiative).exists()


@pytest.mark.django_db
def test_api_pledge_and_check_in(client, volunteer):
    initiative = InitiativeFactory()
    headers = auth(volunteer)

    pledged = client.post(
        f"/api/initiatives/{initiative.pk}/pledges",
        {"minutes_per_week": 30, "start": str(monday()), "end": str(monday() + timedelta(days=13))},
        content_type="application/json",
        headers=headers,
    )
    checked = client.post(
        f"/api/initiatives/{initiative.pk}/check-ins",
        {"note": "Drafted", "minutes_spent": 45},
        content_type="application/json",
        headers=headers,
    )
    negative = client.post(
        f"/api/initiatives/{initiative.pk}/check-ins",
        {"note": "Oops", "minutes_spent": -5},
        content_type="application/json",
        headers=headers,
    )

    initiative.refresh_from_db()
    assert (pledged.status_code, checked.status_code, negative.status_code) == (201, 201, 422)
    assert initiative.spent_minutes == 45


@pytest.mark.django_db
def test_api_changing_someone_elses_initiative_is_404(client, member):
    initiative = InitiativeFactory()

    response = client.patch(
        f"/api/initiatives/{initiative.pk}",
        {"version": 1, "title": "Mine"},
        content_type="application/json",
        headers=auth(member),
    )

    assert response.status_code == 404
    assert Initiative.objects.get().title == initiative.title


@pytest.mark.django_db
def test_api_stale_version_is_409(client, ops):
    initiative = InitiativeFactory(version=2)

    response = client.patch(
        f"/api/initiatives/{initiative.pk}",
        {"version": 1, "effort_hours": 4},
        content_type="application/json",
        headers=auth(ops),
    )

    assert response.status_code == 409


@pytest.mark.django_db
def test_api_withdraw_someone_elses_pledge_is_404(client, volunteer):
    pledge = PledgeFactory()

    assert client.delete(f"/api/initiatives/pledges/{pledge.pk}", headers=auth(volunteer)).status_code == 404


@pytest.mark.django_db
def test_api_plan_and_what_if(client, member):
    initiative = InitiativeFactory(effort_hours=16, target_date=monday() + timedelta(weeks=7, days=4))
    PledgeFactory(initiative=initiative, minutes_per_week=60)
    headers = auth(member)

    real = client.get("/api/initiatives/plan", headers=headers).json()
    what_if = client.get(
        "/api/initiatives/plan", {"initiative": initiative.pk, "add_minutes": 60}, headers=headers
    ).json()
    invalid = client.get("/api/initiatives/plan", {"weeks": 99}, headers=headers)

    assert (real["initiatives"][0]["fits"], real["initiatives"][0]["available_minutes"]) == (False, 480)
    assert (what_if["what_if"], what_if["initiatives"][0]["fits"]) == (True, True)
    assert len(real["weeks"]) == 12
    assert invalid.status_code == 422


@pytest.mark.django_db
def test_api_challenge_detail(client, member):
    challenge = ChallengeFactory()

    body = client.get(f"/api/initiatives/challenges/{challenge.pk}", headers=auth(member)).json()

    assert (body["id"], body["status"]) == (challenge.pk, "open")


@pytest.mark.django_db
def test_api_care_signals_for_product_ops_only(client, volunteer, ops):
    initiative = InitiativeFactory(lead=volunteer.user, status="in_progress")
    PledgeFactory(initiative=initiative, member=volunteer, minutes_per_week=30, start=monday() - timedelta(weeks=6))
    for weeks_ago in (1, 2, 3):
        CheckInFactory(
            initiative=initiative, author=volunteer.user, minutes_spent=120, week=monday() - timedelta(weeks=weeks_ago)
        )

    body = client.get("/api/initiatives/plan/care", headers=auth(ops)).json()

    assert body["overwork"] == [
        {
            "member_id": volunteer.pk,
            "name": volunteer.user.full_name,
            "weeks_over": 3,
            "spent_minutes": 360,
            "pledged_minutes": 120,
        }
    ]
    assert body["single_person"] == [
        {"initiative_id": initiative.pk, "title": initiative.title, "person": volunteer.user.full_name}
    ]
    for role in ("member", "volunteer", "stakeholder", "executive"):
        refused = client.get("/api/initiatives/plan/care", headers=auth(make_member(role)))
        assert refused.status_code == 403, role
    assert client.get("/api/initiatives/plan/care").status_code == 401
