"""404, 403 and 500 are drawn in the layout every other page uses."""

import pytest
from django.test import RequestFactory

from guilde.accounts.enums import Role
from guilde.core import context_processors, views
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory

pytestmark = pytest.mark.django_db


def _in_the_layout(html):
    return 'class="visually-hidden-focusable skip-link" href="#main"' in html and '<main id="main"' in html


def test_missing_page_is_a_404_in_the_layout(client):
    client.force_login(MemberFactory().user)

    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert (response.status_code, _in_the_layout(html), "Page not found" in html) == (404, True, True)


def test_page_closed_to_the_role_is_a_403_in_the_layout(client):
    client.force_login(MemberFactory(user__role=Role.MEMBER).user)

    response = client.get("/community/people/")

    html = response.content.decode()
    assert (response.status_code, _in_the_layout(html), "Not allowed" in html) == (403, True, True)


def test_server_error_page_is_a_500_in_the_layout():
    request = RequestFactory().get("/")
    request.user = UserFactory()

    response = views.server_error(request)

    html = response.content.decode()
    assert (response.status_code, _in_the_layout(html), "Something went wrong" in html) == (500, True, True)


def test_server_error_page_still_shows_when_the_layout_context_fails(monkeypatch):
    def database_down(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(context_processors, "modules_for", database_down)
    request = RequestFactory().get("/")
    request.user = UserFactory()

    response = views.server_error(request)

    html = response.content.decode()
    assert (response.status_code, "Something went wrong" in html) == (500, True)
