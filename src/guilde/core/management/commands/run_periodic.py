import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guilde.core.periodic import enqueue_due_jobs, periodic_jobs


class Command(BaseCommand):
    help = "Enqueues periodic background jobs (reminders, digests) when they are due; run beside db_worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit (for cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks (default 60).")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        names = ", ".join(job.name for job in periodic_jobs()) or "none"
        self.stdout.write(f"Periodic jobs: {names}")
        while True:
            for name in enqueue_due_jobs():
                self.stdout.write(f"Enqueued {name}")
            if once:
                return
            time.sleep(interval)
