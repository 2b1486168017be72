import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from guilde.rituals.enums import RsvpStatus
from guilde.rituals.tasks import send_due_reminders
from tests.factories.rituals import RsvpFactory, SessionFactory


@pytest.mark.django_db
def test_reminders_go_once_to_those_going_in_the_next_24_hours():
    soon = SessionFactory(
        starts_at=timezone.now() + datetime.timedelta(hours=5), ends_at=timezone.now() + datetime.timedelta(hours=6)
    )
    later = SessionFactory(
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=1),
    )
    going = RsvpFactory(session=soon, status=RsvpStatus.GOING)
    RsvpFactory(session=soon, status=RsvpStatus.MAYBE)
    RsvpFactory(session=later, status=RsvpStatus.GOING)
    mail.outbox.clear()

    first = send_due_reminders()
    second = send_due_reminders()

    assert (first, second) == (1, 0)
    assert mail.outbox[0].to == [going.user.email]
    assert mail.outbox[0].attachments[0][0] == "invite.ics"


@pytest.mark.django_db
def test_reminder_command_for_cron():
    out = StringIO()

    call_command("send_session_reminders", stdout=out)

    assert "0 reminder(s) sent" in out.getvalue()
