"""CSV import (column mapping, presets, preview, validation report, all-or-nothing commit) and CSV export.

An import runs in two streamed passes over the stored file, so memory stays bounded at any size:
1. validate every row (progress recorded on the ImportJob as it goes); any bad row → the job is
   `invalid` with a per-row report and nothing is written;
2. commit every row in one transaction, in chunks with bulk_create; rows whose (source,
   external_id) already exists are skipped, so importing the same file twice adds nothing.
Progress during pass 2 is not visible until it commits (it is one transaction by design).
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Iterator
from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from guilde.feedback import aggregates, selectors
from guilde.feedback.enums import FeedbackStatus, Impact, ImportPreset, ImportStatus, Language, SourceChannel
from guilde.feedback.models import CustomerAccount, Feedback, ImportJob, ProductArea, StatusChange
from guilde.feedback.rules import can_triage
from guilde.feedback.selectors import InboxFilters, sees_confidential
from guilde.feedback.services import FeedbackData, build_feedback, validate_feedback_data

CHUNK = 1000
MAX_REPORTED_ERRORS = 500
MAX_FILE_BYTES = 200 * 1024 * 1024

#: Importable fields, in the order of the Guilde CSV format.
FIELDS = (
    "external_id",
    "title",
    "problem",
    "evidence",
    "links",
    "account",
    "contact_name",
    "impact",
    "product_area",
    "source",
    "language",
    "tags",
    "received_at",
)
PRESETS: dict[str, dict[str, str]] = {
    ImportPreset.GUILDE: {f: f for f in FIELDS},
    ImportPreset.ZENDESK: {
        "external_id": "Id",
        "title": "Subject",
        "problem": "Description",
        "account": "Organization",
        "contact_name": "Requester",
        "impact": "Priority",
        "tags": "Tags",
        "received_at": "Created at",
    },
    ImportPreset.INTERCOM: {
        "external_id": "Conversation ID",
        "title": "Conversation title",
        "problem": "First message",
        "account": "Company name",
        "contact_name": "User name",
        "tags": "Tags",
        "received_at": "Created at",
    },
    ImportPreset.SALESFORCE: {
        "external_id": "Id",
        "title": "Subject",
        "problem": "Description",
        "account": "Account Name",
        "contact_name": "Contact Name",
        "impact": "Priority",
        "received_at": "CreatedDate",
    },
}
PRESET_SOURCES: dict[str, str] = {
    ImportPreset.ZENDESK: SourceChannel.SUPPORT_TICKET,
    ImportPreset.INTERCOM: SourceChannel.SUPPORT_TICKET,
    ImportPreset.SALESFORCE: SourceChannel.SALES_CALL,
}
IMPACT_ALIASES = {
    "low": Impact.LOW,
    "faible": Impact.LOW,
    "normal": Impact.MEDIUM,
    "medium": Impact.MEDIUM,
    "moyen": Impact.MEDIUM,
    "high": Impact.HIGH,
    "haute": Impact.HIGH,
    "élevé": Impact.HIGH,
    "urgent": Impact.CRITICAL,
    "critical": Impact.CRITICAL,
    "critique": Impact.CRITICAL,
}


def _rows(job: ImportJob) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, raw row) for each data row of the stored file, streamed."""
    with job.file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        for row in reader:
            yield reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items() if k is not None}


def headers_of(job: ImportJob) -> list[str]:
    with job.file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return [h.strip() for h in next(csv.reader(text), [])]


def mapping_for(job: ImportJob) -> dict[str, str]:
    """Field → CSV column: the preset, overridden by the job's own mapping."""
    mapping = dict(PRESETS.get(job.preset, PRESETS[ImportPreset.GUILDE]))
    mapping.update({k: v for k, v in (job.mapping or {}).items() if k in FIELDS})
    return {k: v for k, v in mapping.items() if v}


def map_row(row: dict[str, str], mapping: dict[str, str]) -> dict[str, str]:
    return {field: (row.get(column) or "").strip() for field, column in mapping.items()}


