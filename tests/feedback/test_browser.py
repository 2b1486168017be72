"""Closing the loop as people live it: a stakeholder submits, product processes, links and ships,
the stakeholder reads the answer."""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from guilde.accounts.enums import Role
from guilde.feedback import services
from guilde.feedback.enums import FeedbackStatus, OpportunityStatus, SourceChannel
from guilde.feedback.models import Feedback, Opportunity
from tests.factories.accounts import UserFactory
from tests.factories.feedback import (
    CustomerAccountFactory,
    FeedbackFactory,
    OpportunityFactory,
    ProductAreaFactory,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("FEEDBACK_SHOTS", "/tmp/shots"))


@pytest.fixture(autouse=True)
def _default_definition():
    """A transactional test starts from a flushed database once another one ran: no rubric from 0003."""
    services.ensure_default_definition()


def sign_in_as(page, live_server, user):
    """Signs in by handing the browser a session made by the test client (faster than the form)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_stakeholder_submits_pm_processes_links_ships_and_stakeholder_reads_the_answer(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    sam = UserFactory(role=Role.STAKEHOLDER, full_name="Sam Sales")
    paula = UserFactory(role=Role.MEMBER, full_name="Paula PM")
    area = ProductAreaFactory(name_en="Billing", name_fr="Facturation")
    acme = CustomerAccountFactory(name="Acme Industries", owner=sam, arr=Decimal("84000"))
    FeedbackFactory(
        title="Export invoices to the accounting software",
        problem="Finance teams retype invoices in their accounting tool.",
        product_area=area,
    )

    # The stakeholder starts typing and sees that a similar feedback exists.
    sign_in_as(page, live_server, sam)
    page.goto(f"{live_server.url}/feedback/submit/")
    page.fill("#id_account_search", "acm")
    page.get_by_role("option", name="Acme Industries").click()

    expect(page.locator("#account-facts")).to_contain_text("84,000 EUR")
    page.locator("#id_title").press_sequentially("Invoices export", delay=20)
    expect(page.locator("#similar-panel")).to_contain_text("Export invoices to the accounting software")
    expect(page.locator("#similar-panel")).to_contain_text("Add my customer to this one")

    # …but this one is a different problem: they describe it and watch the score rise.
    page.fill(
        "#id_problem",
        "Accountants cannot export credit notes with the invoices, so they lose two days each month closing.",
    )
    page.fill("#id_evidence", "“We rebuild credit notes by hand every month.”")
    page.select_option("#id_impact", "high")
    page.select_option("#id_product_area", label="Billing")
    page.select_option("#id_source", SourceChannel.CS_REVIEW)
    expect(page.locator("#quality-panel")).to_contain_text("100%")
    shot(page, "submit")
    page.get_by_role("button", name="Submit feedback").click()
    expect(page.locator("h1")).to_contain_text("Invoices export")
    feedback = Feedback.objects.get(title="Invoices export")
    assert feedback.account == acme

    # The PM triages it from the inbox: processes it and links it to a new opportunity.
    sign_in_as(page, live_server, paula)
    page.goto(f"{live_server.url}/feedback/inbox/")
    expect(page.locator("#inbox-results")).to_contain_text("Invoices export")
    shot(page, "inbox")
    page.get_by_role("link", name="Invoices export").click()
    page.select_option("#id_to_status", FeedbackStatus.PROCESSED)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".toast-container")).to_contain_text("Now processed.")
    page.fill("#id_new_title", "Export credit notes")
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".toast-container")).to_contain_text("Linked to “Export credit notes”.")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PROCESSED

    # She ships the opportunity with the answer to customers.
    page.get_by_role("link", name="Export credit notes").first.click()
    page.fill("#id_release_note", "Credit notes now export with invoices: Billing, then Export.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Ship").click()
    expect(page.locator(".toast-container")).to_contain_text("Shipped. Everyone who asked for it is being told.")
    assert Opportunity.objects.get().status == OpportunityStatus.SHIPPED

    # The stakeholder sees the loop closed, with the answer.
    sign_in_as(page, live_server, sam)
    page.goto(f"{live_server.url}/feedback/mine/")
    expect(page.locator("main")).to_contain_text("Credit notes now export with invoices")
    expect(page.locator("main")).to_contain_text("Resolved")
    shot(page, "mine")


def test_screenshots_of_kpis_and_roadmap(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    ops = UserFactory(role=Role.PRODUCT_OPS, full_name="Olivia Ops")
    areas = [ProductAreaFactory(name_en=n) for n in ("Billing", "Reporting", "Integrations")]
    now = timezone.now()
    sources = list(SourceChannel.values)
    for i in range(60):
        received = now - timedelta(days=i * 2 + 1)
        processed = received + timedelta(days=1 + i % 9) if i % 4 else None
        FeedbackFactory(
            title=f"Feedback {i}",
            received_at=received,
            processed_at=processed if processed and processed < now else None,
            status=FeedbackStatus.PROCESSED if processed and processed < now else FeedbackStatus.NEW,
            product_area=areas[i % 3],
            source=sources[i % len(sources)],
        )
    for title, status, score in [
        ("Export credit notes", OpportunityStatus.NOW, "41.2"),
        ("Slack alerts for renewals", OpportunityStatus.NEXT, "33.0"),
        ("Custom dashboards", OpportunityStatus.LATER, "18.4"),
        ("SSO for every plan", OpportunityStatus.SHIPPED, "52.0"),
    ]:
        OpportunityFactory(
            title=title,
            status=status,
            priority_score=Decimal(score),
            shipped_at=now if status == OpportunityStatus.SHIPPED else None,
        )
    sign_in_as(page, live_server, ops)

    page.goto(f"{live_server.url}/feedback/kpis/?months=6")
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    shot(page, "kpis")
    page.goto(f"{live_server.url}/feedback/roadmap/")
    expect(page.locator("main")).to_contain_text("Slack alerts for renewals")
    shot(page, "roadmap")
    page.goto(f"{live_server.url}/feedback/inbox/")
    shot(page, "inbox-full")


def test_inbox_triage_by_keyboard(page, live_server):
    paula = UserFactory(role=Role.MEMBER, full_name="Paula PM")
    FeedbackFactory(title="First to triage")
    FeedbackFactory(title="Second to triage")
    sign_in_as(page, live_server, paula)
    page.goto(f"{live_server.url}/feedback/inbox/")

    page.locator("body").press("j")
    page.keyboard.press("x")
    focused = page.evaluate("document.activeElement.textContent")

    expect(page.locator("[data-row-check]:checked")).to_have_count(1)
    expect(page.locator("[data-bulk-count]")).to_contain_text("1")
    assert focused.strip() in {"First to triage", "Second to triage"}
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
