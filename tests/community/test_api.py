import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guilde.accounts.services import create_api_token
from guilde.community import services
from tests.factories.community import MemberFactory, TagFactory


@pytest.fixture
def token(member):
    return create_api_token(actor=member.user, name="tests").secret


def auth(secret):
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer gld_wrong"}, {"Authorization": "Basic abc"}])
def test_api_refuses_missing_or_invalid_tokens(client, headers):
    response = client.get("/api/members", headers=headers)

    assert response.status_code == 401


@pytest.mark.django_db
def test_api_refuses_a_deactivated_owners_token(client, member, token):
    member.user.is_active = False
    member.user.save()

    assert client.get("/api/members/me", headers=auth(token)).status_code == 401


@pytest.mark.django_db
def test_api_lists_members_with_filters(client, member, token):
    MemberFactory(user__full_name="Ana Lopez", region="austin", skills=[TagFactory(name="Pricing", slug="pricing")])
    MemberFactory(user__full_name="Bob", region="paris")
    MemberFactory(user__full_name="Gone", user__is_active=False)

    everyone = client.get("/api/members", headers=auth(token)).json()
    austin = client.get("/api/members", {"region": "austin", "q": "pric"}, headers=auth(token)).json()

    assert everyone["count"] == 3
    assert austin["count"] == 1
    assert austin["items"][0]["full_name"] == "Ana Lopez"
    assert austin["items"][0]["skills"] == ["Pricing"]


@pytest.mark.django_db
def test_api_list_query_count_does_not_grow(client, member, token, django_assert_num_queries):
    tags = [TagFactory()]
    client.get("/api/members", headers=auth(token))  # the token's last-use stamp is written once a minute

    with CaptureQueriesContext(connection) as one:
        client.get("/api/members", headers=auth(token))
    MemberFactory.create_batch(2, skills=tags, interests=tags)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get("/api/members", headers=auth(token)).json()

    assert body["count"] == 3


@pytest.mark.django_db
def test_api_member_detail_and_hidden_members(client, member, token):
    other = MemberFactory(user__full_name="Ryan Clark")
    gone = MemberFactory(user__is_active=False)

    found = client.get(f"/api/members/{other.pk}", headers=auth(token))
    hidden = client.get(f"/api/members/{gone.pk}", headers=auth(token))
    missing = client.get("/api/members/999999", headers=auth(token))

    assert (found.status_code, found.json()["full_name"]) == (200, "Ryan Clark")
    assert (hidden.status_code, missing.status_code) == (404, 404)


@pytest.mark.django_db
def test_api_me_returns_my_profile_with_its_version(client, member, token):
    body = client.get("/api/members/me", headers=auth(token)).json()

    assert (body["id"], body["version"], body["email"]) == (member.pk, 1, member.user.email)


@pytest.mark.django_db
def test_api_patch_me_changes_only_the_fields_sent(client, member, token):
    member.team = "Checkout"
    member.save()

    response = client.patch(
        "/api/members/me",
        {"version": 1, "job_title": "Lead PM", "skills": ["Discovery", "SQL"], "weekly_minutes": 120},
        content_type="application/json",
        headers=auth(token),
    )

    member.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["skills"]) == (2, ["Discovery", "SQL"])
    assert (member.job_title, member.team, member.weekly_minutes) == ("Lead PM", "Checkout", 120)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [({"version": 1, "weekly_minutes": 900}, "weekly_minutes"), ({"version": 1, "region": "atlantis"}, "region")],
)
def test_api_patch_me_answers_422_for_bad_values(client, member, token, payload, field):
    response = client.patch("/api/members/me", payload, content_type="application/json", headers=auth(token))

    member.refresh_from_db()
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]
    assert member.version == 1


@pytest.mark.django_db
def test_api_patch_me_needs_the_version(client, member, token):
    response = client.patch("/api/members/me", {"team": "X"}, content_type="application/json", headers=auth(token))

    assert response.status_code == 422


@pytest.mark.django_db
def test_api_patch_me_answers_409_for_a_stale_version(client, member, token):
    services.update_profile(actor=member.user, member=member, data={"team": "Theirs"}, version=1)

    response = client.patch(
        "/api/members/me", {"version": 1, "team": "Mine"}, content_type="application/json", headers=auth(token)
    )

    member.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else changed this profile" in response.json()["detail"]
    assert member.team == "Theirs"
