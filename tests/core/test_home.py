"""The home page gathers a section from every domain: it must render for every role."""

import pytest

from guilde.accounts.enums import Role
from tests.factories.community import MemberFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.MEMBER, Role.PRODUCT_OPS, Role.EXECUTIVE, Role.STAKEHOLDER]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("volunteer", [False, True])
def test_home_renders_every_section_for_role(client, role, volunteer):
    member = MemberFactory(user__role=role, is_volunteer=volunteer)
    client.force_login(member.user)

    response = client.get("/")

    assert response.status_code == 200
    assert member.user.get_short_name() in response.content.decode()


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/", "/community/members/", "/feedback/", "/sessions/", "/learning/"])
def test_pages_speak_french_when_asked(client, path):
    member = MemberFactory(user__role=Role.PRODUCT_OPS, user__language="fr")
    client.force_login(member.user)

    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_health_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")

    assert response.content == b"ok"
