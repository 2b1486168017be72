"""The rituals flow as people use it: propose, vote, schedule, RSVP, add to calendar, rate."""

import datetime
import os

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from guilde.rituals.models import Rating, Session, Topic
from tests.factories.rituals import RitualFactory, SessionFactory
from tests.rituals.conftest import make_user

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_propose_vote_schedule_rsvp_calendar_and_rate(page, live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    member = make_user("member", user__full_name="Léa Martin")
    ops = make_user("product_ops", user__full_name="Camille Ops")
    session = SessionFactory(ritual=RitualFactory(name="Product exchange"))
    base = live_server.url

    # A member proposes a topic and votes for it (htmx toggles the button in place).
    _sign_in(page, live_server, member)
    page.goto(f"{base}/sessions/topics/new/")
    page.fill("input[name=title]", "Discovery sprints with customer success")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discovery sprints")
    page.goto(f"{base}/sessions/topics/")
    vote = page.locator("#topic-results .vote-button").first
    vote.click()
    expect(page.locator("#topic-results .vote-button").first).to_have_attribute("aria-pressed", "true")
    topic = Topic.objects.get()
    assert topic.vote_count == 1

    # Product ops schedule it into the next session from the topic page.
    _sign_in(page, live_server, ops)
    page.goto(f"{base}{topic.get_absolute_url()}")
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator("#programme")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Discovery sprints with customer success")

    # The member answers "going" (htmx), then downloads the event for their calendar.
    _sign_in(page, live_server, member)
    page.goto(f"{base}{session.get_absolute_url()}")
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.locator("#rsvp")).to_contain_text("You are going")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar").click()
    with open(download_info.value.path(), "rb") as downloaded:
        event = Calendar.from_ical(downloaded.read()).walk("VEVENT")[0]
    assert str(event["uid"]) == f"session-{session.pk}@guilde"
    assert "Discovery sprints" in str(event["description"])

    # After the session, the member rates it.
    start = timezone.now() - datetime.timedelta(hours=2)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    page.goto(f"{base}{session.get_absolute_url()}")
    page.get_by_label("5", exact=True).check()
    page.get_by_label("I will apply something I learnt").check()
    page.get_by_role("button", name="Send my rating").click()
    expect(page.locator(".toast-container")).to_contain_text("the speakers will see your rating")
    assert Rating.objects.values_list("user", "usefulness", "will_apply").get() == (member.pk, 5, True)


def test_public_events_page_has_no_csp_violations(page, live_server):
    SessionFactory(ritual=RitualFactory(visibility="public", name="Open exchange"))
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/sessions/events/")
    page.wait_for_load_state("networkidle")

    expect(page.locator("main")).to_contain_text("Open exchange")
    assert violations == []