@transaction.atomic
def create_import_job(
    *,
    actor: Any,
    file: UploadedFile,
    preset: str = ImportPreset.GUILDE,
    mapping: dict[str, str] | None = None,
    default_source: str = "",
) -> ImportJob:
    """Stores the uploaded file and the column mapping; nothing is validated or imported yet."""
    if not can_triage(actor):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    if preset not in ImportPreset.values:
        errors["preset"] = _("Unknown format.")
    if file.size and file.size > MAX_FILE_BYTES:
        errors["file"] = _("The file is larger than 200 MB.")
    source = default_source or PRESET_SOURCES.get(preset, SourceChannel.SUPPORT_TICKET)
    if source not in SourceChannel.values:
        errors["default_source"] = _("Unknown source.")
    if errors:
        raise ValidationError(errors)
    job = ImportJob(
        created_by=actor,
        original_name=(file.name or "")[:255],
        preset=preset,
        mapping={k: v for k, v in (mapping or {}).items() if k in FIELDS},
        default_source=source,
    )
    job.file.save(file.name or "import.csv", file, save=False)
    job.save()
    try:
        headers = headers_of(job)
    except UnicodeDecodeError as exc:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from exc
    missing = [
        column for field, column in mapping_for(job).items() if field in {"title", "problem"} and column not in headers
    ]
    if missing:
        raise ValidationError(
            {"mapping": _("These columns are not in the file: %(columns)s") % {"columns": ", ".join(missing)}}
        )
    return job


def preview(job: ImportJob, *, rows: int = 5) -> dict[str, Any]:
    """The file's columns, the mapping, and its first rows as they will be read."""
    mapping = mapping_for(job)
    sample = []
    for _line, row in _rows(job):
        sample.append(map_row(row, mapping))
        if len(sample) >= rows:
            break
    return {"headers": headers_of(job), "mapping": mapping, "rows": sample}


