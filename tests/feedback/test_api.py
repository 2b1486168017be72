import pytest

from guilde.accounts.services import create_api_token
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import Feedback
from tests.factories.feedback import CustomerAccountFactory, FeedbackFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def auth(user):
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='tests').secret}"}


def test_api_needs_a_token(client):
    assert client.get("/api/feedback").status_code == 401


def test_api_create_then_read(client, stakeholder):
    headers = auth(stakeholder)
    response = client.post(
        "/api/feedback",
        {"title": "Export fails", "problem": "Invoices cannot be exported.", "source": "sales_call"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == FeedbackStatus.NEW
    assert body["quality_missing"]
    assert client.get(f"/api/feedback/{body['id']}", headers=headers).json()["title"] == "Export fails"


def test_api_create_validation_errors_are_422(client, stakeholder):
    response = client.post(
        "/api/feedback",
        {"title": "", "problem": "x", "source": "pigeon", "account_id": 999999},
        content_type="application/json",
        headers=auth(stakeholder),
    )
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"account_id"}
    response = client.post(
        "/api/feedback",
        {"title": "", "problem": "x", "source": "pigeon"},
        content_type="application/json",
        headers=auth(stakeholder),
    )
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"title", "source"}
    assert not Feedback.objects.exists()


def test_api_list_is_cursor_paginated_and_filtered(client, pm):
    for _ in range(3):
        FeedbackFactory()
    FeedbackFactory(status=FeedbackStatus.PROCESSED)
    headers = auth(pm)
    first = client.get("/api/feedback?status=new&page_size=2", headers=headers).json()
    second = client.get(f"/api/feedback?status=new&page_size=2&cursor={first['next_cursor']}", headers=headers).json()
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None


def test_api_hides_other_feedback_and_confidential_figures_from_stakeholders(client, stakeholder):
    other = FeedbackFactory()
    mine = FeedbackFactory(submitter=stakeholder, account=CustomerAccountFactory())
    headers = auth(stakeholder)
    assert client.get(f"/api/feedback/{other.pk}", headers=headers).status_code == 404
    items = client.get("/api/feedback", headers=headers).json()["items"]
    assert [i["id"] for i in items] == [mine.pk]
    assert items[0]["arr"] is None


def test_api_status_change_and_conflict(client, pm):
    feedback = FeedbackFactory()
    headers = auth(pm)
    url = f"/api/feedback/{feedback.pk}/status"
    ok = client.post(url, {"status": "processed", "version": 1}, content_type="application/json", headers=headers)
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.post(url, {"status": "planned", "version": 1}, content_type="application/json", headers=headers)
    assert stale.status_code == 409
    bad = client.post(url, {"status": "declined", "version": 2}, content_type="application/json", headers=headers)
    assert bad.status_code == 422


def test_api_status_change_is_404_for_stakeholders(client, stakeholder):
    feedback = FeedbackFactory(submitter=stakeholder)
    response = client.post(
        f"/api/feedback/{feedback.pk}/status",
        {"status": "processed", "version": 1},
        content_type="application/json",
        headers=auth(stakeholder),
    )
    assert response.status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.NEW


def test_api_link_to_opportunity(client, pm):
    feedback, opportunity = FeedbackFactory(), OpportunityFactory()
    response = client.post(
        f"/api/feedback/{feedback.pk}/opportunities",
        {"opportunity_id": opportunity.pk},
        content_type="application/json",
        headers=auth(pm),
    )
    assert response.status_code == 201
    opportunity.refresh_from_db()
    assert opportunity.feedback_count == 1
