"""The live quiz as people play it: a host and two players on their phones, in three browser contexts."""

import os
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from guilde.learning.models import Attempt
from tests.factories.learning import QuestionFactory, QuizFactory
from tests.learning.conftest import make_user

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Polling runs every 2 s: leave room for a couple of rounds on a slow machine.
expect.set_options(timeout=10_000)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user, **context_options):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(**context_options)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def test_live_quiz_with_two_players(browser, live_server):
    host = make_user("volunteer")
    alice = make_user("member")
    bob = make_user("stakeholder")
    alice.full_name, bob.full_name = "Alice Martin", "Bob Smith"
    alice.save()
    bob.save()
    question = QuestionFactory(text_en="Who owns the problem?", answers=[("The PM", True), ("Nobody", False)])
    quiz = QuizFactory(title_en="Live check", questions=[question])

    host_page = signed_in_page(browser, live_server, host)
    host_page.goto(f"{live_server.url}/learning/quizzes/{quiz.pk}/")
    host_page.get_by_role("button", name="Open a live quiz").click()
    code = host_page.get_by_test_id("join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
    players = {}
    for user in (alice, bob):
        page = signed_in_page(browser, live_server, user, **phone)
        page.goto(f"{live_server.url}/learning/live/")
        page.get_by_label("Join code").fill(code.lower())
        page.get_by_role("button", name="Join").click()
        expect(page.locator("#live-stage")).to_contain_text("Waiting for the host")
        players[user] = page
    expect(host_page.locator("#live-host-panel")).to_contain_text("2 players")

    host_page.get_by_role("button", name="Start the quiz").click()
    for user, answer in ((alice, "The PM"), (bob, "Nobody")):
        page = players[user]
        expect(page.get_by_role("group", name="Who owns the problem?")).to_be_visible(timeout=6000)
        page.get_by_label(answer).check()  # keyboard-reachable radio in a fieldset
        page.get_by_role("button", name="Send my answer").click()
        expect(page.locator("#live-stage")).to_contain_text("Answer sent")
    expect(host_page.locator("#live-host-panel")).to_contain_text("2 answered")

    host_page.get_by_role("button", name="Show the answer").click()
    expect(players[alice].locator("#live-stage")).to_contain_text("Right! +100")
    expect(players[bob].locator("#live-stage")).to_contain_text("Not this time")
    expect(players[bob].locator("#live-scores")).to_contain_text("Alice Martin")
    expect(players[bob].locator("#live-scores li").first).to_contain_text("100")

    host_page.get_by_role("button", name="Finish and show the scores").click()
    expect(players[alice].locator("#live-stage")).to_contain_text("You scored 100 points")
    assert {a.user_id: (a.points, a.passed) for a in Attempt.objects.filter(live__code=code)} == {
        alice.pk: (100, True),
        bob.pk: (0, False),
    }


def test_taking_a_quiz_by_keyboard_only(browser, live_server):
    learner = make_user("member")
    question = QuestionFactory(text_en="Pick the right one", answers=[("Wrong", False), ("Right", True)])
    quiz = QuizFactory(title_en="Keyboard quiz", questions=[question])
    page = signed_in_page(browser, live_server, learner)
    page.goto(f"{live_server.url}/learning/quizzes/{quiz.pk}/")
    page.get_by_role("button", name="Start the quiz").focus()
    page.keyboard.press("Enter")

    radio = page.get_by_role("radio", name="Wrong")
    radio.focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(page.get_by_role("radio", name="Right")).to_be_checked()
    page.get_by_role("button", name="Check my answer").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Right!")).to_be_visible()
