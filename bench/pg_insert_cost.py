"""Where PostgreSQL spends an import's time: the server CPU of inserting rows into the feedback table,
with all its indexes and then without some of them, each in a transaction rolled back.

    .venv/bin/python bench/pg_insert_cost.py --database-url postgres://postgres@127.0.0.1:5432/guilde_bench_copy

Run it on a copy of a generated database (`createdb -T guilde_bench_enterprise guilde_bench_copy`):
every pass inserts the newest `--rows` rows again (new external ids) with one `INSERT … SELECT`,
measures the backend's CPU (same machine: /proc) and the WAL it wrote, checks the deferred
foreign keys (`SET CONSTRAINTS ALL IMMEDIATE`, what COMMIT would do), then rolls back. A dropped
index comes back with the rollback. Rolled-back rows leave dead tuples: a VACUUM between runs
keeps passes comparable. No client work is in these figures (parsing, validation, COPY framing):
they are the server's share of `bench/import_only.py`. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

TABLE = "feedback_feedback"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)

    import dj_database_url
    import psycopg

    from bench.generate import check_target

    check_target(args.database_url)
    config = dj_database_url.parse(args.database_url)
    if not config["ENGINE"].endswith("postgresql"):
        raise SystemExit("PostgreSQL only")
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        dbname=config["NAME"],
        autocommit=True,
    ) as conn:
        measure = _Passes(conn, args.rows)
        measure.run("all indexes")
        measure.run("without the full-text GIN index", [f"{TABLE}_fts_idx"])
        btrees = measure.btrees()
        measure.run(f"without the {len(btrees)} B-trees (primary key kept)", btrees)
        measure.run("without any secondary index", [*btrees, f"{TABLE}_fts_idx"])
    return 0


class _Passes:
    def __init__(self, conn: object, rows: int) -> None:
        self.conn = conn
        self.cur = conn.cursor()  # type: ignore[attr-defined]
        self.pid = self.cur.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.columns = ", ".join(
            name
            for (name,) in self.cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND is_generated = 'NEVER' AND column_name <> 'id' ORDER BY ordinal_position",
                [TABLE],
            ).fetchall()
        )
        self.cur.execute(f"CREATE TEMP TABLE src AS SELECT {self.columns} FROM {TABLE} ORDER BY id DESC LIMIT {rows}")
        self.cur.execute("UPDATE src SET external_id = 'cost-' || ctid::text")

    def btrees(self) -> list[str]:
        """The table's secondary B-trees (the partial ones a new feedback skips cost nothing)."""
        rows = self.cur.execute(
            "SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam WHERE indrelid = %s::regclass AND NOT indisprimary AND a.amname = 'btree'",
            [TABLE],
        ).fetchall()
        return [name for (name,) in rows]

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def run(self, label: str, drop: list[str] | tuple[str, ...] = ()) -> None:
        self.cur.execute(f"VACUUM {TABLE}")
        self.cur.execute("BEGIN")
        for index in drop:
            self.cur.execute(f"DROP INDEX {index}")
        wal_start = self.cur.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        started = self.cpu()
        self.cur.execute(f"INSERT INTO {TABLE} ({self.columns}) SELECT {self.columns} FROM src")
        inserted = self.cpu()
        self.cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        checked = self.cpu()
        wal = self.cur.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal_start]).fetchone()[0]
        self.cur.execute("ROLLBACK")
        print(
            f"{label:<45} insert {inserted - started:5.2f} s CPU · foreign keys {checked - inserted:5.2f} s · "
            f"WAL {int(wal) / 1e6:5.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    raise SystemExit(main())
