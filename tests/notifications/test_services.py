import signal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from guilde.accounts.models import User
from guilde.notifications import selectors, services
from guilde.notifications.emails import deliver_emails
from guilde.notifications.enums import Verb
from guilde.notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.notifications import NotificationFactory
from tests.notifications.conftest import DATABASE_TASKS

pytestmark = pytest.mark.django_db


def test_notify_creates_one_row_per_distinct_active_recipient():
    alice, bob = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    actor = UserFactory()

    rows = services.notify(
        recipients=[alice, bob, alice, gone],
        verb=Verb.FEEDBACK_PLANNED,
        title="Your feedback is planned",
        body="It is on the **roadmap**.",
        url="/feedback/12/",
        actor=actor,
        email=False,
    )

    assert sorted(row.recipient_id for row in rows) == sorted([alice.pk, bob.pk])
    assert all(row.pk for row in rows)
    stored = Notification.objects.get(recipient=alice)
    assert (stored.verb, stored.title, stored.url, stored.actor_id) == (
        Verb.FEEDBACK_PLANNED,
        "Your feedback is planned",
        "/feedback/12/",
        actor.pk,
    )
    assert stored.read_at is None
    assert not Notification.objects.filter(recipient=gone).exists()


def test_notify_accepts_a_queryset_of_recipients():
    UserFactory.create_batch(2)
    UserFactory(is_active=False)

    rows = services.notify(recipients=User.objects.all(), verb=Verb.GENERIC, title="Hello", email=False)

    assert len(rows) == 2


def test_notify_with_nobody_left_creates_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        rows = services.notify(recipients=[UserFactory(is_active=False)], verb=Verb.GENERIC, title="Hi")

    assert rows == []
    assert callbacks == []


def test_notify_refuses_an_unknown_verb():
    with pytest.raises(ValueError, match="exploded"):
        services.notify(recipients=[UserFactory()], verb="exploded", title="Boom")


@pytest.mark.usefixtures("immediate_tasks")
def test_notify_emails_each_recipient_once_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    alice, bob = UserFactory(full_name="Alice Martin"), UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = services.notify(
            recipients=[alice, bob],
            verb=Verb.FEEDBACK_RESOLVED,
            title="Your feedback is resolved",
            body="Shipped in **2.3**.",
            url="/feedback/7/",
        )
        assert mailoutbox == []

    assert len(callbacks) == 1  # one task for the whole batch
    assert sorted(m.to[0] for m in mailoutbox) == sorted([alice.email, bob.email])
    message = next(m for m in mailoutbox if m.to == [alice.email])
    assert message.subject == "Your feedback is resolved"
    assert "Hello Alice," in message.body
    assert "https://guilde.example.com/feedback/7/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>2.3</strong>" in html
    assert 'href="https://guilde.example.com/feedback/7/"' in html
    assert all(row.emailed_at is not None for row in Notification.objects.filter(pk__in=[r.pk for r in rows]))


@pytest.mark.usefixtures("immediate_tasks")
def test_notify_email_follows_recipient_language(mailoutbox, django_capture_on_commit_callbacks):
    french = UserFactory(full_name="Chloé Durand", language="fr")
    english = UserFactory(full_name="Sam Smith", language="en")
    title = format_lazy("{}: Widgets", gettext_lazy("Feedback planned"))

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[french, english], verb=Verb.FEEDBACK_PLANNED, title=title, url="/")

    to_french = next(m for m in mailoutbox if m.to == [french.email])
    to_english = next(m for m in mailoutbox if m.to == [english.email])
    assert "Bonjour Chloé," in to_french.body
    assert "Ouvrir dans Guilde" in to_french.alternatives[0][0]
    assert to_french.subject == "Retour planifié: Widgets"
    assert "Hello Sam," in to_english.body
    assert to_english.subject == "Feedback planned: Widgets"


@pytest.mark.usefixtures("immediate_tasks")
def test_notify_without_email_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = services.notify(recipients=[UserFactory()], verb=Verb.GENERIC, title="Quiet", email=False)

    assert callbacks == []
    assert mailoutbox == []
    assert rows[0].emailed_at is None


@pytest.mark.usefixtures("immediate_tasks")
def test_notify_rolled_back_emails_nobody(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()

    def notify_then_fail():
        with transaction.atomic():
            services.notify(recipients=[person], verb=Verb.GENERIC, title="Never")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        notify_then_fail()

    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_deliver_emails_skips_what_was_already_sent(mailoutbox):
    done = NotificationFactory(emailed_at=timezone.now())
    pending = NotificationFactory()

    sent = deliver_emails(notification_ids=[done.pk, pending.pk])

    assert sent == 1
    assert [m.to for m in mailoutbox] == [[pending.recipient.email]]
    assert deliver_emails(notification_ids=[done.pk, pending.pk]) == 0


def test_deliver_emails_links_to_the_list_when_there_is_no_url(mailoutbox, settings):
    settings.GUILDE_BASE_URL = "https://other.example.org/"
    NotificationFactory(url="")

    deliver_emails(notification_ids=list(Notification.objects.values_list("pk", flat=True)))

    assert "https://other.example.org/notifications/" in mailoutbox[0].body


@pytest.fixture
def restore_signal_handlers():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(name, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_signal_handlers")
def test_notify_with_database_backend_emails_when_the_worker_runs(mailoutbox, settings):
    settings.TASKS = DATABASE_TASKS
    person = UserFactory()

    rows = services.notify(recipients=[person], verb=Verb.OPPORTUNITY_SHIPPED, title="Shipped", url="/x/")

    assert DBTaskResult.objects.count() == 1
    assert mailoutbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert [m.to for m in mailoutbox] == [[person.email]]
    assert Notification.objects.get(pk=rows[0].pk).emailed_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_mark_read_by_someone_else_is_refused():
    notification = NotificationFactory()

    with pytest.raises(PermissionDenied):
        services.mark_read(actor=UserFactory(), notification=notification)

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_keeps_the_first_read_time():
    notification = NotificationFactory()
    services.mark_read(actor=notification.recipient, notification=notification)
    first = notification.read_at

    services.mark_read(actor=notification.recipient, notification=notification)

    notification.refresh_from_db()
    assert first is not None
    assert notification.read_at == first


def test_mark_all_read_touches_only_the_actors_unread():
    me = UserFactory()
    mine = NotificationFactory.create_batch(2, recipient=me)
    theirs = NotificationFactory()

    changed = services.mark_all_read(actor=me)

    assert changed == 2
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_unread_count_counts_own_unread_only(django_assert_num_queries):
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory(recipient=me, read_at=timezone.now())
    NotificationFactory()

    with django_assert_num_queries(1):
        assert selectors.unread_count(user=me) == 2


def test_notifications_for_is_newest_first_and_paginated():
    me = UserFactory()
    old = NotificationFactory(recipient=me)
    new = NotificationFactory(recipient=me)
    NotificationFactory()

    page = selectors.notifications_for(user=me, per_page=1)

    assert list(page.object_list) == [new]
    assert page.paginator.count == 2
    assert list(selectors.notifications_for(user=me, page=2, per_page=1).object_list) == [old]