def start_import(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queues the job for the background worker."""
    if not can_triage(actor):
        raise PermissionDenied
    if job.status not in {ImportStatus.PENDING, ImportStatus.INVALID, ImportStatus.FAILED}:
        raise ValidationError({"status": _("This import has already run.")})
    from guilde.feedback.tasks import run_import

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING, errors=[], processed_rows=0)
    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    job.refresh_from_db()
    return job


class _Resolver:
    """Looks up accounts and areas by name, a chunk at a time (one query per chunk, not per row)."""

    def __init__(self) -> None:
        self.areas: dict[str, ProductArea] = {}
        for area in ProductArea.objects.all():
            self.areas[area.name_en.casefold()] = area
            if area.name_fr:
                self.areas[area.name_fr.casefold()] = area
        self.accounts: dict[str, CustomerAccount] = {}

    def load_accounts(self, names: set[str]) -> None:
        wanted = {n.casefold()[:200] for n in names if n} - set(self.accounts)
        if wanted:
            for account in CustomerAccount.objects.filter(search_name__in=wanted).order_by("-pk"):
                self.accounts[account.search_name] = account


_SOURCE_VALUES = frozenset(SourceChannel.values)


def _parse_source(value: str, default: str) -> str | None:
    if not value:
        return default
    folded = value.strip().casefold().replace(" ", "_")
    if folded in _SOURCE_VALUES:
        return folded
    for choice in SourceChannel:
        if str(choice.label).casefold() == value.strip().casefold():
            return choice.value
    return None


def _parse_received(value: str) -> datetime | bool | None:
    """An aware datetime, None when empty, False when unreadable."""
    if not value:
        return None
    value = value.strip().replace("/", "-")
    parsed = parse_datetime(value) if len(value) > 10 else None
    if parsed is None:
        day = parse_date(value.replace("/", "-")[:10]) if len(value) >= 10 else None
        if day is None:
            return False
        parsed = datetime.combine(day, time(9, 0))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _split(value: str, separators: str = ",; ") -> list[str]:
    parts = [value]
    for sep in separators:
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _to_data(mapped: dict[str, str], job: ImportJob, resolver: _Resolver) -> tuple[FeedbackData, list[str]]:
    problems: list[str] = []
    source = _parse_source(mapped.get("source", ""), job.default_source)
    if source is None:
        problems.append(str(_("source: unknown value “%(value)s”.") % {"value": mapped.get("source", "")[:40]}))
    impact_raw = mapped.get("impact", "").casefold()
    impact = IMPACT_ALIASES.get(impact_raw, "") if impact_raw else ""
    if impact_raw and not impact:
        problems.append(str(_("impact: unknown value “%(value)s”.") % {"value": impact_raw[:40]}))
    area = None
    if mapped.get("product_area"):
        area = resolver.areas.get(mapped["product_area"].casefold())
        if area is None:
            problems.append(str(_("product area: unknown “%(value)s”.") % {"value": mapped["product_area"][:60]}))
    received = _parse_received(mapped.get("received_at", ""))
    if received is False:
        problems.append(str(_("received at: not a date (use 2025-03-31 or 2025-03-31T14:05).")))
        received = None
    language = (mapped.get("language") or Language.EN).casefold()[:2]
    account_name = mapped.get("account", "")[:200]
    data = FeedbackData(
        title=mapped.get("title", "")[:250],
        problem=mapped.get("problem", ""),
        source=source or job.default_source,
        evidence=mapped.get("evidence", ""),
        links=_split(mapped.get("links", ""), " ,;\n"),
        account=resolver.accounts.get(account_name.casefold()) if account_name else None,
        contact_name=mapped.get("contact_name", ""),
        impact=impact,
        product_area=area,
        language=language,
        tags=_split(mapped.get("tags", "")),
        external_id=mapped.get("external_id", ""),
        received_at=received if isinstance(received, datetime) else None,
    )
    return data, problems


def _validate_pass(job: ImportJob) -> tuple[int, list[dict[str, Any]], set[str]]:
    """Reads every row: (row count, per-row errors, account names not known yet)."""
    policy = selectors.get_policy()
    resolver = _Resolver()
    mapping = mapping_for(job)
    errors: list[dict[str, Any]] = []
    unknown_accounts: set[str] = set()
    count = 0
    truncated = [0]
    chunk: list[tuple[int, dict[str, str]]] = []

    def flush() -> None:
        resolver.load_accounts({m.get("account", "") for _l, m in chunk})
        for line, mapped in chunk:
            data, problems = _to_data(mapped, job, resolver)
            if mapped.get("account") and data.account is None:
                unknown_accounts.add(mapped["account"][:200])
                # An account created at commit satisfies "account required".
                data.contact_name = data.contact_name or mapped["account"]
            field_errors = validate_feedback_data(data, policy=policy)
            if mapped.get("account") and "account" in field_errors:
                del field_errors["account"]
            problems += [f"{name}: {message}" for name, messages in field_errors.items() for message in messages]
            if problems and len(errors) < MAX_REPORTED_ERRORS:
                errors.append({"row": line, "errors": problems})
            elif problems:
                truncated[0] += 1
        chunk.clear()

    for line, row in _rows(job):
        count += 1
        chunk.append((line, map_row(row, mapping)))
        if len(chunk) >= CHUNK:
            flush()
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=count)
    flush()
    if truncated[0]:
        errors.append({"row": None, "errors": [str(_("…and %(count)s more bad rows.") % {"count": truncated[0]})]})
    return count, errors, unknown_accounts


#: Fields whose Python value is already what the driver takes (no conversion per row).
_PLAIN_FIELDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)
#: Rows per INSERT statement (SQLite allows 32,766 parameters; Feedback has ~36 columns).
_INSERT_ROWS = 800


def _insert_rows(model: type[Model], objects: list[Any]) -> None:
    """Inserts model instances with multi-row INSERT … RETURNING id and sets their pk.

    Same rows as `bulk_create` (same columns, defaults already on the instances, auto_now set,
    values prepared by each field when they need it), without Django compiling every value of
    every row through the ORM: that compilation was half of the import's time.
    """
    if not objects:
        return
    meta = model._meta
    db = connections[connection.alias]  # the real wrapper: the `connection` proxy costs a lookup per use
    fields = [f for f in meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
    converters: list[Any] = []
    for field in fields:
        kind = field.get_internal_type()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            converters.append(lambda obj, f=field: f.get_db_prep_save(f.pre_save(obj, True), db))
        elif kind in _PLAIN_FIELDS:
            converters.append(operator.attrgetter(field.attname))
        else:
            converters.append(lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname), db))
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _INSERT_ROWS):
            batch = objects[start : start + _INSERT_ROWS]
            params = [convert(obj) for obj in batch for convert in converters]
            cursor.execute(
                f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {', '.join([row_marks] * len(batch))} "  # noqa: S608
                f"RETURNING {qn(str(pk.column))}",
                params,
            )
            for obj, (new_pk,) in zip(batch, cursor.fetchall(), strict=True):
                setattr(obj, pk.attname, new_pk)
                obj._state.adding = False
                obj._state.db = connection.alias


def _insert_values(model: type[Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERT of ready database values (no RETURNING: the ids are not needed)."""
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in columns)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = 30000 // len(columns)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES {', '.join([row_marks] * len(batch))}",  # noqa: S608
                [value for row in batch for value in row],
            )


