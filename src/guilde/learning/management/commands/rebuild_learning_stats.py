from typing import Any

from django.core.management.base import BaseCommand

from guilde.learning import aggregates


class Command(BaseCommand):
    help = (
        "Recomputes the question and quiz statistics' running totals from the submitted attempts. "
        "Needed only after attempts were written or changed outside the services (a bulk load, SQL by hand)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = aggregates.rebuild()
        self.stdout.write(
            f"Rebuilt {counts['question_stats']} question and {counts['quiz_stats']} quiz statistics rows."
        )
