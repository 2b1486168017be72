"""Load driver: gunicorn with production settings against a generated database, then latency
(p50/p95/p99) and throughput per endpoint at concurrency 1 and 8, the /health/ ceiling in the
same run, worker memory, and the CSV import/export bulk jobs.

    .venv/bin/python bench/run.py --database-url sqlite:///bench/data/enterprise.sqlite3 --label sqlite-1m

Only 127.0.0.1; every loop is bounded by a request count and a time limit. Results go to
bench/results/<label>.json and .md.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench.generate import BENCH_OPS_EMAIL, DATA_DIR, check_target, setup_django  # noqa: E402

RESULTS_DIR = ROOT / "bench" / "results"
SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdef"


@dataclass
class Endpoint:
    name: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    goal_ms: float = 100.0


@dataclass
class Measure:
    concurrency: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)

        def pct(p: float) -> float | None:
            if not lat:
                return None
            return round(lat[min(len(lat) - 1, round(p * (len(lat) - 1)))], 1)

        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": self.statuses,
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
        }


def production_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GUILDE_ENV="production",
        SECRET_KEY=SECRET_KEY,
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        GUILDE_MEDIA_DIR=str(DATA_DIR / "media"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection; reconnects when the server closes it (gunicorn sync workers do)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, int]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
                if response.will_close:
                    self.conn.close()
                    self.conn = None
                return response.status, len(body)
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def run_load(port: int, endpoint: Endpoint, *, concurrency: int, max_requests: int, max_seconds: float) -> Measure:
    measure = Measure(concurrency=concurrency)
    lock = threading.Lock()
    budget = [max_requests]
    deadline = time.perf_counter() + max_seconds
    rng = random.Random(concurrency)

    def worker() -> None:
        client = Client(port)
        while True:
            with lock:
                if budget[0] <= 0 or time.perf_counter() > deadline:
                    return
                budget[0] -= 1
                path = rng.choice(endpoint.paths)
            started = time.perf_counter()
            try:
                status, _size = client.get(path, endpoint.headers)
            except Exception:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                measure.requests += 1
                measure.statuses[status] = measure.statuses.get(status, 0) + 1
                if status == 200:
                    measure.latencies_ms.append(elapsed)
                else:
                    measure.errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    measure.seconds = time.perf_counter() - started
    return measure


def worker_rss_mb(master_pid: int) -> list[float]:
    children: list[int] = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(pid) for pid in text]
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT / "src"),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = Client(port)
    for _ in range(300):
        try:
            if client.get("/health/", {})[0] == 200:
                # Let every worker boot before measuring.
                time.sleep(1.0)
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not answer /health/ within 30 s")


# --- what to request ------------------------------------------------------------------------


def prepare(seed: int = 3) -> dict[str, Any]:
    """Signs the product-ops user in (a session cookie and an API token) and picks request targets."""
    from django.db.models import Count
    from django.test import Client as DjangoClient
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from bench.text import TextMaker
    from guilde.accounts.models import User
    from guilde.accounts.services import create_api_token
    from guilde.feedback.models import Feedback, ProductArea, Segment
    from guilde.feedback.selectors import encode_cursor
    from guilde.learning.models import Attempt
    from guilde.rituals.models import Session

    rng = random.Random(seed)
    ops = User.objects.get(email=BENCH_OPS_EMAIL)
    django_client = DjangoClient()
    django_client.force_login(ops)
    session = django_client.cookies["sessionid"].value
    # A browser holds the CSRF cookie its first page set (any 32 letters and digits); pages, and
    # their cached copies, embed a token bound to it.
    csrf = get_random_string(32)
    token = create_api_token(actor=ops, name=f"bench {datetime.now(UTC).isoformat()}").secret
    last = Feedback.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    detail_ids = [rng.randint(1, last) for _ in range(200)]
    deep = []
    for pk in sorted(rng.randint(last // 10, last * 9 // 10) for _ in range(30)):
        received = Feedback.objects.filter(pk=pk).values_list("received_at", flat=True).first()
        if received:
            deep.append(encode_cursor(received, pk))
    areas = list(ProductArea.objects.values_list("pk", flat=True))
    segments = list(Segment.objects.values_list("pk", flat=True))
    text = TextMaker(seed + 100)
    typed = []
    for i in range(40):
        title, problem, _t = text.feedback("fr" if i % 3 == 0 else "en")
        typed.append({"title": title, "problem": problem[: rng.randint(30, 120)]})
    # The last sessions held (the most answers, check-ins and ratings) and the most attempted quizzes.
    held = Session.objects.filter(starts_at__lt=timezone.now(), status="scheduled").order_by("-starts_at")
    quizzes = Attempt.objects.values("quiz").annotate(n=Count("id")).order_by("-n", "quiz")
    return {
        "session": session,
        "csrf": csrf,
        "held_sessions": list(held.values_list("pk", flat=True)[:20]),
        "quizzes": list(quizzes.values_list("quiz", flat=True)[:5]),
        "token": token,
        "detail_ids": detail_ids,
        "deep_cursors": deep,
        "areas": areas,
        "segments": segments,
        "typed": typed,
        "feedbacks": Feedback.objects.count(),
    }


def endpoints(targets: dict[str, Any]) -> list[Endpoint]:
    cookie = {"Cookie": f"sessionid={targets['session']}; csrftoken={targets['csrf']}", "Accept-Language": "en"}
    bearer = {"Authorization": f"Bearer {targets['token']}"}
    areas, segments = targets["areas"] or [0], targets["segments"] or [0]
    filtered = [
        "/feedback/inbox/?" + urlencode({"status": "new", "area": a, "segment": s, "sort": "arr"})
        for a in areas
        for s in segments
    ]
    return [
        Endpoint("ceiling /health/", ["/health/"], {}),
        Endpoint(
            "member directory search",
            [f"/community/members/?q={q}" for q in ("mar", "dub", "emma", "sales", "nguyen", "support", "ro")],
            cookie,
        ),
        Endpoint("inbox (default)", ["/feedback/inbox/"], cookie),
        Endpoint("inbox status+area+segment by ARR", filtered, cookie),
        Endpoint("inbox deep page (keyset)", [f"/feedback/inbox/?cursor={c}" for c in targets["deep_cursors"]], cookie),
        Endpoint("feedback detail", [f"/feedback/{pk}/" for pk in targets["detail_ids"]], cookie),
        Endpoint(
            "similar suggestions (typed text)",
            ["/feedback/submit/similar/?" + urlencode(t) for t in targets["typed"]],
            cookie,
            goal_ms=50,
        ),
        Endpoint("opportunity ranking", ["/feedback/opportunities/"], cookie),
        Endpoint("roadmap", ["/feedback/roadmap/"], cookie),
        Endpoint("KPIs, 12 months", ["/feedback/kpis/?months=12"], cookie, goal_ms=150),
        Endpoint(
            "API feedback list (filtered)",
            [
                "/api/feedback?" + urlencode({"status": s, "source": src, "page_size": 50})
                for s in ("processed", "new", "planned")
                for src in ("sales_call", "support_ticket", "cs_review")
            ],
            bearer,
        ),
        # Rituals, initiatives and learning, as product ops (who also volunteers: "my commitments" has rows).
        Endpoint("sessions (upcoming)", ["/sessions/"], cookie),
        Endpoint(
            "session detail with RSVPs",
            [f"/sessions/s/{pk}/" for pk in targets["held_sessions"]] or ["/sessions/"],
            cookie,
        ),
        Endpoint("topic pool by votes", ["/sessions/topics/"], cookie),
        Endpoint("programming assistant", ["/sessions/plan/"], cookie),
        Endpoint("initiatives kanban", ["/initiatives/board/"], cookie),
        Endpoint("capacity planner", ["/initiatives/planner/"], cookie),
        Endpoint("my commitments", ["/initiatives/mine/"], cookie),
        Endpoint("question bank", ["/learning/questions/"], cookie),
        Endpoint("question statistics (whole bank)", ["/learning/statistics/"], cookie),
        Endpoint(
            "quiz statistics",
            [f"/learning/statistics/?quiz={pk}" for pk in targets["quizzes"]] or ["/learning/statistics/"],
            cookie,
        ),
        Endpoint("onboarding: who is stuck", ["/learning/onboarding/"], cookie),
    ]


# --- bulk jobs ------------------------------------------------------------------------------


def bench_import(rows: int, directory: Path = DATA_DIR) -> dict[str, Any]:
    """CSV import of `rows` feedbacks through the domain's import (validation + commit + search
    index + KPI aggregates), then removal of what it added so the database stays as generated."""
    from django.core.files import File
    from django.db import connection, transaction

    from bench.text import TextMaker
    from guilde.accounts.models import User
    from guilde.feedback import aggregates
    from guilde.feedback.imports import FIELDS, run_import_job
    from guilde.feedback.models import CustomerAccount, Feedback, ImportJob, ProductArea

    ops = User.objects.get(email=BENCH_OPS_EMAIL)
    rng = random.Random(11)
    text = TextMaker(99)
    names = list(CustomerAccount.objects.order_by("?").values_list("name", flat=True)[:2000])
    areas = list(ProductArea.objects.values_list("name_en", flat=True))
    prefix = f"bench-imp-{int(time.time())}-"
    path = directory / "import-bench.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for i in range(rows):
            language = "fr" if i % 3 == 0 else "en"
            title, problem, _t = text.feedback(language)
            writer.writerow(
                [
                    f"{prefix}{i}",
                    title,
                    problem,
                    text.evidence(language) if i % 2 else "",
                    "",
                    rng.choice(names) if names and i % 5 else "",
                    "Jane Doe" if i % 4 else "",
                    rng.choice(["", "low", "medium", "high", "critical"]),
                    rng.choice(areas) if areas and i % 7 else "",
                    rng.choice(["support_ticket", "sales_call", "cs_review"]),
                    language,
                    "export;reporting" if i % 9 == 0 else "",
                    f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}",
                ]
            )
    size_mb = path.stat().st_size / 1e6
    job = ImportJob(created_by=ops, original_name=path.name, default_source="support_ticket")
    with path.open("rb") as handle:
        job.file.save(path.name, File(handle), save=False)
    job.save()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    status = run_import_job(job_id=job.pk)
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job.refresh_from_db()
    # Clean up: the aggregates first (their difference), then the rows (history cascades by hand).
    imported = Feedback.objects.filter(external_id__startswith=prefix)
    with transaction.atomic():
        states = [
            aggregates.KpiState(*r[:7], r[7] or "", int(r[8] or 0))  # type: ignore[misc]
            for r in imported.values_list(*aggregates.STATE_FIELDS)
        ]
        aggregates.record(before=states)
        ids = list(imported.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            for i in range(0, len(ids), 5000):
                chunk = ids[i : i + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM feedback_statuschange WHERE feedback_id IN ({marks})", chunk)
                cursor.execute(f"DELETE FROM feedback_feedback WHERE id IN ({marks})", chunk)
        job.file.delete(save=False)
        job.delete()
    if connection.vendor == "postgresql":
        # Back to the generated state for what runs next: without it the export that follows
        # reads 100,000 dead rows' index entries and sets their hint bits (31,652 rows/s instead
        # of ~90,000), a cost of this clean-up, not of exporting.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) feedback_feedback, feedback_statuschange")
    path.unlink(missing_ok=True)
    return {
        "rows": rows,
        "status": status,
        "created": job.created_count,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "file_mb": round(size_mb, 1),
        "driver_peak_rss_mb_before": round(rss_before),
        "driver_peak_rss_mb_after": round(rss_after),
    }


def bench_export(rows: int) -> dict[str, Any]:
    from guilde.accounts.models import User
    from guilde.feedback.imports import export_csv
    from guilde.feedback.selectors import InboxFilters

    ops = User.objects.get(email=BENCH_OPS_EMAIL)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    written = 0
    size = 0
    for line in export_csv(viewer=ops, filters=InboxFilters()):
        size += len(line)
        written += 1
        if written > rows:
            break
    seconds = time.perf_counter() - started
    return {
        "rows": written - 1,
        "seconds": round(seconds, 2),
        "rows_per_s": round((written - 1) / seconds) if seconds else None,
        "mb": round(size / 1e6, 1),
        "driver_peak_rss_mb_before": round(rss_before),
        "driver_peak_rss_mb_after": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


# --- facts and report -----------------------------------------------------------------------


def machine_facts(database_url: str, workers: int) -> dict[str, Any]:
    import django
    from django.db import connection

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_gb = 0.0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            db_version = "SQLite " + cursor.fetchone()[0]
        else:
            cursor.execute("SHOW server_version")
            db_version = "PostgreSQL " + cursor.fetchone()[0]
    gunicorn_version = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": db_version,
        "gunicorn": f"{gunicorn_version} sync, {workers} workers",
        # The machine is shared: a load average above the core count means the figures are pessimistic.
        "loadavg_end": Path("/proc/loadavg").read_text().split()[:3],
    }


def markdown(result: dict[str, Any]) -> str:
    facts = result["machine"]
    lines = [
        f"# Benchmark {result['label']} — {result['feedbacks']:,} feedbacks",
        "",
        f"{facts['date']} · {facts['cores']} cores ({facts['cpu']}) · {facts['memory_gb']} GB · "
        f"Python {facts['python']} · Django {facts['django']} · {facts['database']} · {facts['gunicorn']} · "
        f"load average {' '.join(facts.get('loadavg_start', []))} → {' '.join(facts.get('loadavg_end', []))} · "
        f"page cache: {facts.get('page_cache', '')}",
        "",
        "Latency at c=1 and the first throughput column: page cache off (what a page costs to build). "
        "Last columns: the production default, page cache on (`PAGE_CACHE_SECONDS=60`), the same "
        "random paths, so pages with many distinct URLs (detail, similar, deep page) mostly miss.",
        "",
        "| endpoint | p50 ms (c=1) | p95 ms (c=1) | p99 ms (c=1) | goal p95 | req/s c=1 | req/s c=8 | "
        "c=8 / ceiling | req/s c=8, cache on | c=8 / ceiling, cache on | p95 ms (c=8, cache on) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["endpoints"]:
        one, eight, cached = row["c1"], row["c8"], row["c8_cached"]
        ok = one["p95_ms"] is not None and one["p95_ms"] <= row["goal_ms"]
        ratio, ratio_cached = row["c8_ratio_to_ceiling"], row["c8_ratio_to_ceiling_cached"]
        errors = one["errors"] + eight["errors"] + cached["errors"] + row["c1_cached"]["errors"]
        lines.append(
            f"| {row['name']} | {one['p50_ms']} | {one['p95_ms']} | {one['p99_ms']} | "
            f"≤ {row['goal_ms']:.0f} {'✅' if ok or row['name'].startswith('ceiling') else '❌'} | {one['rps']} | "
            f"{eight['rps']} | {ratio:.0%} | {cached['rps']} | {ratio_cached:.0%} "
            f"{'✅' if ratio_cached >= 0.25 else '❌'} | {cached['p95_ms']} | {errors} |"
        )
    spreads = [
        f"{label} {min(samples):.0f} to {max(samples):.0f} req/s"
        for label, samples in (
            ("cache off", result["endpoints"][0].get("ceiling_samples", [])),
            ("cache on", result["endpoints"][0].get("ceiling_samples_cached", [])),
        )
        if samples
    ]
    if spreads:
        lines += [
            "",
            f"The ceiling at c=8, measured again after every endpoint: {'; '.join(spreads)}. Each ratio "
            "divides by the mean of the two measurements around its endpoint.",
        ]
    rss = result["worker_rss_mb"]
    lines += ["", f"Gunicorn worker RSS at the end: {', '.join(str(x) for x in rss)} MB (goal ≤ 250 MB)."]
    if result.get("import"):
        i, e = result["import"], result["export"]
        lines += [
            "",
            "| bulk job | rows | seconds | rows/s | goal |",
            "|---|---:|---:|---:|---:|",
            f"| CSV import (validate + commit + search index + KPI aggregates) | {i['rows']:,} | {i['seconds']} | "
            f"{i['rows_per_s']:,} | ≥ 10,000 {'✅' if i['rows_per_s'] >= 10000 else '❌'} |",
            f"| CSV export (streamed) | {e['rows']:,} | {e['seconds']} | {e['rows_per_s']:,} | ≥ 50,000 "
            f"{'✅' if e['rows_per_s'] >= 50000 else '❌'} |",
            "",
            f"Driver peak RSS: {i['driver_peak_rss_mb_before']} MB before the import, "
            f"{i['driver_peak_rss_mb_after']} MB after it, {e['driver_peak_rss_mb_after']} MB after the export "
            f"(bounded: the {i['file_mb']} MB file is streamed).",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Guilde load driver")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200, help="max requests per endpoint at c=1")
    parser.add_argument("--requests-c8", type=int, default=600, help="max requests per endpoint at c=8")
    parser.add_argument("--seconds", type=float, default=12.0, help="max seconds per endpoint and concurrency")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--bulk-rows", type=int, default=100_000, help="0 skips the import/export jobs")
    parser.add_argument("--only", help="comma-separated endpoint name fragments")
    parser.add_argument("--redis-url", help="shared cache for the gunicorn workers, e.g. redis://127.0.0.1:6379/15")
    parser.add_argument("--allow-test-db", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(RESULTS_DIR))
    args = parser.parse_args(argv)

    check_target(args.database_url, allow_test=args.allow_test_db)
    loadavg_start = Path("/proc/loadavg").read_text().split()[:3]
    env = production_env(args.database_url)
    os.environ.update({k: v for k, v in env.items() if k not in {"PYTHONPATH"}})
    setup_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # a file generated before the latest migration
    call_command("collectstatic", interactive=False, verbosity=0)
    targets = prepare()
    chosen = endpoints(targets)
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        chosen = [e for e in chosen if e.name.startswith("ceiling") or any(w in e.name for w in wanted)]
    # Pass 1, page cache off: what a page costs to build (the latency goals and the scaling curve).
    # Pass 2, the production default (page cache on): throughput when people reopen pages.
    results: dict[str, dict[str, Any]] = {}
    rss: list[float] = []
    # The ceiling again after every endpoint: each endpoint's c=8 throughput is compared with the
    # ceiling measured just before and just after it (their mean), so a change of the machine's
    # load during the run moves both sides of the ratio alike.
    ceiling_samples: dict[str, list[float]] = {"": [], "_cached": []}
    # Without Redis the workers share the page cache through files: a folder of this run's own.
    pages_dir = tempfile.TemporaryDirectory(prefix="guilde-bench-pages-")
    env["PAGE_CACHE_DIR"] = pages_dir.name
    for cached in (False, True):
        env["PAGE_CACHE_SECONDS"] = "60" if cached else "0"
        if args.redis_url:  # several workers share one page cache, as the README's production set-up
            env["REDIS_URL"] = args.redis_url
        port = free_port()
        process = start_gunicorn(env, port, args.workers)
        try:
            for endpoint in chosen:
                warm = run_load(port, endpoint, concurrency=1, max_requests=args.warmup, max_seconds=30)
                if warm.errors:
                    sys.stderr.write(f"  ! {endpoint.name}: statuses {warm.statuses} on {endpoint.paths[0]}\n")
                row = results.setdefault(endpoint.name, {"name": endpoint.name, "goal_ms": endpoint.goal_ms})
                # With the cache on, c=1 is only a check that hits are fast: fewer requests.
                requests_c1 = min(args.requests, 50) if cached else args.requests
                one = run_load(port, endpoint, concurrency=1, max_requests=requests_c1, max_seconds=args.seconds)
                eight = run_load(port, endpoint, concurrency=8, max_requests=args.requests_c8, max_seconds=args.seconds)
                suffix = "_cached" if cached else ""
                row["c1" + suffix], row["c8" + suffix] = one.summary(), eight.summary()
                s1, s8 = one.summary(), eight.summary()
                sys.stderr.write(
                    f"{'cached ' if cached else ''}{endpoint.name:<36} p50 {s1['p50_ms']} p95 {s1['p95_ms']} ms · "
                    f"{s1['rps']} req/s · c8 {s8['rps']} req/s p95 {s8['p95_ms']} ms\n"
                )
                ceiling = chosen[0]
                sample = s8 if endpoint is ceiling else None
                if sample is None:
                    sample = run_load(
                        port, ceiling, concurrency=8, max_requests=args.requests_c8, max_seconds=args.seconds
                    ).summary()
                ceiling_samples[suffix].append(sample["rps"] or 0.0)
            rss += worker_rss_mb(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    pages_dir.cleanup()
    rows = list(results.values())
    for suffix, samples in ceiling_samples.items():
        # samples[0] is the ceiling's own run; samples[i] (i ≥ 1) was taken right after rows[i].
        rows[0]["ceiling_samples" + suffix] = samples
        for i, row in enumerate(rows):
            ceiling = statistics.fmean(samples[max(i - 1, 0) : i + 1]) or 1.0
            row["c8_ratio_to_ceiling" + suffix] = round(row["c8" + suffix]["rps"] / ceiling, 3)
    result: dict[str, Any] = {
        "label": args.label,
        "feedbacks": targets["feedbacks"],
        "machine": {
            **machine_facts(args.database_url, args.workers),
            "loadavg_start": loadavg_start,
            "page_cache": "Redis (shared by the workers)" if args.redis_url else "files (shared by the workers)",
        },
        "endpoints": rows,
        "worker_rss_mb": rss,
    }
    if args.bulk_rows:
        sys.stderr.write("bulk: CSV import…\n")
        result["import"] = bench_import(args.bulk_rows)
        sys.stderr.write(f"  {result['import']}\nbulk: CSV export…\n")
        result["export"] = bench_export(args.bulk_rows)
        sys.stderr.write(f"  {result['export']}\n")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.label}.json").write_text(json.dumps(result, indent=2, default=str))
    (out / f"{args.label}.md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
