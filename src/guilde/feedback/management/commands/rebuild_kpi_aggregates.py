"""Recomputes the KPI aggregate tables from the feedback rows (after a bulk load or a restore)."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from guilde.feedback.aggregates import rebuild


class Command(BaseCommand):
    help = "Recompute the pre-aggregated KPI tables from the feedback rows."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int) -> None:
            sys.stderr.write(f"\r  {done:,} feedbacks read")
            sys.stderr.flush()

        counts = rebuild(progress=progress if options["verbosity"] > 1 else None)
        if options["verbosity"] > 1:
            sys.stderr.write("\n")
        self.stdout.write(
            f"{counts['feedbacks']:,} feedbacks → {counts['stats']:,} count rows, "
            f"{counts['lead_times']:,} lead-time rows in {time.perf_counter() - started:.1f} s"
        )
