"""The initiatives flow in Chromium: challenge → initiative → pledge → the planner flags it → deprioritised."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from guilde.community.demo import seed_community
from guilde.initiatives import selectors
from guilde.initiatives.demo import seed_initiatives
from guilde.initiatives.models import Challenge, Initiative, Pledge
from tests.initiatives.conftest import make_member

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SHOTS = os.environ.get("INITIATIVES_SHOTS", "")


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_challenge_to_deprioritised_initiative(page, live_server):
    volunteer = make_member("volunteer", user__full_name="Léa Martin")
    ops = make_member("product_ops", user__full_name="Camille Laurent")
    target = selectors.today() + timedelta(weeks=4)

    # A volunteer raises a challenge.
    sign_in(page, live_server, volunteer.user)
    page.goto(f"{live_server.url}/initiatives/challenges/new/")
    page.get_by_label("Title").fill("Nobody knows our product ops practices")
    page.get_by_label("Who is affected").fill("New PMs")
    page.get_by_role("button", name="Raise the challenge").click()
    page.wait_for_url("**/initiatives/challenges/*/")
    challenge = Challenge.objects.get()

    # Product ops turn it into an initiative, too big for one hour a week, then plan it from the board.
    sign_in(page, live_server, ops.user)
    page.goto(f"{live_server.url}{challenge.get_absolute_url()}")
    page.get_by_role("link", name="Turn into an initiative").click()
    page.get_by_label("Goal").fill("Write the playbook of our product ops practices.")
    page.get_by_label("Effort estimate (person-hours)").fill("40")
    page.get_by_label("Target date").fill(target.isoformat())
    page.get_by_role("button", name="Create the initiative").click()
    page.wait_for_url("**/initiatives/*/")
    initiative = Initiative.objects.get()
    assert Challenge.objects.get().status == "accepted"
    page.goto(f"{live_server.url}/initiatives/board/")
    move = page.get_by_role("button", name=f"Move “{initiative.title}” to Planned")
    move.focus()
    page.keyboard.press("Enter")
    page.locator(f"[data-moved] >> text={initiative.title}").wait_for()
    assert Initiative.objects.get().status == "planned"

    # The volunteer pledges an hour a week until the target date.
    sign_in(page, live_server, volunteer.user)
    page.goto(f"{live_server.url}{initiative.get_absolute_url()}")
    page.get_by_label("Minutes a week").fill("60")
    page.get_by_label("Until").fill(target.isoformat())
    page.get_by_role("button", name="Pledge", exact=True).click()
    page.get_by_text("your pledge to").wait_for()
    assert Pledge.objects.get().minutes_per_week == 60

    # The planner flags it; product ops deprioritise it.
    sign_in(page, live_server, ops.user)
    page.goto(f"{live_server.url}/initiatives/planner/")
    card = page.locator(f"#plan-{initiative.pk}")
    assert "Too ambitious for current capacity" in card.inner_text()
    assert "Needs 40 h by" in card.inner_text()
    card.get_by_role("button", name="Deprioritise").click()
    page.get_by_text("is deprioritised").wait_for()
    initiative.refresh_from_db()
    assert (initiative.status, Pledge.objects.get().end) == ("deprioritised", selectors.today())


@pytest.mark.browser
@pytest.mark.skipif(not SHOTS, reason="set INITIATIVES_SHOTS=/some/dir to take screenshots")
@pytest.mark.django_db(transaction=True)
def test_screenshots(page, live_server):
    seed_community()
    seed_initiatives()
    from guilde.accounts.models import User

    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    pages = [
        ("ops@guilde.test", "/initiatives/planner/", "planner"),
        ("ops@guilde.test", "/initiatives/board/", "board"),
        ("ops@guilde.test", "/initiatives/board/?by=pillar", "board-pillar"),
        ("pm@guilde.test", "/initiatives/mine/", "mine"),
        ("pm@guilde.test", "/initiatives/challenges/", "challenges"),
        ("pm@guilde.test", "/initiatives/", "list"),
        ("pm@guilde.test", f"/initiatives/{Initiative.objects.get(title='Product discovery quiz').pk}/", "detail"),
        ("pm@guilde.test", "/", "home"),
    ]
    for suffix, size in [("", {"width": 1400, "height": 1000}), ("-phone", {"width": 390, "height": 844})]:
        page.set_viewport_size(size)
        for email, path, name in pages:
            sign_in(page, live_server, User.objects.get(email=email))
            page.goto(f"{live_server.url}{path}")
            page.wait_for_timeout(300)
            page.screenshot(path=f"{SHOTS}/{name}{suffix}.png", full_page=True)
            page.screenshot(path=f"{SHOTS}/{name}{suffix}-top.png")
            if name == "planner":
                page.locator("#plan-list").screenshot(path=f"{SHOTS}/{name}{suffix}-list.png")
