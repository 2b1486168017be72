"""The markdown tables of `bench/RESULTS.md`, from the JSON results of four runs.

    .venv/bin/python bench/tables.py    # reads bench/results/{sqlite,postgresql}-{1m,100k,10k}.json

Prints the 1M table (p95 at c=1 with the page cache off, c=8 ratios to the ceiling cache off and
on), the scaling curve (10k, 100k, 1M; growth judged from 10k to 1M) and the bulk jobs table,
each figure marked against its goal.
A run that is missing shows as "—".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
THROUGHPUT_GOAL = 0.25
GROWTH_GOAL = 2.0
IMPORT_GOAL, EXPORT_GOAL, RSS_GOAL = 10_000, 50_000, 250


def load(label: str) -> dict[str, Any]:
    path = RESULTS / f"{label}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def endpoints(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in run.get("endpoints", [])}


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def p95(endpoint: dict[str, Any] | None) -> float | None:
    if not endpoint or not endpoint.get("c1") or endpoint["c1"].get("errors"):
        return None
    return endpoint["c1"]["p95_ms"]


def latency(endpoint: dict[str, Any] | None) -> str:
    value = p95(endpoint)
    if value is None or endpoint is None:
        return "—"
    return f"{value} {mark(value <= endpoint['goal_ms'])}"


def ratio(endpoint: dict[str, Any] | None, key: str, judged: bool) -> str:
    if not endpoint or endpoint.get(key) is None:
        return "—"
    value = endpoint[key]
    text = f"{round(100 * value)}%"
    return f"{text} {mark(value >= THROUGHPUT_GOAL)}" if judged else text


def growth(small: dict[str, Any] | None, large: dict[str, Any] | None) -> str:
    before, after = p95(small), p95(large)
    if not before or after is None:
        return "—"
    factor = after / before
    return f"{factor:.1f}× {mark(factor <= GROWTH_GOAL)}"  # noqa: RUF001 -- the sign RESULTS.md uses


def main() -> int:
    sqlite, pg = load("sqlite-1m"), load("postgresql-1m")
    s, p = endpoints(sqlite), endpoints(pg)
    s10, p10 = endpoints(load("sqlite-10k")), endpoints(load("postgresql-10k"))
    s100, p100 = endpoints(load("sqlite-100k")), endpoints(load("postgresql-100k"))
    names = list(s or p)
    print(
        "| endpoint | goal p95 | SQLite p95 (c=1) | PostgreSQL p95 (c=1) | c=8 / ceiling, cache off (SQLite · PG) "
        "| **c=8 / ceiling, cache on** (SQLite · PG) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name in names:
        goal = (s.get(name) or p.get(name) or {}).get("goal_ms", "")
        off = f"{ratio(s.get(name), 'c8_ratio_to_ceiling', False)} · {ratio(p.get(name), 'c8_ratio_to_ceiling', False)}"
        on = (
            f"{ratio(s.get(name), 'c8_ratio_to_ceiling_cached', True)} · "
            f"{ratio(p.get(name), 'c8_ratio_to_ceiling_cached', True)}"
        )
        print(f"| {name} | ≤ {goal:g} | {latency(s.get(name))} | {latency(p.get(name))} | {off} | {on} |")
    print()
    print("| endpoint | SQLite 10k | 100k | 1M | growth 10k → 1M | PostgreSQL 10k | 100k | 1M | growth 10k → 1M |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")

    def curve(*runs: dict[str, Any]) -> str:
        return " | ".join("—" if (value := p95(run)) is None else f"{value}" for run in runs)

    for name in names:
        if name.startswith("ceiling"):
            continue
        sqlite_curve = curve(s10.get(name), s100.get(name), s.get(name))
        pg_curve = curve(p10.get(name), p100.get(name), p.get(name))
        print(
            f"| {name} | {sqlite_curve} | {growth(s10.get(name), s.get(name))} "
            f"| {pg_curve} | {growth(p10.get(name), p.get(name))} |"
        )
    print()
    print("| | SQLite 1M | PostgreSQL 1M | goal |")
    print("|---|---:|---:|---:|")

    def bulk(run: dict[str, Any], job: str, goal: int) -> str:
        rate = (run.get(job) or {}).get("rows_per_s")
        return "—" if rate is None else f"{rate:,} {mark(rate >= goal)}"

    def rss(run: dict[str, Any]) -> str:
        sizes = run.get("worker_rss_mb") or []
        return "—" if not sizes else f"{max(sizes):.1f} MB {mark(max(sizes) <= RSS_GOAL)}"

    def load_average(run: dict[str, Any]) -> str:
        machine = run.get("machine") or {}
        return f"{' '.join(machine.get('loadavg_start', []))} → {' '.join(machine.get('loadavg_end', []))}"

    print(
        f"| CSV import, 100,000 rows (rows/s) | {bulk(sqlite, 'import', IMPORT_GOAL)} | "
        f"{bulk(pg, 'import', IMPORT_GOAL)} | ≥ {IMPORT_GOAL:,} |"
    )
    print(
        f"| CSV export, 100,000 rows (rows/s) | {bulk(sqlite, 'export', EXPORT_GOAL)} | "
        f"{bulk(pg, 'export', EXPORT_GOAL)} | ≥ {EXPORT_GOAL:,} |"
    )
    print(f"| largest gunicorn worker RSS at the end | {rss(sqlite)} | {rss(pg)} | ≤ {RSS_GOAL} MB |")
    print(f"| load average during the run (start → end) | {load_average(sqlite)} | {load_average(pg)} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
