import re

import pytest
from django.core import mail
from django.urls import reverse

from guilde.notifications.models import Notification
from guilde.rituals import services
from guilde.rituals.models import ContactMessage, Subscriber, Topic
from tests.factories.rituals import RitualFactory, SessionFactory
from tests.rituals.conftest import make_user


def _link(message, name):
    return re.search(rf"https://guilde\.example\.com(/sessions/events/{name}/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_events_page_shows_public_sessions_only_to_anonymous(client):
    public = SessionFactory(ritual=RitualFactory(visibility="public", name="Open exchange"))
    SessionFactory(ritual=RitualFactory(name="Inner circle"))

    body = client.get(reverse("rituals:events")).content.decode()

    assert "Open exchange" in body
    assert "Inner circle" not in body
    assert public.get_absolute_url() in body


@pytest.mark.django_db
def test_subscription_double_opt_in_then_one_click_unsubscribe(client, django_capture_on_commit_callbacks, ops):
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("rituals:events_subscribe"), {"email": "Fan@Example.org"})
    subscriber = Subscriber.objects.get()
    pending = subscriber.is_active
    confirm = _link(mail.outbox[-1], "confirm")
    client.get(confirm)  # a mail scanner opening the link confirms nothing
    scanned = Subscriber.objects.get().is_active
    client.post(confirm)
    session = SessionFactory(ritual=RitualFactory(visibility="public"))
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_session(actor=ops, session=session)
    announcement = mail.outbox[-1]
    unsubscribe_url = announcement.extra_headers["List-Unsubscribe"].strip("<>")

    client.post(unsubscribe_url.replace("https://guilde.example.com", ""))  # RFC 8058: a POST, no CSRF token

    assert done.status_code == 200
    assert subscriber.email == "fan@example.org"
    assert (pending, scanned) == (False, False)
    assert announcement.to == ["fan@example.org"]
    assert announcement.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Subscriber.objects.get().unsubscribed_at is not None


@pytest.mark.django_db
def test_tampered_confirmation_link_is_refused(client):
    response = client.post("/sessions/events/confirm/not-a-token/")

    assert response.status_code == 400
    assert Subscriber.objects.count() == 0


@pytest.mark.django_db
def test_honeypot_pretends_success_and_stores_nothing(client):
    response = client.post(
        reverse("rituals:events_contact"),
        {
            "name": "Bot",
            "email": "bot@spam.test",
            "message": "Buy now",
            "website": "http://spam.test",
        },
    )

    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0


@pytest.mark.django_db
def test_public_forms_are_rate_limited_per_ip(client):
    statuses = [
        client.post(
            reverse("rituals:events_propose"),
            {
                "title": f"Theme {n}",
                "contact_name": "Ann",
                "contact_email": "ann@outside.test",
            },
            REMOTE_ADDR="203.0.113.9",
        ).status_code
        for n in range(7)
    ]
    other_ip = client.post(
        reverse("rituals:events_propose"),
        {
            "title": "Another",
            "contact_name": "Bo",
            "contact_email": "bo@outside.test",
        },
        REMOTE_ADDR="198.51.100.1",
    ).status_code

    assert statuses == [200] * 5 + [429] * 2
    assert other_ip == 200
    assert Topic.objects.filter(is_external=True).count() == 6


@pytest.mark.django_db
def test_outside_theme_lands_in_the_pool_and_tells_product_ops(client):
    ops = make_user("product_ops")

    client.post(
        reverse("rituals:events_propose"),
        {
            "title": "Product ops in retail",
            "contact_name": "Ann",
            "contact_email": "ann@outside.test",
        },
    )

    topic = Topic.objects.get()
    assert (topic.is_external, topic.contact_email, topic.proposed_by) == (True, "ann@outside.test", None)
    assert Notification.objects.filter(recipient=ops).count() == 1


@pytest.mark.django_db
def test_invalid_public_email_shows_the_error_next_to_the_field(client):
    response = client.post(reverse("rituals:events_contact"), {"name": "Ann", "email": "nope", "message": "Hi"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert ContactMessage.objects.count() == 0