def _commit_pass(job: ImportJob, unknown_accounts: set[str]) -> tuple[int, int]:
    """Writes every row in the caller's transaction: (created, skipped as already imported)."""
    resolver = _Resolver()
    mapping = mapping_for(job)
    criteria = selectors.active_criteria()
    policy = selectors.get_policy()
    now = timezone.now()
    actor_id = job.created_by_id
    adapt_at = connections[connection.alias].ops.adapt_datetimefield_value
    team = ""
    if job.created_by is not None:
        from guilde.feedback.services.intake import _submitter_team

        team = _submitter_team(job.created_by)
    if unknown_accounts:
        names = {n.casefold(): n for n in unknown_accounts}
        existing = set(
            CustomerAccount.objects.filter(search_name__in=list(names)).values_list("search_name", flat=True)
        )
        CustomerAccount.objects.bulk_create(
            [CustomerAccount(name=n, search_name=k) for k, n in names.items() if k not in existing], batch_size=500
        )
    created = skipped = 0
    seen: set[tuple[str, str]] = set()
    chunk: list[dict[str, str]] = []

    def flush() -> None:
        nonlocal created, skipped
        resolver.load_accounts({m.get("account", "") for m in chunk})
        items: list[Feedback] = []
        for mapped in chunk:
            data, _problems = _to_data(mapped, job, resolver)
            validate_feedback_data(data, policy=policy)
            key = (data.source, data.external_id)
            if data.external_id and key in seen:
                skipped += 1
                continue
            seen.add(key)
            items.append(build_feedback(data, submitter=job.created_by, team=team, criteria=criteria, now=now))
        keyed = {(f.source, f.external_id) for f in items if f.external_id}
        already: set[tuple[str, str]] = set()
        if keyed:
            sources = {s for s, _e in keyed}
            ids = [e for _s, e in keyed]
            already = set(
                Feedback.objects.filter(source__in=sources, external_id__in=ids).values_list("source", "external_id")
            )
        fresh = [f for f in items if not (f.external_id and (f.source, f.external_id) in already)]
        skipped += len(items) - len(fresh)
        _insert_rows(Feedback, fresh)
        aggregates.record(after=[aggregates.state_of(f) for f in fresh], policy=policy)
        # The first history row of each: plain tuples, no model instance per row.
        _insert_values(
            StatusChange,
            ("feedback_id", "actor_id", "at", "from_status", "to_status", "note"),
            [(f.pk, actor_id, adapt_at(f.received_at), "", FeedbackStatus.NEW.value, "") for f in fresh],
        )
        created += len(fresh)
        chunk.clear()

    for _line, row in _rows(job):
        chunk.append(map_row(row, mapping))
        if len(chunk) >= CHUNK:
            flush()
    flush()
    return created, skipped


