"""Scale data generator: a whole Guilde community with up to 1,000,000 feedbacks.

    .venv/bin/python bench/generate.py --profile enterprise --database-url sqlite:///bench/data/enterprise.sqlite3
    .venv/bin/python bench/generate.py --profile 100k --database-url postgres://postgres@127.0.0.1:5432/guilde_bench_100k

It (re)creates its own database — a file under bench/data/ or a PostgreSQL database whose name
starts with `guilde_bench_` — never the development or demo one, migrates it, then streams rows
in: SQLite through executemany in one big transaction with the journal off and the secondary
indexes and full-text triggers dropped during the load; PostgreSQL through COPY with the
secondary indexes dropped and foreign-key triggers off. Memory stays bounded (rows are produced
and written in batches). Afterwards: indexes back, full-text index rebuilt, KPI aggregates
rebuilt (the same code as `manage.py rebuild_kpi_aggregates`), ANALYZE.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
PG_PREFIX = "guilde_bench_"
BENCH_OPS_EMAIL = "bench-ops@bench.guilde.invalid"
BENCH_STAKEHOLDER_EMAIL = "bench-sales@bench.guilde.invalid"


@dataclass(frozen=True)
class Profile:
    feedbacks: int
    members: int
    accounts: int
    opportunities: int
    years: float = 3.0
    areas: int = 14
    teams: int = 30
    tags: int = 300


PROFILES = {
    "tiny": Profile(feedbacks=300, members=40, accounts=60, opportunities=20),
    "10k": Profile(feedbacks=10_000, members=500, accounts=1_000, opportunities=500),
    "100k": Profile(feedbacks=100_000, members=2_000, accounts=10_000, opportunities=4_000),
    "enterprise": Profile(feedbacks=1_000_000, members=5_000, accounts=50_000, opportunities=20_000),
}


# --- safety ---------------------------------------------------------------------------------


def check_target(database_url: str, *, allow_test: bool = False) -> None:
    """Refuses any database that is not a benchmark one (a file under bench/data/ or guilde_bench_*)."""
    import dj_database_url

    config = dj_database_url.parse(database_url)
    name = str(config["NAME"])
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(name).resolve()
        if not (path.is_relative_to(DATA_DIR.resolve()) or (allow_test and "test" in path.name)):
            raise SystemExit(f"refusing {path}: benchmark SQLite files live under {DATA_DIR}")
    elif config["ENGINE"].endswith("postgresql"):
        if not (name.startswith(PG_PREFIX) or (allow_test and name.startswith("test"))):
            raise SystemExit(f"refusing database {name!r}: benchmark databases are named {PG_PREFIX}*")
        if config.get("HOST") not in {"127.0.0.1", "localhost", "", None}:
            raise SystemExit("the benchmark only targets 127.0.0.1")
    else:
        raise SystemExit(f"unsupported database {config['ENGINE']}")


def recreate_database(database_url: str) -> None:
    import dj_database_url

    config = dj_database_url.parse(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=int(config["PORT"] or 5432),
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for path in (ROOT / "src", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import django

    django.setup()


# --- progress -------------------------------------------------------------------------------


class Progress:
    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()
        self.step_started = self.started
        self.last = 0.0

    def step(self, name: str) -> None:
        if not self.quiet:
            sys.stderr.write(f"\n[{time.perf_counter() - self.started:6.1f}s] {name}")
            sys.stderr.flush()
        self.step_started = time.perf_counter()

    def tick(self, label: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.quiet or (now - self.last < 0.5 and done < total):
            return
        self.last = now
        width = 30
        filled = int(width * done / max(total, 1))
        rate = done / max(now - self.step_started, 1e-6)
        sys.stderr.write(
            f"\r[{now - self.started:6.1f}s] {label:<14} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done:>9,}/{total:,} {rate:>9,.0f}/s"
        )
        sys.stderr.flush()

    def done(self) -> float:
        elapsed = time.perf_counter() - self.started
        if not self.quiet:
            sys.stderr.write(f"\n[{elapsed:6.1f}s] done\n")
        return elapsed


# --- writers --------------------------------------------------------------------------------


class Writer:
    """Streams rows into one table: tuples of plain values in `columns` order."""

    batch = 20_000

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.vendor = connection.vendor

    def ts(self, moment: float | None) -> str | None:
        if moment is None:
            return None
        text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(moment))
        return text if self.vendor == "sqlite" else text + "+00"

    def insert(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        if self.vendor == "sqlite":
            return self._sqlite(table, columns, rows)
        return self._copy(table, columns, rows)

    def _sqlite(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        raw = self.connection.connection
        sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
        count = 0
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch:
                raw.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            raw.executemany(sql, batch)
            count += len(batch)
        return count

    @staticmethod
    def _text(value: Any) -> str:
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, str):
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return str(value)

    def _copy(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        text = self._text
        count = 0
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy,
        ):
            buffer: list[str] = []
            for row in rows:
                buffer.append("\t".join([text(v) for v in row]))
                count += 1
                if len(buffer) >= 5000:
                    copy.write("\n".join(buffer) + "\n")
                    buffer.clear()
            if buffer:
                copy.write("\n".join(buffer) + "\n")
        return count


def table_columns(model: Any) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def defaults_for(model: Any, writer: Writer, given: dict[str, Any]) -> list[str]:
    """Columns of the model not set by the generator get their field default (or NULL)."""
    return [c for c in table_columns(model) if c not in given]


def default_value(model: Any, column: str, writer: Writer) -> Any:
    for f in model._meta.concrete_fields:
        if f.column != column:
            continue
        if f.has_default():
            value = f.get_default()
            if isinstance(value, list | dict):
                return json.dumps(value)
            if isinstance(value, datetime):
                return writer.ts(value.timestamp())
            if isinstance(value, bool):
                return value if writer.vendor != "sqlite" else int(value)
            return value if not hasattr(value, "as_tuple") else str(value)
        if f.null:
            return None
        if f.get_internal_type() in {"CharField", "TextField", "SlugField", "EmailField"}:
            return ""
        if f.get_internal_type() == "DateTimeField":
            return writer.ts(time.time())
        return 0
    raise KeyError(column)


def load(writer: Writer, model: Any, rows: Iterable[dict[str, Any]], fields: list[str]) -> int:
    """Writes dict rows with the given columns; every other column gets its default."""
    table = model._meta.db_table
    others = [c for c in table_columns(model) if c not in fields]
    fill = tuple(default_value(model, c, writer) for c in others)
    columns = fields + others
    return writer.insert(table, columns, (tuple(r[f] for f in fields) + fill for r in rows))


# --- schema handling during the load ----------------------------------------------------------

BIG_TABLES = (
    "feedback_feedback",
    "feedback_statuschange",
    "feedback_feedbackopportunity",
    "feedback_feedbacksupporter",
    "feedback_customeraccount",
    "feedback_opportunity",
)


def drop_indexes(connection: Any) -> list[str]:
    """Drops secondary indexes (and SQLite's full-text triggers) of the big tables; returns SQL to restore them."""
    restore: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join("%s" for _ in BIG_TABLES)
            cursor.execute(
                f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                f"AND tbl_name IN ({marks}) AND sql IS NOT NULL",
                list(BIG_TABLES),
            )
            for kind, name, sql in cursor.fetchall():
                cursor.execute(f'DROP {kind.upper()} "{name}"')
                restore.append(sql)
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)",
                [list(BIG_TABLES)],
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                restore.append(sql)
    return restore


