"""The roadmap at any size: 20 cards a column, the column's total, "Show 20 more" by keyset.

A column of 600 opportunities must cost what a column of 20 costs; the rest is one click (htmx)
or one link (no JS) away, and a card from a later page moves like any other.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.feedback import selectors
from guilde.feedback.enums import OpportunityStatus
from guilde.feedback.models import Opportunity
from tests.factories.accounts import UserFactory
from tests.factories.feedback import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = reverse("feedback:roadmap")
HTMX = {"HX-Request": "true"}


def column(status, n, *, score=None, **kwargs):
    """n opportunities in a column, best first as created (scores n, n-1, … unless given)."""
    return [
        OpportunityFactory(
            title=f"{status} {i:02d}",
            status=status,
            priority_score=Decimal(score if score is not None else n - i),
            **kwargs,
        )
        for i in range(n)
    ]


def shipped(n):
    now = timezone.now()
    return [
        OpportunityFactory(
            title=f"shipped {i:02d}", status=OpportunityStatus.SHIPPED, shipped_at=now - timedelta(days=i)
        )
        for i in range(n)
    ]


def titles(cards):
    return [c.title for c in cards]


def walk(viewer, status):
    """Every page of a column, following the cursors the way the button does."""
    pages, after = [], None
    while True:
        page = selectors.roadmap_column(viewer=viewer, status=status, after=after)
        pages.append(page)
        if page.next_after is None:
            return pages
        after = page.next_after


# --- the selector ---------------------------------------------------------------------------


def test_each_column_shows_its_first_20_cards_and_counts_them_all(pm):
    nexts = column(OpportunityStatus.NEXT, 45)
    column(OpportunityStatus.NOW, 3)
    shipped(21)
    OpportunityFactory(status=OpportunityStatus.CANDIDATE)

    columns = selectors.roadmap(viewer=pm)

    assert titles(columns["next"]) == titles(nexts[:20])
    assert (columns["next"].total, columns["next"].next_count) == (45, 20)
    assert columns["next"].next_after == nexts[19].pk
    assert (len(columns["now"]), columns["now"].total, columns["now"].next_after) == (3, 3, None)
    assert (len(columns["shipped"]), columns["shipped"].total, columns["shipped"].next_count) == (20, 21, 1)
    assert (columns["later"].total, list(columns["later"])) == (0, [])


def test_paging_a_column_gives_every_card_once_in_roadmap_order_even_on_equal_scores(pm):
    # Equal scores: the id breaks the tie, so no card is skipped or repeated across pages.
    cards = column(OpportunityStatus.LATER, 23, score=7) + column(OpportunityStatus.LATER, 24)

    pages = walk(pm, OpportunityStatus.LATER)

    expected = sorted(cards, key=lambda o: (-o.priority_score, o.pk))
    assert [len(p) for p in pages] == [20, 20, 7]
    assert [c.pk for p in pages for c in p] == [o.pk for o in expected]
    assert [(p.next_after, p.next_count) for p in pages] == [(pages[0][-1].pk, 20), (pages[1][-1].pk, 7), (None, 0)]


def test_shipped_column_pages_most_recent_first(pm):
    dated = shipped(22)
    # Undated shipped cards (only the admin makes them) sort where the database puts NULL.
    undated = [OpportunityFactory(status=OpportunityStatus.SHIPPED, shipped_at=None) for _ in range(2)]

    pages = walk(pm, OpportunityStatus.SHIPPED)

    newest_undated_first = [undated[1].pk, undated[0].pk]
    expected = [o.pk for o in dated]
    expected = (
        newest_undated_first + expected if connection.features.nulls_order_largest else expected + newest_undated_first
    )
    assert [c.pk for p in pages for c in p] == expected
    assert [len(p) for p in pages] == [20, 4]


def test_a_cursor_card_that_was_deleted_gives_the_first_page(pm):
    cards = column(OpportunityStatus.NOW, 25)
    gone = cards[19].pk
    Opportunity.objects.filter(pk=gone).delete()

    page = selectors.roadmap_column(viewer=pm, status=OpportunityStatus.NOW, after=gone)

    assert titles(page)[:2] == titles(cards[:2])


def test_stakeholders_get_no_figures_on_any_page(stakeholder, pm):
    cards = column(OpportunityStatus.NOW, 25)
    Opportunity.objects.update(arr_at_stake=Decimal(5000), account_count=3)

    later = selectors.roadmap_column(viewer=stakeholder, status=OpportunityStatus.NOW, after=cards[19].pk)
    product = selectors.roadmap_column(viewer=pm, status=OpportunityStatus.NOW, after=cards[19].pk)

    assert {(c.priority_score, c.arr_at_stake, c.account_count) for c in later} == {(None, None, None)}
    assert (product[0].priority_score, product[0].arr_at_stake, product[0].account_count) == (
        Decimal(5),
        Decimal(5000),
        3,
    )


# --- the page -------------------------------------------------------------------------------


def _roadmap_queries(client):
    """The page's reads of opportunities (the session, user and layout queries are core's) and
    its number of cards."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "feedback_opportunity" in q["sql"]]
    return len(reads), response.content.decode().count("<article")


def test_the_page_costs_the_same_with_5_or_60_opportunities_a_column(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    for status in (OpportunityStatus.NOW, OpportunityStatus.NEXT, OpportunityStatus.LATER):
        column(status, 5)
    shipped(5)
    small = _roadmap_queries(client)
    for status in (OpportunityStatus.NOW, OpportunityStatus.NEXT, OpportunityStatus.LATER):
        column(status, 55)
    shipped(55)

    large = _roadmap_queries(client)

    # The totals, then one page per column, whatever the size.
    assert small == (5, 20)
    assert large == (5, 80)


def test_the_page_shows_the_totals_and_a_show_more_button_per_long_column(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    nexts = column(OpportunityStatus.NEXT, 1234 // 50)  # 24: one page and 4 more
    column(OpportunityStatus.NOW, 2)

    html = client.get(URL).content.decode()

    assert '<h2 class="h6 d-flex justify-content-between" id="col-next">' in html
    assert '<span class="text-body-secondary">24</span>' in html
    assert '<span class="text-body-secondary">2</span>' in html
    assert html.count('name="column" value="next"') == 1
    assert 'name="column" value="now"' not in html
    assert f'<input type="hidden" name="after" value="{nexts[19].pk}">' in html
    assert 'hx-get="/feedback/roadmap/"' in html
    assert 'hx-target="#more-next"' in html
    assert 'aria-describedby="col-next"' in html
    assert "Show 4 more" in html
    assert nexts[19].title in html
    assert nexts[20].title not in html
    assert "data-guilde-announce" not in html
    assert "feedback/roadmap.js" in html


def test_totals_are_grouped_by_thousands_in_the_viewers_language(client):
    user = UserFactory(role=Role.STAKEHOLDER)
    client.force_login(user)
    Opportunity.objects.bulk_create(
        [Opportunity(title=f"Later {i}", status=OpportunityStatus.LATER) for i in range(1002)]
    )

    english = client.get(URL).content.decode()
    user.language = "fr"
    user.save()
    french = client.get(URL).content.decode()

    assert '<span class="text-body-secondary">1,002</span>' in english
    assert '<span class="text-body-secondary">1\xa0002</span>' in french
    assert "Afficher 20 de plus" in french


def test_show_more_with_htmx_sends_the_next_cards_only_announced_with_focus_marker(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    nexts = column(OpportunityStatus.NEXT, 45)

    second = client.get(URL, {"column": "next", "after": nexts[19].pk}, headers=HTMX)
    last = client.get(URL, {"column": "next", "after": nexts[39].pk}, headers=HTMX)

    html = second.content.decode()
    assert "<html" not in html
    assert html.count("<article") == 20
    assert [t in html for t in titles(nexts[19:41])] == [False] + [True] * 20 + [False]
    # The first new card takes the focus (roadmap.js), and only it.
    assert html.count("data-roadmap-first") == 1
    assert html.index("data-roadmap-first") < html.index(nexts[20].title) < html.index(nexts[21].title)
    assert "20 more opportunities shown in Next." in html
    assert f'name="after" value="{nexts[39].pk}"' in html
    assert "Show 5 more" in html
    assert '<div id="more-next">' in html

    end = last.content.decode()
    assert end.count("<article") == 5
    assert "5 more opportunities shown in Next." in end
    assert "That is the whole column." in end
    assert 'name="after"' not in end


def test_without_javascript_show_more_is_a_page_of_the_column(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    laters = column(OpportunityStatus.LATER, 30)

    response = client.get(URL, {"column": "later", "after": laters[19].pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Roadmap: Later" in html
    assert "Back to the roadmap" in html
    assert '<span class="text-body-secondary">30</span>' in html
    assert titles(response.context["cards"]) == titles(laters[20:])
    assert html.count("<article") == 10
    assert "data-roadmap-first" not in html
    assert "data-guilde-announce" not in html
    assert 'name="after"' not in html
    # The button is a GET form: without JS it leads to the next page of this column.
    first = client.get(URL, {"column": "later"}).content.decode()
    assert re.search(r'<form method="get"\s+action="/feedback/roadmap/"', first)
    assert f'name="after" value="{laters[19].pk}"' in first


def test_unknown_column_shows_the_roadmap_and_a_bad_cursor_the_first_page(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    nows = column(OpportunityStatus.NOW, 3)

    unknown = client.get(URL, {"column": "candidate"})
    garbage = client.get(URL, {"column": "now", "after": "x'"}, headers=HTMX)
    huge = client.get(URL, {"column": "now", "after": "9" * 30}, headers=HTMX)

    assert unknown.context["columns"][0][0] == OpportunityStatus.NOW
    assert titles(garbage.context["cards"]) == titles(nows)
    assert titles(huge.context["cards"]) == titles(nows)


def test_cards_loaded_later_show_no_figures_to_stakeholders(client):
    client.force_login(UserFactory(role=Role.STAKEHOLDER))
    nows = column(OpportunityStatus.NOW, 22, score=None)
    Opportunity.objects.update(priority_score=Decimal("42.5"), arr_at_stake=Decimal(987654))

    html = client.get(URL, {"column": "now", "after": nows[19].pk}, headers=HTMX).content.decode()

    assert html.count("<article") == 2
    assert "42.5" not in html
    assert "987" not in html
    assert "Move" not in html


def test_a_card_from_a_later_page_moves_with_its_version(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    nexts = column(OpportunityStatus.NEXT, 25)
    card = nexts[22]
    Opportunity.objects.filter(pk=card.pk).update(version=4)

    html = client.get(URL, {"column": "next", "after": nexts[19].pk}, headers=HTMX).content.decode()
    moved = client.post(
        reverse("feedback:opportunity_move", args=[card.pk]), {"status": "now", "next": "roadmap", "version": 4}
    )
    stale = client.post(
        reverse("feedback:opportunity_move", args=[card.pk]), {"status": "later", "next": "roadmap", "version": 4}
    )

    assert f'action="/feedback/opportunities/{card.pk}/move/"' in html
    assert 'name="version" value="4"' in html
    assert re.search(rf'<label class="visually-hidden" for="move-{card.pk}">\s+Move “next 22” to\s+</label>', html)
    assert (moved.status_code, moved.url) == (302, URL)
    assert stale.status_code == 409
    card.refresh_from_db()
    assert (card.status, card.version) == (OpportunityStatus.NOW, 5)


def test_empty_roadmap_keeps_its_empty_state(client):
    client.force_login(UserFactory(role=Role.MEMBER))
    OpportunityFactory(status=OpportunityStatus.CANDIDATE)

    html = client.get(URL).content.decode()

    assert "The roadmap shows what product will do" in html
    assert "Show" not in html
