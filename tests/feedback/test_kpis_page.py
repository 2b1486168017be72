"""The KPIs page counts whole days of the TIME_ZONE calendar, and on a large base reads no feedback row."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.feedback import aggregates, kpis
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.views import kpis as kpi_views
from tests.factories.accounts import UserFactory
from tests.factories.feedback import FeedbackFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # a Wednesday morning


@pytest.fixture(autouse=True)
def _paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture(params=["exact", "aggregates"])
def path(request, monkeypatch):
    """Runs a test on the exact path (small base) and on the pre-aggregated one (large base)."""
    if request.param == "aggregates":
        monkeypatch.setattr(kpis, "EXACT_MAX_ROWS", 1)
    return request.param


def _use(path):
    if path == "aggregates":
        aggregates.rebuild()
        assert kpis.use_aggregates()
    else:
        assert not kpis.use_aggregates()


def test_the_period_is_whole_days_up_to_yesterday(path):
    FeedbackFactory(received_at=datetime(2026, 11, 25, 0, 30, tzinfo=PARIS))  # today: counted from tomorrow
    FeedbackFactory(received_at=datetime(2026, 11, 24, 23, 30, tzinfo=PARIS))  # yesterday, late evening
    FeedbackFactory(received_at=datetime(2025, 11, 25, 0, 0, tzinfo=PARIS))  # the period's first day
    FeedbackFactory(received_at=datetime(2025, 11, 24, 23, 59, tzinfo=PARIS))  # the period before
    _use(path)

    context = kpi_views.build(months=12, now=NOW)

    cards = {c["key"]: c for c in context["cards"]}
    assert (cards["received"]["value"], cards["received"]["before"]) == (2, 1)
    # 365 whole days: 25 Nov. 2025 to 24 Nov. 2026 (dates: shown as such in any viewer's timezone).
    assert (context["start"], context["end"]) == (date(2025, 11, 25), date(2026, 11, 24))


def test_backlog_ages_and_the_sla_are_counted_in_whole_days(path):
    received = [
        datetime(2026, 11, 25, 9, 0, tzinfo=PARIS),  # today: 0 days old
        datetime(2026, 11, 19, 0, 30, tzinfo=PARIS),  # 6 days old
        datetime(2026, 11, 18, 23, 30, tzinfo=PARIS),  # 7 days old, though less than 7 x 24 h ago
        datetime(2026, 11, 17, 12, 0, tzinfo=PARIS),  # 8 days old: past the 7-day SLA
        datetime(2026, 8, 27, 12, 0, tzinfo=PARIS),  # 90 days old
    ]
    for moment in received:
        FeedbackFactory(received_at=moment)
    processed = datetime(2026, 11, 10, tzinfo=PARIS)
    FeedbackFactory(received_at=processed, processed_at=processed, status=FeedbackStatus.PROCESSED)
    _use(path)
    exact = path == "exact"
    start, end = kpis.whole_days(days=30, now=NOW)

    backlog = kpis.backlog_age(now=NOW, exact=exact)
    waiting = kpis.sla_breaches(start=start, end=end, now=NOW, exact=exact)["waiting_overdue"]

    assert [(b["from_days"], b["count"]) for b in backlog] == [(0, 2), (7, 2), (30, 0), (90, 1)]
    assert waiting == 2  # 8 and 90 days old; 7 days is not more than the 7-day SLA yet


def test_on_a_large_base_the_page_reads_no_feedback_row(client, monkeypatch):
    now = timezone.now()
    for days in (0, 3, 40, 200, 400):
        FeedbackFactory(received_at=now - timedelta(days=days, hours=1), processed_at=now - timedelta(days=days))
    aggregates.rebuild()
    monkeypatch.setattr(kpis, "EXACT_MAX_ROWS", 1)
    client.force_login(UserFactory(role=Role.EXECUTIVE))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("feedback:kpis"), {"months": 12})

    assert response.status_code == 200
    on_rows = [q["sql"] for q in queries if "feedback_feedback" in q["sql"]]
    # Only the size probe, bounded by EXACT_MAX_ROWS + 1; no partial day is read from the rows.
    assert on_rows
    assert all("LIMIT 2" in sql for sql in on_rows)
    assert "(whole days: today counts from tomorrow)" in response.content.decode()
