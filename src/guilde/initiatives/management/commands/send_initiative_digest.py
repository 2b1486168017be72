from typing import Any

from django.core.management.base import BaseCommand

from guilde.initiatives.tasks import send_weekly_digest


class Command(BaseCommand):
    help = (
        "Queues the weekly initiatives digest: check-ins due for volunteers, burnout signals for product ops. "
        "Schedule it once a week (cron, systemd timer)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Send it now instead of queueing it for the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            result = send_weekly_digest.call()
            self.stdout.write(f"Digest sent: {result['volunteers']} volunteer(s), {result['product_ops']} product ops.")
            return
        send_weekly_digest.enqueue()
        self.stdout.write("Digest queued.")