def run_import_job(*, job_id: int) -> str:
    """Validates, then commits all-or-nothing. Returns the final status."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, started_at=timezone.now(), processed_rows=0, errors=[]
    )
    try:
        total, errors, unknown_accounts = _validate_pass(job)
    except (UnicodeDecodeError, csv.Error) as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.INVALID,
            errors=[
                {"row": 0, "errors": [str(_("The file could not be read as UTF-8 CSV: %(error)s") % {"error": exc})]}
            ],
            finished_at=timezone.now(),
        )
        return ImportStatus.INVALID
    if errors:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.INVALID,
            total_rows=total,
            processed_rows=total,
            errors=errors,
            finished_at=timezone.now(),
        )
        return ImportStatus.INVALID
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, total_rows=total, processed_rows=total)
    try:
        with transaction.atomic():
            created, skipped = _commit_pass(job, unknown_accounts)
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            errors=[{"row": 0, "errors": [str(_("Nothing was imported: %(error)s") % {"error": exc})]}],
            finished_at=timezone.now(),
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, created_count=created, skipped_count=skipped, finished_at=timezone.now()
    )
    return ImportStatus.DONE


# --- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "id",
    "received_at",
    "status",
    "title",
    "problem",
    "evidence",
    "source",
    "impact",
    "product_area",
    "account",
    "contact_name",
    "submitter",
    "submitter_team",
    "quality_score",
    "processed_at",
    "resolved_at",
    "external_id",
]
CONFIDENTIAL_COLUMNS = ["segment", "plan", "arr", "currency"]


class _Echo:
    def write(self, value: str) -> str:
        return value


_FORMULA_START = frozenset("=+-@\t\r")


def _safe(value: Any) -> str:
    """Neutralises spreadsheet formulas (CSV injection) in user-provided text."""
    if value is None or value == "":
        return ""
    text = value if value.__class__ is str else str(value)
    return "'" + text if text[0] in _FORMULA_START else text


#: What the export reads per row: plain values, no model instances (50,000+ rows/s).
_EXPORT_VALUES = (
    "pk",
    "received_at",
    "status",
    "title",
    "problem",
    "evidence",
    "source",
    "impact",
    "product_area__name_en",
    "account__name",
    "contact_name",
    "submitter__full_name",
    "submitter__email",
    "submitter_team",
    "quality_score",
    "processed_at",
    "resolved_at",
    "external_id",
    "account__owner_id",
    "segment__key",
    "plan",
    "arr",
    "currency",
)


def export_csv(*, viewer: Any, filters: InboxFilters, chunk_size: int = 2000) -> Iterator[str]:
    """CSV lines of a filtered inbox view, streamed (for StreamingHttpResponse). Confidential
    columns are filled only where the viewer may see them."""
    writer = csv.writer(_Echo())
    product = sees_confidential(viewer, None)
    viewer_pk = getattr(viewer, "pk", None)
    yield writer.writerow(EXPORT_COLUMNS + CONFIDENTIAL_COLUMNS)
    rows = selectors.export_rows(viewer=viewer, filters=filters).values_list(*_EXPORT_VALUES)
    hidden = ["", "", "", ""]
    for (
        pk,
        received_at,
        status,
        title,
        problem,
        evidence,
        source,
        impact,
        area,
        account,
        contact,
        submitter_name,
        submitter_email,
        team,
        quality,
        processed_at,
        resolved_at,
        external_id,
        owner_id,
        segment,
        plan,
        arr,
        currency,
    ) in rows.iterator(chunk_size=chunk_size):
        line = [
            pk,
            received_at.isoformat(),
            status,
            _safe(title),
            _safe(problem),
            _safe(evidence),
            source,
            impact,
            area or "",
            _safe(account or ""),
            _safe(contact),
            _safe(submitter_name or submitter_email or ""),
            _safe(team),
            quality,
            processed_at.isoformat() if processed_at else "",
            resolved_at.isoformat() if resolved_at else "",
            _safe(external_id),
        ]
        if product or (owner_id is not None and owner_id == viewer_pk):
            line += [segment or "", _safe(plan), arr, currency]
        else:
            line += hidden
        yield writer.writerow(line)
