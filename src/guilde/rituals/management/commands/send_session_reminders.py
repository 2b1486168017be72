from typing import Any

from django.core.management.base import BaseCommand

from guilde.rituals.tasks import send_due_reminders


class Command(BaseCommand):
    help = "E-mails a reminder to everyone going to a session in the next 24 hours (run it from cron, hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
