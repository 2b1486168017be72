from typing import Any

from django.core.management.base import BaseCommand

from guilde.community.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_steps


class Command(BaseCommand):
    help = "Creates the demo community and every domain's demo data. Safe to run again: nothing changes."

    def handle(self, *args: Any, **options: Any) -> None:
        for step in demo_steps():
            summary = step.fn()
            self.stdout.write(f"· {summary or step.name}")
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password: {DEMO_PASSWORD})"))
        width = max(len(email) for email, _role in DEMO_LOGINS)
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
