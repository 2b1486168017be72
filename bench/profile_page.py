"""Profiles pages in-process: Django test client, production settings, a generated database.

    .venv/bin/python bench/profile_page.py --database-url sqlite:///$PWD/bench/data/100k.sqlite3 \\
        /feedback/inbox/ /feedback/roadmap/ [--pyinstrument]

Prints per page the median CPU time of 10 requests (after 3 warm-ups; `time.process_time`, less
sensitive to other processes on the machine than wall time), the number of queries, and the
response size; with --pyinstrument, the call tree of 5 more requests (pyinstrument is not in the
requirements: install it into your own environment). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)

    from bench.run import BENCH_OPS_EMAIL, production_env

    os.environ.update(production_env(args.database_url))
    os.environ["LOG_LEVEL"] = "ERROR"
    # What a page costs to build: a cached copy would measure the cache (bench/run.py does both).
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guilde.accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)  # a file generated before the latest migration
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(email=BENCH_OPS_EMAIL))
    for path in args.paths:
        for _ in range(3):
            response = client.get(path)
        if response.status_code != 200:
            sys.stderr.write(f"{path}: status {response.status_code}\n")
            continue
        cpu = []
        for _ in range(10):
            started = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(
            f"{path}: CPU median {statistics.median(cpu):.1f} ms (min {min(cpu):.1f}), "
            f"{len(queries.captured_queries)} queries, {len(response.content):,} bytes"
        )
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(5):
                client.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
