from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from guilde.feedback import selectors
from guilde.feedback.enums import FeedbackStatus, OpportunityStatus, SourceChannel
from guilde.feedback.selectors import InboxFilters
from tests.factories.feedback import (
    CustomerAccountFactory,
    FeedbackFactory,
    OpportunityFactory,
    ProductAreaFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


def _make(n, **kwargs):
    area = ProductAreaFactory()
    account = CustomerAccountFactory()
    return [FeedbackFactory(product_area=area, account=account, **kwargs) for _ in range(n)]


@pytest.mark.parametrize("count", [1, 3])
def test_inbox_query_count_is_constant(pm, count, django_assert_num_queries):
    _make(count)
    with django_assert_num_queries(1):
        page = selectors.inbox(viewer=pm)
        assert len(page.items) == count
        for f in page.items:
            _ = (f.account.name, f.product_area.name, f.submitter.full_name, f.segment)


@pytest.mark.parametrize("count", [1, 3])
def test_stakeholder_inbox_query_count_is_constant(stakeholder, count, django_assert_num_queries):
    _make(count, submitter=stakeholder)
    with django_assert_num_queries(1):
        assert len(selectors.my_submissions(viewer=stakeholder).items) == count


def test_inbox_keyset_pages_cover_everything_once(pm):
    now = timezone.now()
    rows = [FeedbackFactory(received_at=now - timedelta(hours=i % 3)) for i in range(7)]  # ties on received_at
    seen, cursor = [], ""
    while True:
        page = selectors.inbox(viewer=pm, cursor=cursor, page_size=3)
        seen += [f.pk for f in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(f.pk for f in rows)
    assert len(seen) == 7


def test_inbox_sort_by_arr_with_cursor(pm):
    segment = SegmentFactory()
    for arr in ("100", "300", "200", "300"):
        FeedbackFactory(account=CustomerAccountFactory(arr=Decimal(arr), segment=segment))
    first = selectors.inbox(viewer=pm, filters=InboxFilters(sort="arr", segment=segment.pk), page_size=2)
    second = selectors.inbox(viewer=pm, filters=InboxFilters(sort="arr", segment=segment.pk), cursor=first.next_cursor)
    assert [f.arr for f in first.items + second.items] == [Decimal(v) for v in ("300", "300", "200", "100")]


def test_inbox_filters(pm):
    area = ProductAreaFactory()
    old = FeedbackFactory(product_area=area, received_at=timezone.now() - timedelta(days=40), quality_score=80)
    FeedbackFactory(product_area=area, status=FeedbackStatus.PROCESSED)
    FeedbackFactory(source=SourceChannel.CHURN_INTERVIEW)
    found = selectors.inbox(
        viewer=pm,
        filters=InboxFilters.from_query({"area": str(area.pk), "status": "new", "age": "30to90", "quality_min": "70"}),
    )
    assert found.items == [old]
    assert selectors.inbox(viewer=pm, filters=InboxFilters(overdue=True)).items == [old]
    assert len(selectors.inbox(viewer=pm, filters=InboxFilters(source=SourceChannel.CHURN_INTERVIEW)).items) == 1


def test_inbox_garbage_cursor_shows_page_one(pm):
    FeedbackFactory()
    assert len(selectors.inbox(viewer=pm, cursor="not-a-cursor!!").items) == 1


def test_stakeholder_inbox_is_limited_and_cannot_sort_or_filter_on_confidential_fields(stakeholder):
    mine = FeedbackFactory(submitter=stakeholder)
    FeedbackFactory()
    assert selectors.inbox(viewer=stakeholder, filters=InboxFilters(sort="arr")).items == [mine]


def test_feedback_for_is_404_when_not_visible(stakeholder, pm):
    other = FeedbackFactory()
    with pytest.raises(Http404):
        selectors.feedback_for(viewer=stakeholder, pk=other.pk)
    assert selectors.feedback_for(viewer=pm, pk=other.pk) == other


def test_similar_feedback_shows_titles_to_stakeholders_but_only_opens_visible_ones(stakeholder):
    mine = FeedbackFactory(submitter=stakeholder, title="Invoice export fails", problem="invoices pdf export")
    theirs = FeedbackFactory(title="Export invoices to PDF", problem="invoice pdf export timeout")
    FeedbackFactory(title="Dark mode", problem="too bright")
    items = selectors.similar_feedback(viewer=stakeholder, text="export invoices as pdf")
    assert {i.pk: i.can_open for i in items} == {mine.pk: True, theirs.pk: False}


def test_roadmap_hides_figures_from_stakeholders(stakeholder, pm):
    OpportunityFactory(status=OpportunityStatus.NOW, priority_score=Decimal("12.5"), arr_at_stake=Decimal(1000))
    assert selectors.roadmap(viewer=stakeholder)["now"][0].arr_at_stake is None
    assert selectors.roadmap(viewer=pm)["now"][0].arr_at_stake == Decimal(1000)


def test_opportunity_ranking_orders_by_score(pm):
    low = OpportunityFactory(priority_score=Decimal(5))
    high = OpportunityFactory(priority_score=Decimal(50))
    OpportunityFactory(priority_score=Decimal(99), status=OpportunityStatus.SHIPPED)
    assert list(selectors.opportunity_ranking(viewer=pm)) == [high, low]


def test_visible_accounts(stakeholder, pm):
    mine = CustomerAccountFactory(owner=stakeholder)
    CustomerAccountFactory()
    assert list(selectors.visible_accounts(stakeholder)) == [mine]
    assert selectors.visible_accounts(pm).count() == 2
