"""The roadmap's "Show more" as people use it: by keyboard with a screen reader's announcements,
then moving a card that came with it; and without JavaScript, as a link to the column's page."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from guilde.accounts.enums import Role
from guilde.feedback.enums import OpportunityStatus
from guilde.feedback.models import Opportunity
from tests.browser.support import sign_in
from tests.factories.accounts import UserFactory
from tests.factories.feedback import OpportunityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_column(n):
    return [
        OpportunityFactory(title=f"Next {i:02d}", status=OpportunityStatus.NEXT, priority_score=Decimal(100 - i))
        for i in range(n)
    ]


def test_show_more_by_keyboard_announces_focuses_and_the_new_cards_move(page, live_server):
    pm = UserFactory(role=Role.MEMBER, full_name="Paula PM")
    cards = _next_column(25)
    sign_in(page, live_server, pm)
    page.goto(f"{live_server.url}/feedback/roadmap/")
    column = page.locator("section[aria-labelledby=col-next]")
    expect(column.locator("article")).to_have_count(20)
    expect(column.locator("h2")).to_contain_text("25")

    # A real button, reached and pressed from the keyboard.
    button = column.get_by_role("button", name="Show 5 more")
    button.focus()
    page.keyboard.press("Enter")

    expect(column.locator("article")).to_have_count(25)
    # The button is gone with the last page; the focus is on the first new card, which is read out.
    expect(column.get_by_role("button", name=re.compile("Show"))).to_have_count(0)
    expect(page.locator(":focus")).to_have_text("Next 20")
    expect(page.locator("#guilde-announcer")).to_have_text(
        "5 more opportunities shown in Next. That is the whole column."
    )

    # Tab on from the new card to its column picker, then to its button: the move is version-checked.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("id", f"move-{cards[20].pk}")
    page.locator(":focus").select_option("now")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator(".toast-container")).to_contain_text("“Next 20” is now in Now.")
    moved = Opportunity.objects.get(pk=cards[20].pk)
    assert (moved.status, moved.version) == (OpportunityStatus.NOW, cards[20].version + 1)


def test_without_javascript_show_more_opens_the_columns_next_page(browser, live_server):
    _next_column(23)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, UserFactory(role=Role.STAKEHOLDER))
    page.goto(f"{live_server.url}/feedback/roadmap/")

    page.get_by_role("button", name="Show 3 more").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Roadmap: Next")
    expect(page.locator("main article")).to_have_count(3)
    expect(page.locator("main article").first).to_contain_text("Next 20")
    expect(page.get_by_role("link", name="Back to the roadmap")).to_be_visible()
    assert re.search(r"column=next&after=\d+", page.url)
    context.close()
