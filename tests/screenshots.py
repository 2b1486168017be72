"""`make screenshots`: the main pages on the demo community, in English and French, light mode.

Writes docs/screenshots/<lang>-<name>.png. Not part of the test suite (no test_ prefix on the file);
run through `make screenshots`, which selects it explicitly.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from guilde.accounts.models import User
from tests.browser.support import sign_in

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

PAGES = [
    ("ops@guilde.test", "home", "/"),
    ("ops@guilde.test", "directory", "/community/members/"),
    ("pm@guilde.test", "member", "/community/me/"),
    ("ops@guilde.test", "charter", "/community/charter/"),
    ("ops@guilde.test", "people", "/community/people/"),
    ("ops@guilde.test", "feedback-inbox", "/feedback/inbox/"),
    ("sales@guilde.test", "feedback-submit", "/feedback/submit/"),
    ("ops@guilde.test", "feedback-opportunities", "/feedback/opportunities/"),
    ("sales@guilde.test", "feedback-roadmap", "/feedback/roadmap/"),
    ("exec@guilde.test", "feedback-kpis", "/feedback/kpis/"),
    ("pm@guilde.test", "sessions", "/sessions/"),
    ("pm@guilde.test", "initiatives", "/initiatives/"),
    ("ops@guilde.test", "capacity", "/initiatives/planner/"),
    ("pm@guilde.test", "learning", "/learning/"),
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_screenshots(page, live_server, language):
    call_command("seed_demo", verbosity=0)
    OUT.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    for email, name, path in PAGES:
        user = User.objects.get(email=email)
        User.objects.filter(pk=user.pk).update(language=language, theme="light")
        page.context.clear_cookies()
        sign_in(page, live_server, user)
        response = page.goto(f"{live_server.url}{path}")
        if response is None or response.status >= 400:
            continue  # a module not built yet: nothing to show
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(OUT / f"{language}-{name}.png"), full_page=False)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "guilde_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=str(OUT / f"{language}-login.png"))
