"""The board and the planner stay readable and fast with hundreds of initiatives: bounded and paged."""

import pytest
from django.test import override_settings
from django.urls import reverse

from guilde.initiatives import selectors
from tests.factories.initiatives import InitiativeFactory, PledgeFactory
from tests.initiatives.conftest import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english")]


@pytest.fixture
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_a_board_column_shows_its_first_cards_in_rank_order_and_counts_them_all(monkeypatch, member):
    from guilde.initiatives.selectors import board_columns

    monkeypatch.setattr(board_columns, "COLUMN_LIMIT", 2)
    running = [InitiativeFactory(status="in_progress", rank=rank) for rank in (3, 1, 2)]
    idea = InitiativeFactory(status="idea")
    PledgeFactory(initiative=running[1])
    PledgeFactory(initiative=running[1])

    columns = {column.key: column for column in selectors.board(viewer=member.user)}

    assert [card.pk for card in columns["in_progress"].items] == [running[1].pk, running[2].pk]
    assert (columns["in_progress"].total, columns["in_progress"].hidden) == (3, 1)
    assert columns["in_progress"].items[0].volunteer_count == 2
    assert ([c.pk for c in columns["idea"].items], columns["idea"].total) == ([idea.pk], 1)
    assert (columns["aside"].items, columns["aside"].total) == ([], 0)


def test_a_full_column_links_to_the_rest_in_the_list(client, monkeypatch, member):
    from guilde.initiatives.selectors import board_columns

    monkeypatch.setattr(board_columns, "COLUMN_LIMIT", 1)
    InitiativeFactory.create_batch(3, status="in_progress")
    client.force_login(member.user)

    page = client.get(reverse("initiatives:board")).content.decode()
    by_pillar = client.get(reverse("initiatives:board") + "?by=pillar").content.decode()

    assert "2 more in the list" in page
    assert reverse("initiatives:list") + "?status=in_progress&amp;" in page
    assert "2 more in the list" in by_pillar


@override_settings(LANGUAGE_CODE="en")
def test_the_plan_is_paged_and_priority_moves_come_back_to_their_page(client, monkeypatch, ops):
    from guilde.initiatives.views import planning

    monkeypatch.setattr(planning, "PLAN_PAGE_SIZE", 2)
    first, second, third = (InitiativeFactory(title=f"Plan item {rank}", rank=rank) for rank in (1, 2, 3))
    client.force_login(ops.user)

    page_one = client.get(reverse("initiatives:planner")).content.decode()
    page_two = client.get(reverse("initiatives:planner") + "?page=2").content.decode()
    response = client.post(
        reverse("initiatives:reprioritise", args=[third.pk]),
        {"direction": "up", "version": third.version, "weeks": "12", "page": "2"},
    )

    cards = [f'id="plan-{item.pk}"' for item in (first, second, third)]
    assert [card in page_one for card in cards] == [True, True, False]
    assert [card in page_two for card in cards] == [False, False, True]
    # The first item of page 2 is third in the plan: it can still move up, and nothing is below it.
    assert "Move “Plan item 3” up" in page_two
    assert "Move “Plan item 3” down" not in page_two
    assert "of 3 initiatives in the plan" in page_two
    assert response["Location"] == reverse("initiatives:planner") + f"?weeks=12&page=2#plan-{third.pk}"


def test_the_side_lists_of_the_planner_are_cut(client, monkeypatch, ops):
    from guilde.initiatives.views import planning

    monkeypatch.setattr(planning, "SIDE_LIST_SIZE", 2)
    for index in range(4):
        make_member("volunteer", weekly_minutes=60 + index)
    InitiativeFactory()
    client.force_login(ops.user)

    page = client.get(reverse("initiatives:planner")).content.decode()

    assert "And 2 more volunteers with less free time." in page
