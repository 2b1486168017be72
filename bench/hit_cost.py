"""What a page served from the page cache costs, in-process: CPU per hit and the queries it makes.

    .venv/bin/python bench/hit_cost.py --database-url postgres://postgres@127.0.0.1:5432/guilde_bench_enterprise \\
        --redis-url redis://127.0.0.1:6379/15 /feedback/roadmap/

Production settings, `PAGE_CACHE_SECONDS=60`, the benchmark's product ops viewer signed in through
the test client (which holds a CSRF cookie after its first page, as a browser does). Prints per
path the median process CPU and wall time of 200 hits and the statements of one hit. Not part of
the test suite.
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
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--hits", type=int, default=200)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)

    from bench.run import BENCH_OPS_EMAIL, production_env

    os.environ.update(production_env(args.database_url))
    os.environ.update({"LOG_LEVEL": "ERROR", "PAGE_CACHE_SECONDS": "60", "REDIS_URL": args.redis_url})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from guilde.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(email=BENCH_OPS_EMAIL))
    for path in args.paths:
        for _ in range(5):  # the first builds the page (and gets the CSRF cookie); then hits
            response = client.get(path)
        if response.status_code != 200:
            sys.stderr.write(f"{path}: status {response.status_code}\n")
            continue
        cpu, wall = [], []
        for _ in range(args.hits):
            started_cpu, started = time.process_time(), time.perf_counter()
            client.get(path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"{path}: CPU median {statistics.median(cpu):.3f} ms, wall {statistics.median(wall):.3f} ms per hit")
        for query in queries.captured_queries:
            print(f"    {query['sql'][:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
