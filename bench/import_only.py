"""The CSV import bulk job alone (`bench.run.bench_import`), with CPU time and an optional profile.

    .venv/bin/python bench/import_only.py --database-url sqlite:///$PWD/bench/data/enterprise-mine.sqlite3
    .venv/bin/python bench/import_only.py --database-url postgres://postgres@127.0.0.1:5432/guilde_bench_mine \\
        --rows 20000 --profile

Same job as the full run's (a generated CSV through `run_import_job`: validation, commit, search
index, KPI aggregates; then removal of what it added), without gunicorn and the page endpoints,
so one change to the import can be measured in a minute. Prints wall and in-process CPU rows/s
(`time.process_time`: this process only, so on PostgreSQL the server's share is not in it), the
CPU of the first read, of the pass's main thread and of its writer thread, and from them the critical path: the
wall time on two idle cores (the machine is shared: wall time depends on the others' load). With
--profile, the top of a cProfile (process CPU time) of the import. The CSV goes to a temporary folder, not to
bench/data/, so two engineers' runs never write the same file. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile (process CPU time) the import, both threads")
    args = parser.parse_args(argv)

    from bench.generate import check_target, setup_django
    from bench.run import production_env

    check_target(args.database_url)
    os.environ.update({k: v for k, v in production_env(args.database_url).items() if k != "PYTHONPATH"})
    os.environ["LOG_LEVEL"] = "ERROR"
    setup_django(args.database_url)

    from bench import run
    from guilde.feedback import imports
    from guilde.feedback.imports import runner, writing

    cpu: dict[str, float] = {}
    real_run = imports.run_import_job

    def server_cpu() -> float:
        """CPU seconds of this connection's PostgreSQL backend so far (0 on SQLite): same machine."""
        from django.db import connection

        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def phase(name: str, function: Any) -> Any:
        # This thread's CPU only: the pass's writer thread is counted on its own below.
        def timed(*args: Any, **kwargs: Any) -> Any:
            started, server_started = time.thread_time(), server_cpu()
            try:
                return function(*args, **kwargs)
            finally:
                cpu[name] = time.thread_time() - started
                cpu[f"server_{name}"] = server_cpu() - server_started

        return timed

    real_writer_run = writing._BackgroundWriter._run

    def writer_run(self: Any) -> None:
        # One profiler at a time (Python 3.12 profiles through sys.monitoring).
        profiler = cProfile.Profile(time.thread_time) if args.profile == "writer" else None
        started = time.thread_time()
        if profiler is not None:
            profiler.enable()
        try:
            real_writer_run(self)
        finally:
            if profiler is not None:
                profiler.disable()
                print("--- writer thread")
                pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
            cpu["writer"] = cpu.get("writer", 0.0) + time.thread_time() - started

    def timed_run(*, job_id: int) -> str:
        # Only the import itself: bench_import also builds the CSV and cleans up afterwards.
        # CPU time, not wall time: the machine is shared, waiting for a core is not the import's cost.
        # Python 3.12 profiles every thread at once (sys.monitoring): the writer thread is in it.
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        started, server_started = time.process_time(), server_cpu()
        if profiler is not None:
            profiler.enable()
        try:
            return real_run(job_id=job_id)
        finally:
            if profiler is not None:
                profiler.disable()
            cpu["seconds"] = time.process_time() - started
            cpu["server"] = server_cpu() - server_started
            if profiler is not None:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)

    with (
        tempfile.TemporaryDirectory(prefix="guilde-import-") as folder,
        mock.patch.object(imports, "run_import_job", timed_run),
        mock.patch.object(runner, "account_names", phase("first_read", runner.account_names)),
        mock.patch.object(runner, "_import_pass", phase("pass", runner._import_pass)),
        mock.patch.object(writing._BackgroundWriter, "_run", writer_run),
    ):
        result = run.bench_import(args.rows, directory=Path(folder))
    result["cpu_seconds"] = round(cpu["seconds"], 2)
    result["cpu_first_read_seconds"] = round(cpu.get("first_read", 0.0), 2)
    result["cpu_pass_main_seconds"] = round(cpu.get("pass", 0.0), 2)
    result["cpu_pass_writer_seconds"] = round(cpu.get("writer", 0.0), 2)
    result["server_cpu_seconds"] = round(cpu.get("server", 0.0), 2)
    result["server_cpu_pass_seconds"] = round(cpu.get("server_pass", 0.0), 2)
    # What the wall time would be on idle cores: the first read, then the pass, where this thread
    # (checking and preparing rows) runs beside the writer thread, which waits for the server's
    # work on each statement (PostgreSQL: another process). The server's other work (the
    # deferred foreign-key checks at COMMIT) adds to it.
    main, writer = cpu.get("pass", 0.0), cpu.get("writer", 0.0) + cpu.get("server_pass", 0.0)
    critical = cpu["seconds"] - cpu.get("pass", 0.0) - cpu.get("writer", 0.0)
    critical += cpu.get("server", 0.0) - cpu.get("server_pass", 0.0)
    critical += max(main, writer)
    result["cpu_critical_path_seconds"] = round(critical, 2)
    result["rows_per_s_on_idle_cores"] = round(args.rows / critical) if critical else None
    result["cpu_rows_per_s"] = round(args.rows / cpu["seconds"]) if cpu["seconds"] else None
    print(result)
    return 0 if result["status"] == "done" and result["created"] == args.rows else 1


if __name__ == "__main__":
    raise SystemExit(main())
