from datetime import UTC, datetime, timedelta

import pytest

from guilde.feedback import kpis
from guilde.feedback.enums import FeedbackStatus, SourceChannel
from tests.factories.feedback import FeedbackFactory, ProductAreaFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday
START, END = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)


@pytest.fixture
def history():
    area = ProductAreaFactory(name_en="Billing")
    rows = []
    for hours in (1, 2, 4, 10):
        rows.append(
            FeedbackFactory(
                received_at=T0,
                processed_at=T0 + timedelta(hours=hours),
                status=FeedbackStatus.PROCESSED,
                product_area=area,
                submitter_team="Sales FR",
            )
        )
    for days in (1, 2):
        FeedbackFactory(
            received_at=T0,
            processed_at=T0 + timedelta(hours=1),
            resolved_at=T0 + timedelta(days=days),
            status=FeedbackStatus.RESOLVED,
            source=SourceChannel.CHURN_INTERVIEW,
            quality_score=90,
        )
    FeedbackFactory(
        received_at=T0 + timedelta(days=7),
        declined_at=T0 + timedelta(days=8),
        processed_at=T0 + timedelta(days=8),
        status=FeedbackStatus.DECLINED,
    )
    FeedbackFactory(received_at=T0 + timedelta(days=7))  # still new
    return rows


def test_time_to_process_percentiles_are_exact(history):
    stats = kpis.percentiles(kind="process", start=START, end=END)
    # Durations (h): 1, 1, 1, 2, 4, 10, 24 → median 2; p90 at position 5.4 → 10 + 0.4 x 14 = 15.6
    assert stats == {"count": 7, "p50": 2.0, "p90": 15.6}


def test_time_to_resolve_percentiles_are_exact(history):
    # 24 h and 48 h → median 36; p90 = 24 + 0.9 x 24 = 45.6
    assert kpis.percentiles(kind="resolve", start=START, end=END) == {"count": 2, "p50": 36.0, "p90": 45.6}


def test_percentiles_without_data_are_none(db):
    assert kpis.percentiles(kind="resolve", start=START, end=END) == {"count": 0, "p50": None, "p90": None}


def test_weekly_and_monthly_throughput(history):
    weeks = kpis.throughput(start=START, end=END, period="week")
    assert [(str(w["period"]), w["received"], w["processed"], w["resolved"], w["declined"]) for w in weeks] == [
        ("2025-03-03", 6, 6, 2, 0),
        ("2025-03-10", 2, 1, 0, 1),
    ]
    months = kpis.throughput(start=START, end=END, period="month")
    assert [(str(m["period"]), m["received"], m["resolved"]) for m in months] == [("2025-03-01", 8, 2)]


def test_breakdowns_by_source_team_and_area(history):
    by_source = {r["key"]: r["received"] for r in kpis.breakdown(dimension="source", start=START, end=END)}
    assert by_source == {SourceChannel.SUPPORT_TICKET: 6, SourceChannel.CHURN_INTERVIEW: 2}
    by_area = {
        r["key"]: (r["received"], r["processed"]) for r in kpis.breakdown(dimension="area", start=START, end=END)
    }
    assert by_area["Billing"] == (4, 4)
    by_team = {r["key"]: r["received"] for r in kpis.breakdown(dimension="team", start=START, end=END)}
    assert by_team["Sales FR"] == 4


def test_sla_backlog_and_quality(history):
    now = T0 + timedelta(days=30)
    # SLA 7 days to process: only the declined one took more than 7 days? It took 1 day → none late.
    breaches = kpis.sla_breaches(start=START, end=END, now=now)
    assert breaches == {"processed_late": 0, "resolved_late": 0, "waiting_overdue": 1}
    assert [b["count"] for b in kpis.backlog_age(now=now)] == [0, 1, 0, 0]
    quality = kpis.quality_share(start=START, end=END)
    assert (quality["total"], quality["useful"], quality["percent"]) == (8, 2, 25.0)


def test_kpis_bundle(history):
    result = kpis.kpis(start=START, end=END, now=T0 + timedelta(days=30))
    assert result.time_to_resolve["p50"] == 36.0
    assert len(result.series) == 2