def restore_indexes(connection: Any, statements: list[str], progress: Progress) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
        # Indexes first, triggers last (SQLite's full-text triggers are rebuilt separately).
        ordered = sorted(statements, key=lambda s: s.upper().startswith("CREATE TRIGGER"))
        for i, sql in enumerate(ordered, 1):
            progress.tick("indexes", i, len(ordered))
            cursor.execute(sql)


# --- the data ---------------------------------------------------------------------------------

TEAMS = [
    "Sales FR",
    "Sales DACH",
    "Sales UK",
    "Sales US East",
    "Sales US West",
    "Sales Nordics",
    "Sales Iberia",
    "Support EMEA",
    "Support Americas",
    "Support APAC",
    "Support Tier 2",
    "CS Enterprise",
    "CS Mid-market",
    "CS SMB",
    "Revenue Ops",
    "Partners",
    "Pre-sales",
    "Account Management FR",
    "Account Management US",
    "Onboarding",
    "Renewals",
    "Solutions Engineering",
    "Customer Education",
    "Field Sales Benelux",
    "Inside Sales",
    "Channel Sales",
    "Strategic Accounts",
    "Public Sector",
    "Healthcare Vertical",
    "Retail Vertical",
]
AREAS = [
    ("Billing", "Facturation"),
    ("Reporting", "Rapports"),
    ("Integrations", "Intégrations"),
    ("Mobile", "Mobile"),
    ("Administration", "Administration"),
    ("Search", "Recherche"),
    ("Notifications", "Notifications"),
    ("Security", "Sécurité"),
    ("Onboarding", "Intégration"),
    ("API", "API"),
    ("Workflow", "Processus"),
    ("Data import", "Import de données"),
    ("Performance", "Performance"),
    ("Accessibility", "Accessibilité"),
    ("Payments", "Paiements"),
    ("Inventory", "Inventaire"),
]
FIRST = [
    "Alice",
    "Bruno",
    "Chloé",
    "David",
    "Emma",
    "Farid",
    "Giulia",
    "Hugo",
    "Inès",
    "Jules",
    "Karim",
    "Léa",
    "Marc",
    "Nina",
    "Omar",
    "Paul",
    "Quentin",
    "Rose",
    "Sofia",
    "Tom",
    "Uma",
    "Victor",
    "Wen",
    "Yasmine",
    "Zoé",
    "Amelia",
    "Ben",
    "Carla",
    "Dylan",
    "Elena",
    "Felix",
    "Grace",
    "Henry",
    "Iris",
    "Jack",
    "Kate",
    "Liam",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Walker",
    "Wright",
    "Nguyen",
    "Rossi",
    "Müller",
    "Schmidt",
    "Kowalski",
    "Novak",
    "Haddad",
    "Okafor",
]
COMPANY_A = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Aperture",
    "Massive",
    "Nakatomi",
    "Oscorp",
    "Pied Piper",
    "Gringotts",
    "Monarch",
    "Duff",
    "Wonka",
    "Bluth",
    "Sterling",
    "Prestige",
    "Dunder",
    "Gekko",
    "Virtucon",
    "Zorg",
    "Axiom",
    "Nimbus",
    "Orion",
]
COMPANY_B = [
    "Industries",
    "Logistics",
    "Retail",
    "Bank",
    "Insurance",
    "Health",
    "Energy",
    "Foods",
    "Labs",
    "Media",
    "Telecom",
    "Consulting",
    "Motors",
    "Pharma",
    "Group",
    "Holdings",
    "Systems",
    "Analytics",
    "Travel",
    "SA",
]
SOURCES = [
    ("support_ticket", 38),
    ("sales_call", 24),
    ("cs_review", 18),
    ("churn_interview", 5),
    ("user_research", 7),
    ("internal", 8),
]
PLANS = ["Starter", "Team", "Business", "Enterprise"]


def zipf_index(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) with a heavy head (inverse-CDF of a continuous power law)."""
    u = rng.random()
    return min(n - 1, int((n + 1) ** (u**s) - 1)) if n > 1 else 0


@dataclass
class OppStats:
    feedbacks: int = 0
    accounts: set[int] = field(default_factory=set)
    last: float = 0.0


class Generator:
    def __init__(self, profile: Profile, *, seed: int = 42, now: datetime | None = None) -> None:
        from bench.text import TextMaker

        self.p = profile
        self.rng = random.Random(seed)
        self.text = TextMaker(seed)
        self.now = (now or datetime.now(UTC)).timestamp()
        self.t0 = self.now - profile.years * 365 * 86400

    # Users and the community ------------------------------------------------------------------

    def users(self, writer: Writer) -> None:
        from django.contrib.auth.hashers import make_password

        from guilde.accounts.models import User
        from guilde.community.models import Member, Tag

        rng, p = self.rng, self.p
        self.user_ids = list(range(1, p.members + 1))
        roles = {}
        for uid in self.user_ids:
            r = rng.random()
            roles[uid] = (
                "product_ops" if r < 0.04 else "executive" if r < 0.05 else "stakeholder" if r < 0.55 else "member"
            )
        roles[1], roles[2] = "product_ops", "stakeholder"
        self.roles = roles
        self.triagers = [u for u in self.user_ids if roles[u] == "product_ops"]
        self.stakeholders = [u for u in self.user_ids if roles[u] == "stakeholder"]
        self.team_of = {u: TEAMS[zipf_index(rng, min(p.teams, len(TEAMS)), 0.9)] for u in self.user_ids}
        unusable = make_password(None)
        joined = self.writer_ts = writer.ts
        names: dict[int, str] = {}

        def user_rows() -> Iterator[dict[str, Any]]:
            for uid in self.user_ids:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                names[uid] = name
                email = (
                    BENCH_OPS_EMAIL
                    if uid == 1
                    else BENCH_STAKEHOLDER_EMAIL
                    if uid == 2
                    else f"user{uid}@bench.guilde.invalid"
                )
                yield {
                    "id": uid,
                    "password": unusable,
                    "email": email,
                    "full_name": name,
                    "role": roles[uid],
                    "is_active": True if writer.vendor != "sqlite" else 1,
                    "is_staff": (uid == 1) if writer.vendor != "sqlite" else int(uid == 1),
                    "is_superuser": False if writer.vendor != "sqlite" else 0,
                    "date_joined": joined(self.t0),
                    "language": "fr" if rng.random() < 0.4 else "en",
                }

        load(
            writer,
            User,
            user_rows(),
            [
                "id",
                "password",
                "email",
                "full_name",
                "role",
                "is_active",
                "is_staff",
                "is_superuser",
                "date_joined",
                "language",
            ],
        )
        tags = [f"{en}" for en, _fr in __import__("bench.text", fromlist=["BASE_TERMS"]).BASE_TERMS][: p.tags]
        load(
            writer,
            Tag,
            (
                {"id": i + 1, "name": t, "slug": f"t{i + 1}-" + "".join(ch for ch in t.lower() if ch.isalnum())[:40]}
                for i, t in enumerate(tags)
            ),
            ["id", "name", "slug"],
        )
        families = ["pm", "designer", "product_ops", "engineering", "data", "sales", "support", "customer_success"]
        regions = ["paris", "lyon", "new_york", "austin", "remote"]
        brands = ["Guilde Cloud", "Guilde Retail", "Guilde Pay", "Guilde Health", "Guilde Labs"]
        now = writer.ts(self.now)

        def member_rows() -> Iterator[dict[str, Any]]:
            for uid in self.user_ids:
                fam = "sales" if roles[uid] == "stakeholder" else rng.choice(families)
                yield {
                    "id": uid,
                    "user_id": uid,
                    "job_title": fam.replace("_", " ").title(),
                    "role_family": fam,
                    "team": self.team_of[uid] if roles[uid] == "stakeholder" else "Product",
                    "brand": rng.choice(brands),
                    "region": rng.choice(regions),
                    "languages": json.dumps(["fr", "en"] if rng.random() < 0.5 else ["en"]),
                    "joined_on": time.strftime("%Y-%m-%d", time.gmtime(self.t0 + rng.random() * (self.now - self.t0))),
                    "search_name": names[uid].casefold(),
                    "created_at": now,
                    "updated_at": now,
                }

        load(
            writer,
            Member,
            member_rows(),
            [
                "id",
                "user_id",
                "job_title",
                "role_family",
                "team",
                "brand",
                "region",
                "languages",
                "joined_on",
                "search_name",
                "created_at",
                "updated_at",
            ],
        )
        through = Member.skills.through
        fk_member = through._meta.get_field("member").column
        fk_tag = through._meta.get_field("tag").column
        pairs = {(uid, rng.randrange(1, len(tags) + 1)) for uid in self.user_ids for _ in range(2)}
        writer.insert(through._meta.db_table, [fk_member, fk_tag], sorted(pairs))

    # Configuration and accounts --------------------------------------------------------------

    def catalogue(self, writer: Writer) -> None:
        from guilde.feedback.models import CustomerAccount, ProductArea, Segment

        rng, p = self.rng, self.p
        now = writer.ts(self.now)
        areas = AREAS[: p.areas]
        load(
            writer,
            ProductArea,
            (
                {"id": i + 1, "name_en": en, "name_fr": fr, "position": i, "created_at": now, "updated_at": now}
                for i, (en, fr) in enumerate(areas)
            ),
            ["id", "name_en", "name_fr", "position", "created_at", "updated_at"],
        )
        self.area_ids = list(range(1, len(areas) + 1))
        if not Segment.objects.exists():  # a flushed test database has lost the data migration's rows
            for position, (key, name) in enumerate(
                (("smb", "SMB"), ("mid_market", "Mid-market"), ("enterprise", "Enterprise"))
            ):
                Segment.objects.create(key=key, name_en=name, name_fr=name, position=position)
        self.segment_ids = list(Segment.objects.order_by("position").values_list("pk", flat=True))
        self.account_segment: list[int | None] = [None]
        self.account_arr: list[int] = [0]
        self.account_plan: list[str] = [""]
        owners = self.stakeholders

        def rows() -> Iterator[dict[str, Any]]:
            for aid in range(1, p.accounts + 1):
                name = f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {aid}"
                seg = self.segment_ids[min(len(self.segment_ids) - 1, zipf_index(rng, len(self.segment_ids), 0.7))]
                arr = int(math.exp(rng.gauss(10.3, 1.2)) // 100 * 100)
                plan = PLANS[min(3, int(rng.random() * 4))]
                self.account_segment.append(seg)
                self.account_arr.append(arr)
                self.account_plan.append(plan)
                yield {
                    "id": aid,
                    "name": name,
                    "external_id": f"ACC-{aid:06d}",
                    "segment_id": seg,
                    "plan": plan,
                    "arr": arr,
                    "currency": "EUR",
                    "owner_id": rng.choice(owners),
                    "search_name": name.casefold(),
                    "created_at": now,
                    "updated_at": now,
                }

        load(
            writer,
            CustomerAccount,
            rows(),
            [
                "id",
                "name",
                "external_id",
                "segment_id",
                "plan",
                "arr",
                "currency",
                "owner_id",
                "search_name",
                "created_at",
                "updated_at",
            ],
        )

    # Feedback, history, supporters, links -----------------------------------------------------

    def quality(
        self, template: int, evidence: bool, account: bool, segment: bool, impact: str, area: bool, contact: bool
    ) -> tuple[int, str]:
        key = (template, evidence, account, segment, impact, area, contact)
        cached = self._quality.get(key)
        if cached is None:
            from guilde.feedback.scoring import QualityInput, quality_score

            _title, problem, _t = self.text.feedback("en")
            result = quality_score(
                self.criteria,
                QualityInput(
                    problem=problem,
                    evidence="quote" if evidence else "",
                    has_account=account,
                    contact_name="Contact" if contact else "",
                    has_segment=segment,
                    impact=impact,
                    has_product_area=area,
                ),
            )
            cached = self._quality[key] = (result.score, json.dumps(result.missing))
        return cached

    def feedback(self, writer: Writer, progress: Progress) -> None:
        from guilde.feedback.models import Feedback, FeedbackSupporter, StatusChange
        from guilde.feedback.selectors import active_criteria

        self.criteria = active_criteria()
        self._quality: dict[tuple, tuple[int, str]] = {}
        rng, p, ts = self.rng, self.p, writer.ts
        sources = [s for s, _w in SOURCES]
        source_weights = [w for _s, w in SOURCES]
        impacts = ["", "low", "medium", "high", "critical"]
        self.opp_stats: dict[int, OppStats] = {}
        links: list[tuple[int, int, str]] = []
        history: list[dict[str, Any]] = []
        supporters: list[dict[str, Any]] = []
        span = self.now - self.t0
        change_id = 0
        supporter_id = 0
        now_s = ts(self.now)
        sqlite = writer.vendor == "sqlite"
        n = p.feedbacks

        def rows() -> Iterator[dict[str, Any]]:
            nonlocal change_id, supporter_id
            for fid in range(1, n + 1):
                # Volume grows over time (density ∝ t): received times in id order.
                received = self.t0 + span * math.sqrt((fid - rng.random()) / n)
                language = "fr" if rng.random() < 0.4 else "en"
                title, problem, template = self.text.feedback(language)
                has_account = rng.random() < 0.85
                account = 1 + zipf_index(rng, p.accounts, 0.8) if has_account else None
                submitter = self.stakeholders[zipf_index(rng, len(self.stakeholders), 0.9)]
                area = rng.choice(self.area_ids) if rng.random() < 0.9 else None
                impact = rng.choice(impacts)
                evidence = self.text.evidence(language) if rng.random() < 0.5 else ""
                contact = f"{rng.choice(FIRST)} {rng.choice(LAST)}" if rng.random() < 0.6 else ""
                segment = self.account_segment[account] if account else None
                score, missing = self.quality(
                    template, bool(evidence), bool(account), bool(segment), impact, bool(area), bool(contact)
                )
                # The journey: new → processed → planned → resolved, or declined, or duplicate.
                age = self.now - received
                processed = planned = resolved = declined = None
                status = "new"
                lead = math.exp(rng.gauss(math.log(3 * 86400), 1.1))
                roll = rng.random()
                if lead < age and roll > 0.06:
                    processed = received + lead
                    status = "processed"
                    if roll < 0.11:
                        status = "duplicate"
                    elif roll < 0.25:
                        declined = processed + rng.uniform(0, 2 * 86400)
                        status = "declined" if declined < self.now else "processed"
                        declined = declined if status == "declined" else None
                    else:
                        planned = processed + math.exp(rng.gauss(math.log(10 * 86400), 0.9))
                        if planned < self.now and roll < 0.8:
                            status = "planned"
                            resolved = planned + math.exp(rng.gauss(math.log(30 * 86400), 0.8))
                            if resolved < self.now and roll < 0.7:
                                status = "resolved"
                            else:
                                resolved = None
                        else:
                            planned = None
                team = self.team_of[submitter]
                change_id += 1
                history.append(
                    {
                        "id": change_id,
                        "feedback_id": fid,
                        "actor_id": submitter,
                        "at": ts(received),
                        "from_status": "",
                        "to_status": "new",
                        "note": "",
                    }
                )
                previous = "new"
                for to_status, at in (
                    ("processed" if status != "duplicate" else "duplicate", processed),
                    ("planned", planned),
                    ("resolved", resolved),
                    ("declined", declined),
                ):
                    if at is None:
                        continue
                    change_id += 1
                    history.append(
                        {
                            "id": change_id,
                            "feedback_id": fid,
                            "actor_id": rng.choice(self.triagers),
                            "at": ts(at),
                            "from_status": previous,
                            "to_status": to_status,
                            "note": "Hors périmètre / out of scope" if to_status == "declined" else "",
                        }
                    )
                    previous = to_status
                duplicate_of = rng.randrange(1, fid) if status == "duplicate" and fid > 1 else None
                if status == "duplicate" and duplicate_of is None:
                    status = "processed"
                backers = 0
                if rng.random() < 0.05 and p.accounts > 2:
                    chosen = {1 + zipf_index(rng, p.accounts, 0.8) for _ in range(rng.randint(1, 3))} - {account}
                    for backer in chosen:
                        supporter_id += 1
                        supporters.append(
                            {
                                "id": supporter_id,
                                "feedback_id": fid,
                                "account_id": backer,
                                "user_id": rng.choice(self.stakeholders),
                                "contact_name": "",
                                "note": "",
                                "created_at": ts(received + rng.random() * max(age, 1) / 2),
                            }
                        )
                    backers = len(chosen)
                if status in {"processed", "planned", "resolved"} and rng.random() < 0.3:
                    opp = 1 + zipf_index(rng, p.opportunities, 0.75)
                    links.append((fid, opp, ts(processed or received)))
                    stats = self.opp_stats.setdefault(opp, OppStats())
                    stats.feedbacks += 1
                    if account:
                        stats.accounts.add(account)
                    stats.last = max(stats.last, received)
                closed = resolved or declined
                yield {
                    "id": fid,
                    "title": title,
                    "problem": problem,
                    "evidence": evidence,
                    "account_id": account,
                    "contact_name": contact,
                    "segment_id": segment,
                    "plan": self.account_plan[account] if account else "",
                    "arr": self.account_arr[account] if account else 0,
                    "impact": impact,
                    "product_area_id": area,
                    "source": rng.choices(sources, source_weights)[0],
                    "submitter_id": submitter,
                    "submitter_team": team,
                    "language": language,
                    "quality_score": score,
                    "quality_missing": missing,
                    "status": status,
                    "decline_reason": "Hors périmètre / out of scope" if status == "declined" else "",
                    "answer": "Shipped — see the release notes." if status == "resolved" else "",
                    "duplicate_of_id": duplicate_of,
                    "supporter_count": backers,
                    "received_at": ts(received),
                    "processed_at": ts(processed),
                    "resolved_at": ts(resolved),
                    "declined_at": ts(declined),
                    "loop_closed_at": ts(closed),
                    "last_changed_by_id": submitter,
                    "created_at": ts(received),
                    "updated_at": ts(closed or processed or received),
                }
                if fid % 1000 == 0 or fid == n:
                    progress.tick("feedbacks", fid, n)
                if len(history) >= 30_000:
                    flush_side()

        feedback_fields = [
            "id",
            "title",
            "problem",
            "evidence",
            "account_id",
            "contact_name",
            "segment_id",
            "plan",
            "arr",
            "impact",
            "product_area_id",
            "source",
            "submitter_id",
            "submitter_team",
            "language",
            "quality_score",
            "quality_missing",
            "status",
            "decline_reason",
            "answer",
            "duplicate_of_id",
            "supporter_count",
            "received_at",
            "processed_at",
            "resolved_at",
            "declined_at",
            "loop_closed_at",
            "last_changed_by_id",
            "created_at",
            "updated_at",
        ]
        history_fields = ["id", "feedback_id", "actor_id", "at", "from_status", "to_status", "note"]
        supporter_fields = ["id", "feedback_id", "account_id", "user_id", "contact_name", "note", "created_at"]
        _ = (sqlite, now_s)

        def flush_side() -> None:
            load(writer, StatusChange, history, history_fields)
            history.clear()
            if supporters:
                load(writer, FeedbackSupporter, supporters, supporter_fields)
                supporters.clear()

        # Side tables are written between feedback batches: SQLite executemany and COPY both stream.
        if writer.vendor == "sqlite":
            load(writer, Feedback, rows(), feedback_fields)
            flush_side()
        else:
            # One COPY at a time per connection: buffer feedback rows per batch, then write side tables.
            batch: list[dict[str, Any]] = []
            pending = rows()
            for row in pending:
                batch.append(row)
                if len(batch) >= 50_000:
                    load(writer, Feedback, batch, feedback_fields)
                    batch.clear()
                    flush_side()
            load(writer, Feedback, batch, feedback_fields)
            flush_side()
        self.links = links

    def opportunities(self, writer: Writer) -> None:
        from decimal import Decimal

        from guilde.feedback.models import FeedbackOpportunity, Opportunity
        from guilde.feedback.scoring import PriorityDrivers, priority_score
        from guilde.feedback.selectors import priority_weights

        rng, p, ts = self.rng, self.p, self.writer_ts
        weights = priority_weights()
        now_dt = datetime.fromtimestamp(self.now, UTC)
        now = ts(self.now)

        def rows() -> Iterator[dict[str, Any]]:
            for oid in range(1, p.opportunities + 1):
                stats = self.opp_stats.get(oid, OppStats())
                r = rng.random()
                status = (
                    "now"
                    if r < 0.03
                    else "next"
                    if r < 0.08
                    else "later"
                    if r < 0.18
                    else "shipped"
                    if r < 0.30
                    else "candidate"
                )
                fit, effort = rng.randint(1, 5), rng.choice([1, 2, 3, 5, 8, 13, 21])
                arr = sum(self.account_arr[a] for a in stats.accounts)
                segments = len({self.account_segment[a] for a in stats.accounts} - {None})
                drivers = PriorityDrivers(
                    account_count=len(stats.accounts),
                    arr_at_stake=Decimal(arr),
                    segment_count=segments,
                    last_feedback_at=datetime.fromtimestamp(stats.last, UTC) if stats.last else None,
                    strategic_fit=fit,
                    effort=effort,
                )
                score, breakdown = priority_score(drivers, weights, now=now_dt)
                _title, _problem, _t = self.text.feedback("en")
                yield {
                    "id": oid,
                    "title": _title,
                    "description": _problem,
                    "status": status,
                    "product_area_id": rng.choice(self.area_ids),
                    "owner_id": rng.choice(self.triagers),
                    "strategic_fit": fit,
                    "effort": effort,
                    "feedback_count": stats.feedbacks,
                    "account_count": len(stats.accounts),
                    "segment_count": segments,
                    "arr_at_stake": arr,
                    "last_feedback_at": ts(stats.last) if stats.last else None,
                    "priority_score": str(score),
                    "score_breakdown": json.dumps(breakdown, default=str),
                    "release_note": "Available to every customer." if status == "shipped" else "",
                    "shipped_at": ts(self.now - rng.random() * 300 * 86400) if status == "shipped" else None,
                    "created_at": now,
                    "updated_at": now,
                }

        load(
            writer,
            Opportunity,
            rows(),
            [
                "id",
                "title",
                "description",
                "status",
                "product_area_id",
                "owner_id",
                "strategic_fit",
                "effort",
                "feedback_count",
                "account_count",
                "segment_count",
                "arr_at_stake",
                "last_feedback_at",
                "priority_score",
                "score_breakdown",
                "release_note",
                "shipped_at",
                "created_at",
                "updated_at",
            ],
        )
        load(
            writer,
            FeedbackOpportunity,
            (
                {"id": i + 1, "feedback_id": f, "opportunity_id": o, "created_at": at}
                for i, (f, o, at) in enumerate(sorted(set(self.links)))
            ),
            ["id", "feedback_id", "opportunity_id", "created_at"],
        )


# --- orchestration ------------------------------------------------------------------------------


def generate(profile: Profile, *, progress: Progress | None = None, seed: int = 42) -> dict[str, Any]:
    """Fills the (freshly migrated, empty) default database. Returns counts and timings."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from guilde.accounts.models import User
    from guilde.community.models import Member, Tag
    from guilde.core.search import install_statements
    from guilde.feedback import aggregates
    from guilde.feedback.models import (
        FEEDBACK_SEARCH_INDEX,
        CustomerAccount,
        Feedback,
        FeedbackOpportunity,
        FeedbackSupporter,
        Opportunity,
        ProductArea,
        StatusChange,
    )

    progress = progress or Progress(quiet=True)
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        timings[name] = round(time.perf_counter() - mark, 1)
        mark = time.perf_counter()

    connection.ensure_connection()
    writer = Writer(connection)
    sqlite = connection.vendor == "sqlite"
    gen = Generator(profile, seed=seed)
    progress.step("dropping secondary indexes for the load")
    restore = drop_indexes(connection)
    in_memory = sqlite and connection.is_in_memory_db()
    if sqlite and not in_memory:
        raw = connection.connection
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "foreign_keys=OFF",
            "cache_size=-1000000",
            "temp_store=MEMORY",
            "locking_mode=EXCLUSIVE",
        ):
            raw.execute(f"PRAGMA {pragma}")
    with transaction.atomic():
        if not sqlite:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
        progress.step("members")
        gen.users(writer)
        progress.step("accounts")
        gen.catalogue(writer)
        lap("members_accounts")
        progress.step("feedbacks, history, supporters\n")
        gen.feedback(writer, progress)
        lap("feedbacks")
        progress.step("opportunities and links")
        gen.opportunities(writer)
        lap("opportunities")
        if not sqlite:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
                for sql in connection.ops.sequence_reset_sql(
                    no_style(),
                    [
                        User,
                        Member,
                        Tag,
                        ProductArea,
                        CustomerAccount,
                        Feedback,
                        StatusChange,
                        FeedbackSupporter,
                        Opportunity,
                        FeedbackOpportunity,
                    ],
                ):
                    cursor.execute(sql)
    progress.step("rebuilding indexes\n")
    restore_indexes(connection, [s for s in restore if "_fts" not in s], progress)
    lap("indexes")
    progress.step("full-text index")
    with connection.cursor() as cursor:
        for sql in install_statements(FEEDBACK_SEARCH_INDEX, connection.vendor):
            cursor.execute(sql)
    lap("search_index")
    progress.step("KPI aggregates\n")
    counts = aggregates.rebuild(progress=lambda done: progress.tick("aggregates", done, profile.feedbacks))
    lap("aggregates")
    progress.step("ANALYZE")
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        else:
            cursor.execute("ANALYZE")
    if sqlite and not in_memory:
        connection.connection.execute("PRAGMA locking_mode=NORMAL")
        connection.close()
        connection.ensure_connection()
        connection.connection.execute("PRAGMA journal_mode=WAL")
    lap("analyze")
    return {
        "feedbacks": Feedback.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "members": Member.objects.count(),
        "accounts": CustomerAccount.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "links": FeedbackOpportunity.objects.count(),
        "supporters": FeedbackSupporter.objects.count(),
        "kpi_rows": counts["stats"] + counts["lead_times"],
        "timings_s": timings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="10k")
    parser.add_argument("--database-url", help="default: sqlite:///bench/data/<profile>.sqlite3")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{DATA_DIR / (args.profile + '.sqlite3')}"
    check_target(url)
    recreate_database(url)
    setup_django(url)
    from django.core.management import call_command

    progress = Progress(quiet=args.quiet)
    progress.step(f"migrating {url}")
    call_command("migrate", verbosity=0, interactive=False)
    result = generate(PROFILES[args.profile], progress=progress, seed=args.seed)
    result["total_s"] = round(progress.done(), 1)
    result["profile"] = args.profile
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
