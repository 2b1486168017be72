"""The pre-aggregated KPI path gives the exact path's counts, and the services keep it in step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guilde.feedback import aggregates, kpis, services
from guilde.feedback.enums import FeedbackStatus, SourceChannel
from guilde.feedback.models import KpiLeadTime, KpiStat
from tests.factories.feedback import FeedbackFactory, ProductAreaFactory

pytestmark = pytest.mark.django_db


def _tables():
    stats = {
        (s.grain, s.day, s.dimension, s.key): tuple(getattr(s, c) for c in aggregates.STAT_COLUMNS)
        for s in KpiStat.objects.all()
        if any(getattr(s, c) for c in aggregates.STAT_COLUMNS)
    }
    leads = {(h.grain, h.day, h.kind, h.bucket): h.count for h in KpiLeadTime.objects.all() if h.count}
    return stats, leads


@pytest.fixture
def history(ops):
    billing, mobile = ProductAreaFactory(name_en="Billing"), ProductAreaFactory(name_en="Mobile")
    now = timezone.now()
    made = []
    for i in range(40):
        made.append(
            services.submit_feedback(
                actor=ops,
                title=f"Cannot export invoices {i}",
                problem="Finance cannot reconcile the month without the export.",
                source=SourceChannel.SALES_CALL if i % 3 else SourceChannel.SUPPORT_TICKET,
                product_area=billing if i % 2 else None,
                received_at=now - timedelta(days=3 * i, hours=i),
            )
        )
    for f in made[:30]:
        services.change_status(actor=ops, feedback=f, to_status=FeedbackStatus.PROCESSED, version=None)
    for f in made[:10]:
        services.change_status(actor=ops, feedback=f, to_status=FeedbackStatus.RESOLVED, version=None)
    services.bulk_change_status(
        actor=ops, feedback_ids=[f.pk for f in made[10:14]], to_status=FeedbackStatus.DECLINED, reason="Out of scope"
    )
    services.change_status(actor=ops, feedback=made[14], to_status=FeedbackStatus.NEW, version=None)
    services.mark_duplicate(actor=ops, feedback=made[35], original=made[0], version=None)
    services.bulk_assign_area(actor=ops, feedback_ids=[f.pk for f in made[20:25]], product_area=mobile)
    services.update_feedback(actor=ops, feedback=made[26], version=None, evidence="“We lose a day each month.”")
    return made


def test_services_keep_the_aggregates_equal_to_a_rebuild(history):
    incremental = _tables()
    assert incremental[0]
    aggregates.rebuild()
    assert _tables() == incremental


def test_aggregate_path_matches_the_exact_counts(history):
    now = timezone.now()
    start, end = now - timedelta(days=365), now + timedelta(hours=1)
    for period in ("week", "month"):
        assert kpis.throughput(start=start, end=end, period=period, exact=False) == kpis.throughput(
            start=start, end=end, period=period, exact=True
        )
    for dimension in ("source", "team", "area"):
        fast = kpis.breakdown(dimension=dimension, start=start, end=end, exact=False)
        slow = kpis.breakdown(dimension=dimension, start=start, end=end, exact=True)
        assert sorted(fast, key=lambda r: r["key"]) == sorted(slow, key=lambda r: r["key"])
    assert kpis.sla_breaches(start=start, end=end, now=now, exact=False) == kpis.sla_breaches(
        start=start, end=end, now=now, exact=True
    )
    assert kpis.backlog_age(now=now, exact=False) == kpis.backlog_age(now=now, exact=True)
    assert kpis.quality_share(start=start, end=end, exact=False) == kpis.quality_share(start=start, end=end, exact=True)


def test_aggregate_percentiles_are_within_a_bucket(history):
    now = timezone.now()
    start, end = now - timedelta(days=365), now + timedelta(hours=1)
    for kind in ("process", "resolve"):
        fast = kpis.percentiles(kind=kind, start=start, end=end, exact=False)
        slow = kpis.percentiles(kind=kind, start=start, end=end, exact=True)
        assert fast["count"] == slow["count"]
        for p in ("p50", "p90"):
            assert fast[p] == pytest.approx(slow[p], rel=0.1)


def test_partial_days_at_the_window_edges_come_from_the_rows(history):
    now = timezone.now()
    start, end = now - timedelta(days=40, hours=5), now - timedelta(days=2, hours=7)
    assert kpis.breakdown(dimension="source", start=start, end=end, exact=False) == kpis.breakdown(
        dimension="source", start=start, end=end, exact=True
    )


def test_small_bases_use_the_exact_path_and_large_ones_the_aggregates(history, monkeypatch):
    assert not kpis.use_aggregates()
    monkeypatch.setattr(kpis, "EXACT_MAX_ROWS", 10)
    assert kpis.use_aggregates()
    KpiStat.objects.all().delete()
    assert not kpis.use_aggregates()


def test_rows_loaded_without_services_are_counted_after_a_rebuild(db):
    FeedbackFactory(received_at=timezone.now() - timedelta(days=2))
    assert not KpiStat.objects.exists()
    aggregates.rebuild()
    assert KpiStat.objects.filter(dimension="all", grain="d").get().received == 1


def test_buckets_are_log_spaced_and_cover_every_duration():
    for seconds in (1, 60, 61, 3600, 86400 * 7, 86400 * 365 * 3):
        low, high = aggregates.bucket_bounds(aggregates.bucket_of(seconds))
        assert low < seconds <= high or (seconds <= 60 and low == 0)
        assert high / max(low, 60) <= 2 ** (1 / 8) + 1e-9
