import copy

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guilde.notifications.context_processors import unread
from guilde.notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.notifications import NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("notifications:list")


@pytest.fixture
def me(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_list_anonymous_is_sent_to_login(client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_list_shows_own_notifications_with_unread_marked(client, me):
    NotificationFactory(recipient=me, title="Fresh news")
    NotificationFactory(recipient=me, title="Old news", read_at=timezone.now())
    NotificationFactory(title="Someone else's news")

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert [n.title for n in response.context["page"].object_list] == ["Old news", "Fresh news"]
    html = response.content.decode()
    assert "Someone else&#x27;s news" not in html
    assert html.count('<span class="badge text-bg-primary">New</span>') == 1
    assert "1 unread" in html


def test_list_empty_says_what_will_appear(client, me):
    response = client.get(LIST_URL)

    assert "When your feedback is processed, planned, resolved or declined" in response.content.decode()
    assert "Mark all as read" not in response.content.decode()


def test_list_htmx_gets_the_panel_only(client, me):
    NotificationFactory(recipient=me, title="Fresh news")

    response = client.get(LIST_URL, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="notification-panel"')
    assert "Fresh news" in html
    assert "<html" not in html


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_is_constant(client, me, rows, django_assert_num_queries):
    actor = UserFactory()
    NotificationFactory.create_batch(rows, recipient=me, actor=actor)

    # session, user, unread count, page count, page rows
    with django_assert_num_queries(5):
        response = client.get(LIST_URL)

    assert len(response.context["page"].object_list) == rows


def test_open_marks_read_and_follows_the_link(client, me):
    notification = NotificationFactory(recipient=me, url="/feedback/12/")

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == "/feedback/12/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)", ""])
def test_open_never_leaves_the_site(client, me, url):
    notification = NotificationFactory(recipient=me, url=url)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.url == LIST_URL


def test_open_same_host_absolute_url_is_followed(client, me):
    notification = NotificationFactory(recipient=me, url="http://testserver/community/")

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.url == "http://testserver/community/"


def test_open_htmx_redirects_on_the_client(client, me):
    notification = NotificationFactory(recipient=me, url="/feedback/12/")

    response = client.post(reverse("notifications:open", args=[notification.pk]), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == "/feedback/12/"


def test_open_someone_elses_notification_is_not_found(client, me):
    notification = NotificationFactory()

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_needs_post(client, me):
    notification = NotificationFactory(recipient=me)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_redirects_back(client, me):
    NotificationFactory.create_batch(2, recipient=me)
    other = NotificationFactory()

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_htmx_returns_panel_and_bell(client, me):
    NotificationFactory.create_batch(2, recipient=me)

    response = client.post(reverse("notifications:mark_all_read"), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="notification-panel"' in html
    assert "You are all caught up." in html
    assert 'id="notification-bell"' in html
    assert 'hx-swap-oob="true"' in html
    assert "Notifications: none unread" in html


def test_unread_context_processor_counts_once_per_request(django_assert_num_queries):
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    request = RequestFactory().get("/")
    request.user = me

    with django_assert_num_queries(1):
        assert unread(request)["unread_notifications"]() == 2
        assert unread(request)["unread_notifications"]() == 2


def test_unread_context_processor_runs_no_query_unless_used(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = UserFactory()

    with django_assert_num_queries(0):
        unread(request)


def test_bell_shows_the_count_for_screen_readers(rf):
    me = UserFactory()
    NotificationFactory.create_batch(3, recipient=me)
    request = rf.get("/")
    request.user = me

    html = render_to_string("notifications/_bell.html", unread(request), request=request)

    assert 'aria-label="Notifications: 3 unread"' in html
    assert '<span class="visually-hidden">3 unread notifications</span>' in html
    assert 'href="/notifications/"' in html


@pytest.fixture
def with_unread_processor(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append("guilde.notifications.context_processors.unread")
    settings.TEMPLATES = templates


@pytest.mark.usefixtures("with_unread_processor")
def test_list_with_context_processor_counts_unread_once(client, me):
    NotificationFactory.create_batch(2, recipient=me)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)

    unread_counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and 'read_at" IS NULL' in q["sql"]]
    assert len(unread_counts) == 1

    assert "2 unread" in response.content.decode()


def test_list_speaks_the_viewers_language(client):
    french = UserFactory(language="fr")
    NotificationFactory(recipient=french)
    client.force_login(french)

    html = client.get(LIST_URL).content.decode()

    assert "Tout marquer comme lu" in html
    assert "1\u00a0non lue" in html or "1 non lue" in html
