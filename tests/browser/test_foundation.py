"""The foundation as a person uses it: sign in, find a colleague, edit my profile, read in French."""

import re

import pytest
from playwright.sync_api import expect

from guilde.accounts.enums import Role
from tests.browser.support import sign_in
from tests.factories.community import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_signs_in_searches_edits_profile_and_switches_to_french(page, live_server):
    me = MemberFactory(user__email="camille@example.com", user__full_name="Camille Martin", user__role=Role.MEMBER)
    me.user.set_password("correct horse battery staple")
    me.user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=me.user, email=me.user.email, verified=True, primary=True)
    MemberFactory(user__full_name="Jordan Lee")
    MemberFactory(user__full_name="Zoé Petit")

    # Sign in through the real login form.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "camille@example.com")
    page.fill("input[name=password]", "correct horse battery staple")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello Camille")

    # Live search in the directory (htmx replaces the results as I type).
    page.goto(f"{live_server.url}/community/members/")
    page.fill("input[name=q]", "jordan")
    expect(page.locator("#directory-results")).to_contain_text("Jordan Lee")
    expect(page.locator("#directory-results")).not_to_contain_text("Zoé Petit")
    assert "q=jordan" in page.url
    # The new count is read out from a live region that htmx does not replace.
    expect(page.locator("#guilde-announcer")).to_have_text("1 person")
    # Accents do not matter when searching.
    page.fill("input[name=q]", "zoe")
    expect(page.locator("#directory-results")).to_contain_text("Zoé Petit")

    # Edit my profile.
    page.goto(f"{live_server.url}/community/me/edit/")
    page.fill("input[name=job_title]", "Lead product manager")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Lead product manager")
    me.refresh_from_db()
    assert me.job_title == "Lead product manager"

    # Switch to French: the interface speaks French and remembers it.
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(f"{live_server.url}/community/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Annuaire"))
    me.user.refresh_from_db()
    assert me.user.language == "fr"


def test_anonymous_visitor_is_sent_to_sign_in(page, live_server):
    page.goto(f"{live_server.url}/community/members/")
    assert "/accounts/login/" in page.url
    expect(page.locator("input[name=login]")).to_be_visible()


def test_signed_in_pages_have_no_csp_violations(page, live_server):
    """The strict content security policy holds: no inline script or style is blocked on the main pages."""
    me = MemberFactory(user__role=Role.PRODUCT_OPS)
    sign_in(page, live_server, me.user)
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    for path in ["/", "/community/members/", "/community/me/edit/", "/community/charter/", "/community/people/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []
