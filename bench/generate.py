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

After the feedback data, `ModulesGenerator` adds rituals (sessions, topics, votes, RSVPs,
ratings), initiatives (challenges, initiatives, pledges within volunteers' time, check-ins) and
learning (questions of every type, quizzes, attempts with their answers and statistics' running
totals, learning paths with enrolments), sized by `Profile.modules`, from its own random stream
so the feedback rows stay the same.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
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
class ModuleVolumes:
    """Rituals, initiatives and learning rows, sized for the enterprise community (5,000 members, 3 years)."""

    rituals: int = 12  # weekly, fortnightly and four-weekly: ~1,500 sessions over 3 years
    rsvps: int = 100_000
    topics: int = 5_000
    topic_votes: int = 100_000
    topic_comments: int = 20_000
    challenges: int = 2_000
    challenge_votes: int = 40_000
    challenge_comments: int = 8_000
    initiatives: int = 1_000
    volunteers: int = 1_000
    pledges: int = 10_000
    check_ins: int = 50_000
    absences: int = 500
    questions: int = 2_000
    quizzes: int = 100
    attempts: int = 200_000
    enrolments: int = 5_000

    @classmethod
    def scaled(cls, share: float) -> ModuleVolumes:
        """Every volume times `share` (the community's size against the enterprise one), with small floors.

        Rituals follow the square root: a smaller community still meets on a few series, just fewer.
        """
        full = cls()
        floors = {"rituals": 2, "topics": 30, "challenges": 10, "initiatives": 8, "volunteers": 5, "questions": 40}
        values = {
            name: max(floors.get(name, 1), round(getattr(full, name) * share))
            for name in cls.__dataclass_fields__
            if name != "rituals"
        }
        return cls(rituals=max(2, round(full.rituals * math.sqrt(share))), **values)


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
    modules: ModuleVolumes = field(default_factory=ModuleVolumes)


PROFILES = {
    "tiny": Profile(feedbacks=300, members=40, accounts=60, opportunities=20, modules=ModuleVolumes.scaled(40 / 5_000)),
    "10k": Profile(
        feedbacks=10_000, members=500, accounts=1_000, opportunities=500, modules=ModuleVolumes.scaled(500 / 5_000)
    ),
    "100k": Profile(
        feedbacks=100_000,
        members=2_000,
        accounts=10_000,
        opportunities=4_000,
        modules=ModuleVolumes.scaled(2_000 / 5_000),
    ),
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
        # Quoted: some columns are reserved words ("start", "end" of a pledge).
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
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
            cursor.cursor.copy(f'COPY "{table}" ({", ".join(f'"{c}"' for c in columns)}) FROM STDIN') as copy,
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
# The rituals, initiatives and learning tables of ~50k rows or more at the enterprise profile.
MODULE_BIG_TABLES = (
    "rituals_rsvp",
    "rituals_vote",
    "initiatives_challengevote",
    "initiatives_checkin",
    "learning_attempt",
    "learning_attemptanswer",
)


def drop_indexes(connection: Any, tables: tuple[str, ...] = BIG_TABLES) -> list[str]:
    """Drops secondary indexes (and SQLite's full-text triggers) of the big tables; returns SQL to restore them."""
    restore: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(
                f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                f"AND tbl_name IN ({marks}) AND sql IS NOT NULL",
                list(tables),
            )
            for kind, name, sql in cursor.fetchall():
                cursor.execute(f'DROP {kind.upper()} "{name}"')
                restore.append(sql)
        else:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)",
                [list(tables)],
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


# --- rituals, initiatives and learning ---------------------------------------------------------------

DAY = 86400.0
WEEK = 7 * DAY

# name, weekday, every N weeks, local time, reference zone, capacity, visibility, topic slots. Ordered so
# that the smaller profiles (the first N) still mix weekly, fortnightly, four-weekly and public series.
RITUALS = [
    ("Product Talks", 1, 1, (12, 30), "Europe/Paris", None, "members", 2),
    ("Roadmap Review", 0, 2, (14, 0), "Europe/Paris", None, "members", 3),
    ("Discovery Circle", 3, 1, (17, 0), "Europe/Paris", 40, "members", 2),
    ("Open Product Night", 3, 2, (18, 30), "Europe/Paris", 120, "public", 3),
    ("Design Critique", 2, 1, (15, 0), "Europe/Paris", 25, "members", 2),
    ("Accessibility Hour", 4, 4, (13, 0), "Europe/Paris", None, "public", 2),
    ("PM Coffee", 4, 1, (9, 30), "America/New_York", None, "members", 1),
    ("Pricing Clinic", 2, 2, (16, 0), "America/New_York", 30, "members", 2),
    ("Data Guild", 0, 1, (16, 0), "Europe/Paris", None, "members", 2),
    ("OKR Retro", 1, 4, (10, 0), "Europe/Paris", None, "members", 2),
    ("Customer Voice", 3, 1, (11, 0), "America/New_York", 60, "members", 2),
    ("Tech for PMs", 1, 1, (17, 30), "Europe/Paris", None, "members", 1),
]
TOPIC_TITLES = [
    "How we cut churn on the {a} with better {b}",
    "Lessons from rebuilding the {a}",
    "A year of {a}: what we learned",
    "{a} and {b}: a case study",
    "Discovery interviews about the {a}",
    "Metrics that matter for the {a}",
    "Shipping the {a} without breaking the {b}",
    "What customers really mean by {a}",
    "From feedback to roadmap: the {a}",
    "Pricing the {a}",
]
CHALLENGE_TITLES = [
    "Nobody owns the {a} after launch",
    "We lack data on how customers use the {a}",
    "New PMs struggle to find the {a} documentation",
    "Too many tools for the {a}",
    "Feedback about the {a} never reaches the designers",
    "Hard to say no to requests about the {a}",
    "Specs for the {a} are written too late",
]
INITIATIVE_TITLES = [
    "Quiz on {a} for new PMs",
    "Mentoring circle: {a}",
    "Workshop: discovery for the {a}",
    "Playbook for the {a}",
    "Shared dashboard for the {a}",
    "Office hours on the {a}",
    "Template library for {a} specs",
]
COMMENTS = [
    "Same here, we hit this every quarter.",
    "I can help with this one.",
    "Could we record it for the US teams?",
    "+1, the {a} part is what hurts most.",
    "We tried something similar on the {a}; happy to share notes.",
    "Would love a follow-up on the {b}.",
]
CHECK_IN_NOTES = [
    "Drafted the outline and shared it with the group.",
    "Interviewed two PMs about the {a}.",
    "Reviewed the feedback and updated the plan.",
    "Ran the first session; notes in the wiki.",
    "Blocked on access to the {a} data this week.",
]
QUESTION_STEMS = [
    ("Which practice helps most with the {a}?", "Quelle pratique aide le plus pour {a}\u202f?"),
    (
        "What should come first when a customer asks for the {a}?",
        "Que faire d'abord quand un client demande {a}\u202f?",
    ),
    ("Who decides the priority of the {a}?", "Qui décide de la priorité de {a}\u202f?"),
    ("How do you know the {a} worked?", "Comment savoir si {a} a fonctionné\u202f?"),
]
ANSWERS = [
    ("Talk to the customers who asked", "Parler aux clients qui l'ont demandé"),
    ("Ship it as fast as possible", "Le livrer au plus vite"),
    ("Measure adoption after release", "Mesurer l'adoption après la sortie"),
    ("Write a detailed specification", "Rédiger une spécification détaillée"),
    ("Ask the sales team", "Demander à l'équipe commerciale"),
    ("Check the support tickets", "Regarder les tickets du support"),
]
SHORT_ANSWERS = [
    ("NPS", "NPS"),
    ("MVP", "MVP"),
    ("OKR", "OKR"),
    ("churn", "attrition"),
    ("roadmap", "feuille de route"),
    ("persona", "persona"),
    ("discovery", "découverte"),
]
WRONG_TYPED = ["KPI", "I don't know", "SLA", "ROI", "sprint", "backlog"]
ORDERING_ITEMS = [
    [("Discover", "Découvrir"), ("Define", "Définir"), ("Develop", "Développer"), ("Deliver", "Livrer")],
    [("Problem", "Problème"), ("Hypothesis", "Hypothèse"), ("Experiment", "Expérience"), ("Decision", "Décision")],
    [("Idea", "Idée"), ("Prototype", "Prototype"), ("Beta", "Bêta"), ("Launch", "Lancement"), ("Review", "Bilan")],
]
QUESTION_KINDS = [("single", 40), ("multiple", 20), ("true_false", 15), ("short", 10), ("ordering", 15)]
# Kind codes for the attempt loop (a tuple lookup is cheaper than string comparisons on 2M answers).
K_ONE, K_MANY, K_SHORT, K_ORDER = 0, 1, 2, 3


def module_models() -> list[Any]:
    """The rituals, initiatives and learning models the generator writes with explicit ids."""
    from django.apps import apps

    return [
        model
        for label in ("rituals", "initiatives", "learning")
        for model in apps.get_app_config(label).get_models()
        if not model._meta.auto_created
    ]


class ModulesGenerator:
    """Rituals, initiatives and learning at the profile's scale, on top of the members `Generator` made.

    Its own random stream, so the feedback data stays exactly what it was. Rows are built as plain
    tuples and streamed in batches (attempts and their answers in chunks, one COPY at a time on
    PostgreSQL); every count the app keeps on a row (topic and challenge votes, comments, time
    spent on an initiative, an attempt's score, an enrolment's completed steps) is the count of the
    rows written.
    """

    def __init__(self, gen: Generator, writer: Writer, progress: Progress, *, seed: int) -> None:
        self.gen, self.writer, self.progress = gen, writer, progress
        self.v = gen.p.modules
        self.rng = random.Random(seed * 1_000_003 + 17)
        self.now, self.t0 = gen.now, gen.t0
        self.span = self.now - self.t0
        self.terms = [en for en, _fr in __import__("bench.text", fromlist=["BASE_TERMS"]).BASE_TERMS]
        roles = gen.roles
        self.community = [u for u in gen.user_ids if roles[u] != "stakeholder"]
        self.ops = gen.triagers or [1]
        self._fills: dict[Any, tuple[list[str], tuple]] = {}
        self.counts: dict[str, int] = {}

    # helpers -----------------------------------------------------------------------------------

    def put(self, model: Any, fields: list[str], rows: Iterable[tuple]) -> int:
        """Writes tuples in `fields` order; every other column gets its default."""
        key = (model, tuple(fields))
        if key not in self._fills:
            others = [c for c in table_columns(model) if c not in fields]
            self._fills[key] = (fields + others, tuple(default_value(model, c, self.writer) for c in others))
        columns, fill = self._fills[key]
        written = self.writer.insert(model._meta.db_table, columns, (row + fill for row in rows))
        name = model._meta.db_table
        self.counts[name] = self.counts.get(name, 0) + written
        return written

    def link(self, through: Any, left: str, right: str, pairs: Iterable[tuple[int, int]]) -> None:
        meta = through._meta
        columns = [meta.get_field(left).column, meta.get_field(right).column]
        self.writer.insert(meta.db_table, columns, pairs)

    @staticmethod
    def day(moment: float) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(moment))

    @staticmethod
    def monday(moment: float) -> float:
        midnight = moment - moment % DAY
        return midnight - time.gmtime(moment).tm_wday * DAY

    def text(self, templates: list[str]) -> str:
        rng = self.rng
        return rng.choice(templates).format(a=rng.choice(self.terms), b=rng.choice(self.terms))

    def spread(self, total: int, slots: int, exponent: float = 0.8) -> list[int]:
        """`total` split over `slots` with a heavy head (rank^-exponent), in random slot order."""
        if slots <= 0:
            return []
        weights = [1 / (rank**exponent) for rank in range(1, slots + 1)]
        self.rng.shuffle(weights)
        scale = total / sum(weights)
        return [int(w * scale + self.rng.random()) for w in weights]

    def run(self) -> dict[str, float]:
        """Runs the three steps; wall seconds per step, and the generator's own CPU seconds (`<step>_cpu`),
        which a shared machine disturbs less."""
        timings = {}
        for name, step in (("rituals", self.rituals), ("initiatives", self.initiatives), ("learning", self.learning)):
            started, cpu = time.perf_counter(), time.process_time()
            self.progress.step(f"{name}\n")
            step()
            timings[name] = round(time.perf_counter() - started, 1)
            timings[f"{name}_cpu"] = round(time.process_time() - cpu, 1)
        return timings

    # rituals -------------------------------------------------------------------------------------

    def rituals(self) -> None:
        import datetime as dt

        from guilde.community import selectors as community_selectors
        from guilde.rituals import recurrence
        from guilde.rituals.models import Rating, Ritual, Rsvp, Session, Topic, TopicComment, Vote

        rng, v, ts, now = self.rng, self.v, self.writer.ts, self.now
        from guilde.community.models import Tag

        self.tag_count = Tag.objects.count()
        self.pillar_ids = list(
            community_selectors.pillars(community=community_selectors.get_community()).values_list("pk", flat=True)
        )
        everyone = self.gen.user_ids
        created = ts(self.t0)
        start = datetime.fromtimestamp(self.t0, UTC)
        horizon = datetime.fromtimestamp(now + 12 * WEEK, UTC)  # services.rituals.HORIZON_WEEKS
        rituals, sessions = [], []
        for rid, (name, weekday, every, (hour, minute), zone, capacity, visibility, slots) in enumerate(
            RITUALS[: v.rituals], 1
        ):
            rituals.append(
                (rid, created, created, name, f"{name}: one hour to share what we learn.", weekday, every,
                 f"{hour:02d}:{minute:02d}:00", zone, self.day(self.t0), 60, slots, capacity, visibility, 1, 1)
            )  # fmt: skip
            cadence = recurrence.Cadence(weekday, every, dt.time(hour, minute), zone, start.date(), 60)
            for occurrence in recurrence.occurrences(cadence, start=start, end=horizon):
                sessions.append((rid, occurrence, capacity, visibility, slots))
        self.put(
            Ritual,
            ["id", "created_at", "updated_at", "name", "purpose", "weekday", "interval_weeks", "local_time",
             "timezone", "starts_on", "duration_minutes", "topic_slots", "capacity", "visibility", "is_active",
             "version"],
            rituals,
        )  # fmt: skip
        self.link(
            Ritual.hosts.through, "ritual", "user", [(r[0], h) for r in rituals for h in {rng.choice(self.ops), 1}]
        )

        # Sessions: past ones held (a few cancelled), the next 12 weeks planned.
        session_rows, held = [], []
        for sid, (rid, occ, capacity, visibility, slots) in enumerate(sessions, 1):
            begins = occ.starts_at.timestamp()
            cancelled = rng.random() < 0.03
            past = begins < now
            session_rows.append(
                (sid, ts(max(self.t0, begins - 12 * WEEK)), ts(min(now, begins)), rid, occ.date.isoformat(),
                 ts(begins), ts(occ.ends_at.timestamp()), "", "cancelled" if cancelled else "scheduled",
                 "Speaker unavailable" if cancelled else "",
                 f"https://video.example.com/replay/{sid}" if past and not cancelled and rng.random() < 0.6 else "",
                 f"{rng.getrandbits(64):016x}", ts(begins - 2 * WEEK) if visibility == "public" else None)
            )  # fmt: skip
            held.append((sid, begins, cancelled, capacity, visibility, slots))
        self.put(
            Session,
            ["id", "created_at", "updated_at", "ritual_id", "occurrence_date", "starts_at", "ends_at", "title",
             "status", "cancel_reason", "replay_url", "checkin_code", "announced_at"],
            session_rows,
        )  # fmt: skip
        self.sessions = held

        # Topics: the slots of held and planned sessions, then the open pool and the declined ones.
        total_slots = sum(s[5] for s in held if not s[2])
        fill = min(0.9, 0.55 * v.topics / max(total_slots, 1))
        slotted: list[tuple[int, float, int]] = []  # (session, starts, slot)
        for sid, begins, cancelled, _cap, _vis, slots in held:
            if cancelled:
                continue
            chance = fill if begins < now + 3 * WEEK else fill * 0.4  # later sessions still have free slots
            slotted += [(sid, begins, slot) for slot in range(1, slots + 1) if rng.random() < chance]
        slotted = slotted[: v.topics]
        topic_meta: list[tuple[float, float]] = []  # (created, last vote moment)
        topic_rows, speakers = [], []
        votes_per_topic = self.spread(v.topic_votes, v.topics)
        cap = len(self.community)
        for tid in range(1, v.topics + 1):
            if tid <= len(slotted):
                sid, begins, slot = slotted[tid - 1]
                made = max(self.t0, begins - rng.uniform(1, 10) * WEEK)
                status = "presented" if begins < now else "scheduled"
                until = min(begins, now)
            else:
                sid, slot = None, None
                made = now - self.span * rng.random() ** 2  # the pool is mostly recent
                roll = rng.random()
                status = "proposed" if roll < 0.65 else "accepted" if roll < 0.8 else "declined"
                until = now
            votes = min(votes_per_topic[tid - 1], cap)
            votes_per_topic[tid - 1] = votes
            people = rng.sample(self.community, 2 if rng.random() < 0.2 else 1)
            speakers += [(tid, u) for u in people]
            topic_meta.append((made, until))
            topic_rows.append(
                (tid, ts(made), ts(until), self.text(TOPIC_TITLES), "What we tried, what worked, what did not.",
                 rng.choice(self.pillar_ids), rng.choice(("talk", "talk", "workshop", "rex", "case_study", "qa")),
                 rng.choice((15, 20, 30, 45)), json.dumps(["fr"] if rng.random() < 0.3 else ["en"]), people[0],
                 status, "Out of the community's scope" if status == "declined" else "", sid, slot, votes)
            )  # fmt: skip
        self.put(
            Topic,
            ["id", "created_at", "updated_at", "title", "description", "pillar_id", "format", "duration_minutes",
             "languages", "proposed_by_id", "status", "decline_reason", "session_id", "slot", "vote_count"],
            topic_rows,
        )  # fmt: skip
        self.link(Topic.speakers.through, "topic", "user", speakers)

        def vote_rows() -> Iterator[tuple]:
            vid = 0
            for tid, count in enumerate(votes_per_topic, 1):
                made, until = topic_meta[tid - 1]
                for voter in rng.sample(self.community, count):
                    vid += 1
                    yield (vid, tid, voter, ts(made + (until - made) * rng.random()))

        self.put(Vote, ["id", "topic_id", "voter_id", "created_at"], vote_rows())

        def comment_rows() -> Iterator[tuple]:
            for cid in range(1, v.topic_comments + 1):
                tid = 1 + zipf_index(rng, v.topics, 0.8)
                made, until = topic_meta[tid - 1]
                at = ts(made + (until - made) * rng.random())
                yield (cid, at, at, tid, rng.choice(self.community), self.text(COMMENTS))

        self.put(TopicComment, ["id", "created_at", "updated_at", "topic_id", "author_id", "body"], comment_rows())

        # RSVPs: most on held sessions, fewer as sessions get further away; check-ins and ratings after.
        weights = [
            0.0 if begins > now + 4 * WEEK else 1.0 if begins < now else 0.6 if begins < now + WEEK else 0.25
            for _sid, begins, *_rest in held
        ]
        scale = v.rsvps / max(sum(weights), 1e-9)
        ratings: list[tuple] = []

        def rsvp_rows() -> Iterator[tuple]:
            rid = 0
            for (sid, begins, cancelled, capacity, visibility, _slots), weight in zip(held, weights, strict=True):
                pool = everyone if visibility == "public" else self.community
                count = min(len(pool), int(weight * scale + rng.random()))
                going = 0
                answered = sorted(begins - rng.random() * 2 * WEEK for _ in range(count))
                for user, at in zip(rng.sample(pool, count), answered, strict=True):
                    roll = rng.random()
                    status = "going" if roll < 0.72 else "maybe" if roll < 0.86 else "not_going"
                    waitlisted = status == "going" and capacity is not None and going >= capacity
                    going += status == "going" and not waitlisted
                    checked = None
                    held_there = begins < now and not cancelled and status == "going" and not waitlisted
                    if held_there and rng.random() < 0.78:
                        checked = begins + rng.uniform(-10, 20) * 60
                        if rng.random() < 0.35:
                            rated = ts(min(now, begins + rng.uniform(1, 48) * 3600))
                            ratings.append(
                                (sid, user, rng.choices((1, 2, 3, 4, 5), (5, 10, 25, 35, 25))[0],
                                 int(rng.random() < 0.45), "Useful, thanks!" if rng.random() < 0.2 else "", rated)
                            )  # fmt: skip
                    rid += 1
                    yield (rid, ts(at), ts(checked or at), sid, user, status, int(waitlisted), ts(checked))

        self.put(
            Rsvp,
            ["id", "created_at", "updated_at", "session_id", "user_id", "status", "waitlisted", "checked_in_at"],
            rsvp_rows(),
        )
        self.put(
            Rating,
            ["id", "session_id", "user_id", "usefulness", "will_apply", "comment", "created_at", "updated_at"],
            ((i, *r, r[-1]) for i, r in enumerate(ratings, 1)),
        )

    # initiatives -----------------------------------------------------------------------------------

    def initiatives(self) -> None:
        from django.db import connection

        from guilde.community.models import Member
        from guilde.initiatives.models import (
            Absence,
            Challenge,
            ChallengeComment,
            ChallengeVote,
            CheckIn,
            Initiative,
            Pledge,
            StatusChange,
        )

        rng, v, ts, now, t0 = self.rng, self.v, self.writer.ts, self.now, self.t0
        day, monday = self.day, self.monday

        # Volunteers (the bench product-ops user among them, so "my commitments" has rows) and their weekly time.
        chosen = rng.sample(self.community, min(len(self.community), v.volunteers))
        if 1 not in chosen:
            chosen[0] = 1
        weekly = {uid: rng.choice((60, 90, 120, 120, 180, 240)) for uid in chosen}
        weekly[1] = 240
        self.volunteers = sorted(chosen)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Member._meta.db_table} SET is_volunteer = %s, weekly_minutes = %s WHERE id = %s",
                [(True, weekly[uid], uid) for uid in self.volunteers],
            )

        # Challenges, their upvotes and comments (the counts on the row are the rows written).
        votes_per = self.spread(v.challenge_votes, v.challenges)
        comments_on = [1 + zipf_index(rng, v.challenges, 0.8) for _ in range(v.challenge_comments)]
        comment_count = [0] * (v.challenges + 1)
        for cid in comments_on:
            comment_count[cid] += 1
        challenge_rows, challenge_made, accepted = [], [], []
        for cid in range(1, v.challenges + 1):
            made = t0 + self.span * rng.random() ** 0.8
            roll = rng.random()
            status = "open" if roll < 0.55 else "accepted" if roll < 0.75 else "merged" if roll < 0.85 else "declined"
            into = None
            if status == "merged":
                earlier = [c for c in range(max(1, cid - 50), cid) if challenge_rows[c - 1][7] in ("open", "accepted")]
                into = rng.choice(earlier) if earlier else None
                status = status if into else "declined"
            decided = min(now, made + rng.uniform(1, 30) * DAY) if status != "open" else None
            if status == "accepted":
                accepted.append(cid)
            votes = votes_per[cid - 1] = min(votes_per[cid - 1], len(self.community))
            challenge_made.append(made)
            challenge_rows.append(
                (cid, ts(made), ts(decided or made), self.text(CHALLENGE_TITLES), "Who it hurts and how often.",
                 rng.choice(self.pillar_ids), rng.choice(self.community), status,
                 "" if status == "open" else "Discussed at the community review.",
                 rng.choice(self.ops) if decided else None, ts(decided), into, votes, comment_count[cid])
            )  # fmt: skip
        self.put(
            Challenge,
            ["id", "created_at", "updated_at", "title", "description", "pillar_id", "author_id", "status",
             "decision_reason", "decided_by_id", "decided_at", "merged_into_id", "vote_count", "comment_count"],
            challenge_rows,
        )  # fmt: skip

        def challenge_votes() -> Iterator[tuple]:
            vid = 0
            for cid, count in enumerate(votes_per, 1):
                made = challenge_made[cid - 1]
                for user in rng.sample(self.community, count):
                    vid += 1
                    yield (vid, cid, user, ts(made + (now - made) * rng.random()))

        self.put(ChallengeVote, ["id", "challenge_id", "user_id", "created_at"], challenge_votes())
        self.put(
            ChallengeComment,
            ["id", "created_at", "updated_at", "challenge_id", "author_id", "body"],
            (
                (i, at, at, cid, rng.choice(self.community), self.text(COMMENTS))
                for i, cid in enumerate(comments_on, 1)
                for at in (ts(challenge_made[cid - 1] + (now - challenge_made[cid - 1]) * rng.random()),)
            ),
        )

        # Initiatives: a life from start to its end (delivered, set aside) or still running.
        first_week = monday(t0)
        weeks_total = int((now + 26 * WEEK - first_week) // WEEK) + 1
        alive: list[list[int]] = [[] for _ in range(weeks_total)]
        life: dict[int, tuple[float, float | None, str]] = {}
        changes: list[tuple] = []
        for iid in range(1, v.initiatives + 1):
            made = t0 + self.span * rng.random() ** 0.8
            age = now - made
            if age < 120 * DAY:
                options = (("idea", 35), ("planned", 30), ("in_progress", 35))
            elif age < 365 * DAY:
                options = (("idea", 10), ("planned", 10), ("in_progress", 35), ("delivered", 30), ("paused", 5),
                           ("deprioritised", 5), ("abandoned", 5))  # fmt: skip
            else:
                options = (("in_progress", 3), ("delivered", 70), ("paused", 5), ("deprioritised", 10),
                           ("abandoned", 12))  # fmt: skip
            status = rng.choices([o[0] for o in options], [o[1] for o in options])[0]
            begins = made + rng.uniform(0, 20) * DAY
            ended = None
            if status not in ("idea", "planned", "in_progress"):
                ended = max(begins + DAY, min(now - DAY, begins + rng.uniform(40, 300) * DAY))
            life[iid] = (begins, ended, status)
            actor = rng.choice(self.ops)
            path = {"idea": [], "planned": ["planned"], "in_progress": ["planned", "in_progress"]}.get(
                status, ["planned", "in_progress", status]
            )
            previous, at = "idea", made
            for step in path:
                at = ended if step == status and ended else min(now, at + rng.uniform(1, 14) * DAY)
                reason = (
                    "Not enough volunteers this quarter." if step in ("paused", "deprioritised", "abandoned") else ""
                )
                changes.append((iid, previous, step, reason, actor, ts(at)))
                previous = step
            if status != "idea":
                last = ended if ended else now + 26 * WEEK
                for week in range(
                    int((begins - first_week) // WEEK), min(weeks_total, int((last - first_week) // WEEK) + 1)
                ):
                    alive[week].append(iid)

        # Pledges: each volunteer's weekly time in two lanes of consecutive periods, whole weeks, so no
        # week ever holds more than their commitment (what services.pledges.check_pledge_fits enforces).
        pledges: list[tuple] = []
        now_week = int((now - first_week) // WEEK)
        for uid in self.volunteers:
            total = weekly[uid]
            first = max(15, (total // 2) // 15 * 15)
            for lane in (first, total - first):
                if lane < 15:
                    continue
                week = rng.randrange(0, 30)
                while week < min(weeks_total, now_week + 8):
                    candidates = alive[week]
                    if not candidates:
                        week += 2
                        continue
                    iid = rng.choice(candidates)
                    begins, ended, _status = life[iid]
                    last_week = week + rng.randint(6, 26) - 1
                    if ended is not None:
                        last_week = min(last_week, int((ended - first_week) // WEEK))
                    last_week = min(last_week, week + 51, weeks_total - 1)
                    start = first_week + week * WEEK
                    end = first_week + last_week * WEEK + 6 * DAY
                    if ended is not None:
                        end = max(start, min(end, ended))
                    minutes = lane if rng.random() < 0.6 else max(15, lane - 15 * rng.randint(1, 2))
                    pledges.append((iid, uid, minutes, start, end, week, last_week))
                    week = last_week + 1 + rng.randint(0, 40)
        # Check-ins on the weeks already lived of pledges to initiatives under way or done (a check-in on
        # a planned initiative would have moved it to in progress).
        lived = [
            (p, w)
            for p in pledges
            if life[p[0]][2] not in ("idea", "planned")
            for w in range(p[5], min(p[6], now_week) + 1)
        ]
        chance = min(1.0, v.check_ins / max(len(lived), 1))
        heavy = set(rng.sample(self.volunteers, max(1, len(self.volunteers) // 20)))
        spent = [0] * (v.initiatives + 1)

        def check_in_rows() -> Iterator[tuple]:
            cid = 0
            for (iid, uid, minutes, *_rest), week in lived:
                if rng.random() >= chance:
                    continue
                factor = 2.2 if uid in heavy else math.exp(rng.gauss(0, 0.4))
                used = min(600, int(minutes * factor) // 5 * 5)
                spent[iid] += used
                cid += 1
                at = ts(min(now, first_week + week * WEEK + rng.uniform(3, 7) * DAY))
                yield (cid, at, at, iid, uid, self.text(CHECK_IN_NOTES), used, day(first_week + week * WEEK))

        self.put(
            CheckIn,
            ["id", "created_at", "updated_at", "initiative_id", "author_id", "note", "minutes_spent", "week"],
            check_in_rows(),
        )
        self.put(
            Pledge,
            ["id", "created_at", "updated_at", "initiative_id", "member_id", "minutes_per_week", "start", "end"],
            (
                (i, at, at, iid, uid, minutes, day(start), day(end))
                for i, (iid, uid, minutes, start, end, _w, _l) in enumerate(pledges, 1)
                for at in (ts(max(t0, start - rng.uniform(0, 7) * DAY)),)
            ),
        )
        rank = 0
        initiative_rows = []
        for iid in range(1, v.initiatives + 1):
            begins, ended, status = life[iid]
            archived = ended is not None and ended < now - 180 * DAY and rng.random() < 0.6
            rank += not archived
            target = begins + rng.uniform(6, 30) * WEEK
            lead = rng.choice(self.volunteers) if rng.random() < 0.85 else None
            initiative_rows.append(
                (iid, ts(begins), ts(ended or begins), self.text(INITIATIVE_TITLES),
                 "Give the community what it asked for.", "20 members used it within a quarter.",
                 rng.choice(self.pillar_ids), rng.choice(("quiz", "mentoring", "coaching", "workshop", "content",
                                                          "process", "tooling", "event")),
                 rng.choice(accepted) if accepted and rng.random() < 0.3 else None,
                 max(1, int(math.exp(rng.gauss(math.log(40), 0.8)))), rng.randint(1, 5),
                 100 if archived else rank, None if status == "idea" else day(begins),
                 None if status == "idea" else day(target), lead, status,
                 "Not enough volunteers this quarter." if status in ("paused", "deprioritised", "abandoned") else "",
                 "Delivered to the community." if status == "delivered" else "",
                 day(ended) if status == "delivered" and ended else None, spent[iid], int(archived),
                 ts((ended or now) + 30 * DAY) if archived else None, lead or rng.choice(self.ops))
            )  # fmt: skip
        self.put(
            Initiative,
            ["id", "created_at", "updated_at", "title", "goal", "expected_outcome", "pillar_id", "kind",
             "challenge_id", "effort_hours", "value", "rank", "start_date", "target_date", "lead_id", "status",
             "status_reason", "outcome", "delivered_on", "spent_minutes", "is_archived", "archived_at",
             "created_by_id"],
            initiative_rows,
        )  # fmt: skip
        self.link(
            Initiative.skills.through,
            "initiative",
            "tag",
            [
                (iid, tag)
                for iid in range(1, v.initiatives + 1)
                for tag in {rng.randint(1, self.tag_count) for _ in range(rng.randint(0, 3))}
            ],
        )
        self.put(
            StatusChange,
            ["id", "initiative_id", "from_status", "to_status", "reason", "actor_id", "at"],
            ((i, *c) for i, c in enumerate(changes, 1)),
        )

        def absence_rows() -> Iterator[tuple]:
            for aid in range(1, v.absences + 1):
                start = now + rng.uniform(-60, 90) * DAY
                at = ts(min(now, start - 7 * DAY))
                yield (aid, at, at, rng.choice(self.volunteers), day(start), day(start + rng.randint(0, 13) * DAY), "")

        self.put(Absence, ["id", "created_at", "updated_at", "member_id", "start", "end", "note"], absence_rows())

    # learning ---------------------------------------------------------------------------------------

    def learning(self) -> None:
        from guilde.learning.aggregates import band_of
        from guilde.learning.models import (
            Attempt,
            AttemptAnswer,
            Choice,
            Enrolment,
            Path,
            Question,
            QuestionStat,
            Quiz,
            QuizQuestion,
            QuizStat,
            Step,
            StepCompletion,
        )

        rng, v, ts, now, t0 = self.rng, self.v, self.writer.ts, self.now, self.t0
        authors = self.volunteers + self.ops

        # Questions of every type with their answer key; what the attempt loop needs is kept per question.
        kinds, kind_weights = [k for k, _w in QUESTION_KINDS], [w for _k, w in QUESTION_KINDS]
        question_rows, choice_rows = [], []
        info: dict[int, tuple] = {}
        published: list[int] = []
        by_pillar: dict[int, list[int]] = {}
        choice_id = 0
        for qid in range(1, v.questions + 1):
            kind = rng.choices(kinds, kind_weights)[0]
            term = rng.choice(self.terms)
            stem_en, stem_fr = rng.choice(QUESTION_STEMS)
            roll = rng.random()
            status = "published" if roll < 0.82 else "review" if roll < 0.9 else "draft" if roll < 0.96 else "archived"
            pillar = rng.choice(self.pillar_ids)
            made = t0 + self.span * 0.8 * rng.random()
            reviewed = made + rng.uniform(1, 10) * DAY if status in ("published", "archived") else None
            ids: list[int] = []
            if kind == "true_false":
                truth = rng.random() < 0.5
                options = [("True", "Vrai", truth), ("False", "Faux", not truth)]
                stem_en, stem_fr = (f"The {term} should be validated with customers first.",
                                    f"Il faut valider {term} avec les clients d'abord.")  # fmt: skip
            elif kind in ("single", "multiple"):
                picked = rng.sample(ANSWERS, 4 if kind == "single" else 5)
                right = {0} if kind == "single" else set(rng.sample(range(5), rng.randint(2, 3)))
                options = [(en, fr, i in right) for i, (en, fr) in enumerate(picked)]
            elif kind == "short":
                en, fr = rng.choice(SHORT_ANSWERS)
                options = [(en, fr, True)]
                stem_en, stem_fr = (f"Which acronym or word names this idea about the {term}?",
                                    f"Quel mot désigne cette idée à propos de {term}\u202f?")  # fmt: skip
            else:
                options = [(en, fr, True) for en, fr in rng.choice(ORDERING_ITEMS)]
                stem_en, stem_fr = "Put these steps in order.", "Mettez ces étapes dans l'ordre."
            for position, (en, fr, correct) in enumerate(options):
                choice_id += 1
                ids.append(choice_id)
                choice_rows.append((choice_id, qid, position, en, fr, int(correct)))
            correct_ids = [i for i, (_en, _fr, ok) in zip(ids, options, strict=True) if ok]
            wrong_ids = [i for i in ids if i not in correct_ids]
            difficulty, slope = rng.gauss(-0.3, 1.0), rng.uniform(0.4, 2.0) * (-1 if rng.random() < 0.03 else 1)
            if kind in ("single", "true_false"):
                info[qid] = (K_ONE, slope, difficulty, json.dumps(correct_ids), [json.dumps([w]) for w in wrong_ids])
            elif kind == "multiple":
                info[qid] = (K_MANY, slope, difficulty, correct_ids, wrong_ids)
            elif kind == "short":
                info[qid] = (
                    K_SHORT,
                    slope,
                    difficulty,
                    [json.dumps(options[0][0]), json.dumps(options[0][0].lower())],
                    None,
                )
            else:
                info[qid] = (K_ORDER, slope, difficulty, ids, None)
            if status == "published":
                published.append(qid)
                by_pillar.setdefault(pillar, []).append(qid)
            question_rows.append(
                (qid, ts(made), ts(reviewed or made), kind, status, stem_en.format(a=term), stem_fr.format(a=term),
                 "Because it starts from the customer's problem.", "Parce que cela part du problème du client.",
                 pillar, rng.randint(1, self.tag_count), rng.choice(authors),
                 rng.choice(self.ops) if reviewed else None, ts(reviewed))
            )  # fmt: skip
        self.put(
            Question,
            ["id", "created_at", "updated_at", "kind", "status", "text_en", "text_fr", "explanation_en",
             "explanation_fr", "pillar_id", "skill_id", "author_id", "reviewer_id", "reviewed_at"],
            question_rows,
        )  # fmt: skip
        self.put(Choice, ["id", "question_id", "position", "text_en", "text_fr", "is_correct"], choice_rows)

        # Quizzes: fixed sets of published questions, some drawn at random from a pillar.
        quiz_rows, quiz_questions, quizzes = [], [], []
        for zid in range(1, v.quizzes + 1):
            made = t0 + self.span * 0.8 * rng.random()
            drawn = rng.random() < 0.15
            pillar = rng.choice(self.pillar_ids)
            if drawn and by_pillar.get(pillar):
                questions = None
            else:
                drawn = False
                questions = rng.sample(published, min(len(published), rng.randint(6, 12)))
                quiz_questions += [(zid, q, i) for i, q in enumerate(questions)]
            is_published = rng.random() < 0.92 or zid == 1
            limit = rng.choice((None, None, None, 10, 15, 20))
            most = rng.choice((None, None, 3))
            mark = rng.choice((60, 70, 70, 80))
            quiz_rows.append(
                (zid, ts(made), ts(made), f"{rng.choice(self.terms).capitalize()} basics", "", "", "",
                 "random" if drawn else "fixed", 10, pillar if drawn else None, limit, most, mark,
                 rng.choice(("immediate", "end")), int(is_published), rng.choice(authors))
            )  # fmt: skip
            if is_published:
                quizzes.append((zid, made, questions, pillar, limit, most, mark))
        self.put(
            Quiz,
            ["id", "created_at", "updated_at", "title_en", "title_fr", "description_en", "description_fr",
             "selection", "draw_count", "draw_pillar_id", "time_limit_minutes", "max_attempts", "pass_mark",
             "feedback_mode", "is_published", "author_id"],
            quiz_rows,
        )  # fmt: skip
        self.put(QuizQuestion, ["id", "quiz_id", "question_id", "position"],
                 ((i, *row) for i, row in enumerate(quiz_questions, 1)))  # fmt: skip

        # Attempts and their answers, in chunks: scores follow a learner ability and a question difficulty.
        everyone = self.gen.user_ids
        ability = {uid: rng.gauss(0, 1) for uid in everyone}
        weights = list(itertools.accumulate(1 / (rank**0.7) for rank in range(1, len(quizzes) + 1)))
        used: dict[tuple[int, int], int] = {}
        exp, rand, choice, shuffle, dumps = math.exp, rng.random, rng.choice, rng.shuffle, json.dumps
        attempt_fields = ["id", "created_at", "updated_at", "quiz_id", "user_id", "number", "started_at",
                          "deadline", "submitted_at", "score", "raw_score", "passed"]  # fmt: skip
        answer_fields = ["id", "attempt_id", "question_id", "position", "response", "score", "answered_at"]
        attempts: list[tuple] = []
        answers: list[tuple] = []
        answer_id = 0
        question_sums: dict[tuple[int, int], list] = {}
        quiz_totals: dict[int, list] = {}
        for aid in range(1, v.attempts + 1 if quizzes else 1):
            zid, made, questions, pillar, limit, most, mark = quizzes[bisect.bisect(weights, rand() * weights[-1])]
            for _try in range(5):
                uid = choice(everyone)
                number = used.get((zid, uid), 0) + 1
                if not most or number <= most:
                    break
            else:
                continue
            used[(zid, uid)] = number
            theta = ability[uid]
            started = made + (now - made) * rand()
            if questions is None:
                pool = by_pillar[pillar]
                questions = rng.sample(pool, min(10, len(pool)))
            is_open = rand() < 0.03 and started > now - 2 * DAY
            answered = len(questions) if not is_open else rng.randint(0, len(questions) - 1)
            # One moment for the attempt's answers, as when they are all sent with the submission.
            at = started + len(questions) * (15 + 60 * rand())
            answered_at = ts(at)
            raw = 0.0
            scores = []
            for position, qid in enumerate(questions):
                answer_id += 1
                if position >= answered:
                    answers.append((answer_id, aid, qid, position, None, 0.0, None))
                    scores.append((qid, 0.0))
                    continue
                code, slope, difficulty, right, wrong = info[qid]
                ok = rand() < 1 / (1 + exp(-slope * (theta - difficulty)))
                if code == K_ONE:
                    response, score = (right, 1.0) if ok else (choice(wrong), 0.0)
                elif code == K_MANY:
                    if ok:
                        picked = right
                    else:
                        picked = rng.sample(right, rng.randint(0, len(right) - 1)) + rng.sample(
                            wrong, rng.randint(0, 1)
                        )
                        picked = picked or [choice(wrong)]
                    good = sum(1 for c in picked if c in right)
                    score = max(0.0, (good - (len(picked) - good)) / len(right))
                    response = dumps(sorted(picked))
                elif code == K_SHORT:
                    response, score = (choice(right), 1.0) if ok else (dumps(choice(WRONG_TYPED)), 0.0)
                else:
                    order = list(right)
                    if not ok:
                        while order == right:
                            shuffle(order)
                    score = sum(1 for a, b in zip(order, right, strict=True) if a == b) / len(right)
                    response = dumps(order)
                raw += score
                scores.append((qid, score))
                answers.append((answer_id, aid, qid, position, response, score, answered_at))
            deadline = ts(started + limit * 60) if limit else None
            if is_open:
                attempts.append((aid, ts(started), ts(at), zid, uid, number, ts(started), deadline, None, None, 0.0, 0))
            else:
                score = raw / len(questions)
                passed = 100 * score >= mark - 1e-9
                # The running totals services.attempts keeps on submission (guilde.learning.aggregates).
                for qid, x in scores:
                    y = raw - x
                    sums = question_sums.get((zid, qid))
                    if sums is None:
                        sums = question_sums[(zid, qid)] = [0, 0.0, 0.0, 0.0, 0.0, 0.0]
                    sums[0] += 1
                    sums[1] += x
                    sums[2] += y
                    sums[3] += x * y
                    sums[4] += x * x
                    sums[5] += y * y
                quiz_sums = quiz_totals.setdefault(zid, [0, set(), 0, 0.0, [0] * 10])
                quiz_sums[0] += 1
                quiz_sums[1].add(uid)
                quiz_sums[2] += passed
                quiz_sums[3] += score
                quiz_sums[4][band_of(score)] += 1
                done = ts(at + 5)
                attempts.append((aid, ts(started), done, zid, uid, number, ts(started), deadline, done, score, raw,
                                 int(passed)))  # fmt: skip
            if len(answers) >= 100_000:
                self.put(Attempt, attempt_fields, attempts)
                self.put(AttemptAnswer, answer_fields, answers)
                attempts.clear()
                answers.clear()
                self.progress.tick("attempts", aid, v.attempts)
        self.put(Attempt, attempt_fields, attempts)
        self.put(AttemptAnswer, answer_fields, answers)
        self.progress.tick("attempts", v.attempts, v.attempts)
        self.put(
            QuestionStat,
            ["id", "quiz_id", "question_id", "answers", "sum_x", "sum_y", "sum_xy", "sum_xx", "sum_yy"],
            ((i, zid, qid, *sums) for i, ((zid, qid), sums) in enumerate(sorted(question_sums.items()), 1)),
        )
        self.put(
            QuizStat,
            ["quiz_id", "attempts", "learners", "passed", "score_sum", *(f"band_{i}" for i in range(10))],
            (
                (zid, n, len(users), passed, total, *bands)
                for zid, (n, users, passed, total, bands) in sorted(quiz_totals.items())
            ),
        )

        # Two paths: onboarding (buddy, due date, who is stuck) and product culture; steps done in order.
        fixed = [q[0] for q in quizzes if q[2] is not None] or [None]
        paths = [
            (1, "Welcome to the product community", "onboarding", "everyone", 1, 30,
             [("read", "Read the community charter"), ("watch", "Watch the product process talk"),
              ("quiz", "Take the product basics quiz"), ("do", "Shadow a customer interview"),
              ("meet", "Meet your buddy"), ("read", "Read how we write specs"),
              ("quiz", "Take the discovery quiz"), ("do", "Share your first discovery notes")]),
            (2, "Product culture essentials", "product_culture", "community", 0, None,
             [("read", "Read the product principles"), ("watch", "Watch a customer interview replay"),
              ("quiz", "Take the metrics quiz"), ("do", "Write an opportunity brief"),
              ("meet", "Meet a product ops lead"), ("read", "Read the roadmap guide")]),
        ]  # fmt: skip
        created = ts(t0)
        self.put(
            Path,
            ["id", "created_at", "updated_at", "title_en", "title_fr", "purpose", "audience", "auto_enrol",
             "due_days", "is_published", "author_id"],
            [(pid, created, created, title, "", purpose, audience, auto, due, 1, self.ops[0])
             for pid, title, purpose, audience, auto, due, _steps in paths],
        )  # fmt: skip
        step_rows, steps_of = [], {}
        sid = 0
        for pid, *_rest, steps in paths:
            steps_of[pid] = []
            for position, (kind, title) in enumerate(steps):
                sid += 1
                quiz = fixed[(sid - 1) % len(fixed)] if kind == "quiz" else None
                url = "https://wiki.example.com/product" if kind in ("read", "watch") else ""
                step_rows.append((sid, pid, position, kind, title, "", url, quiz))
                steps_of[pid].append((sid, kind))
        self.put(Step, ["id", "path_id", "position", "kind", "title_en", "title_fr", "url", "quiz_id"], step_rows)

        enrolments, completions = [], []
        onboarding = round(v.enrolments * 0.6)
        eid = 0
        for pid, count in ((1, onboarding), (2, v.enrolments - onboarding)):
            steps = steps_of[pid]
            for uid in rng.sample(everyone, min(len(everyone), count)):
                eid += 1
                joined = now - self.span * rng.random() ** 1.3
                age = now - joined
                finished_long_ago = age > 45 * DAY and rng.random() < 0.88
                done = len(steps) if finished_long_ago else rng.randint(0, len(steps) - 1)
                at, last = joined, None
                buddy = choice(self.community) if pid == 1 else None
                buddy = buddy if buddy != uid else None
                for step, kind in steps[:done]:
                    at = min(now, at + rng.uniform(0.2, 4) * DAY)
                    last = at
                    confirmer = (buddy or self.ops[0]) if kind in ("do", "meet") else None
                    completions.append((eid, step, ts(at), confirmer))
                finished = last if done == len(steps) else None
                enrolments.append(
                    (eid, ts(joined), ts(last or joined), pid, uid, "automatic" if pid == 1 else "manual", buddy,
                     self.day(joined + 30 * DAY) if pid == 1 else None, done, ts(last), ts(finished))
                )  # fmt: skip
        self.put(
            Enrolment,
            ["id", "created_at", "updated_at", "path_id", "user_id", "source", "buddy_id", "due_on",
             "completed_steps", "last_progress_at", "completed_at"],
            enrolments,
        )  # fmt: skip
        self.put(
            StepCompletion,
            ["id", "enrolment_id", "step_id", "completed_at", "confirmed_by_id"],
            ((i, *c) for i, c in enumerate(completions, 1)),
        )


# --- orchestration ------------------------------------------------------------------------------


def generate(
    profile: Profile, *, progress: Progress | None = None, seed: int = 42, exclusive: bool = True
) -> dict[str, Any]:
    """Fills the (freshly migrated, empty) default database. Returns counts and timings.

    `exclusive` (SQLite files): write without a journal and hold the file alone until the end, as
    nothing else reads a benchmark file being generated. The test suite passes False: its live
    server reads the same test database meanwhile.
    """
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
    module_restore = drop_indexes(connection, MODULE_BIG_TABLES)
    alone = sqlite and exclusive and not connection.is_in_memory_db()
    if alone:
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
        modules = ModulesGenerator(gen, writer, progress, seed=seed)
        timings.update(modules.run())
        mark = time.perf_counter()
        if not sqlite:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
                for sql in connection.ops.sequence_reset_sql(
                    no_style(),
                    [
                        *module_models(),
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
    progress.step("rebuilding the rituals, initiatives and learning indexes\n")
    restore_indexes(connection, module_restore, progress)
    lap("module_indexes")
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
            # VACUUM as well: a bulk load leaves the visibility map empty, so until autovacuum
            # comes by every index-only scan (counts, keyset pages) would still visit the heap.
            cursor.execute("VACUUM (ANALYZE)")
    if alone:
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
        "modules": modules.counts,
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
