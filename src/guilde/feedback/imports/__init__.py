"""CSV import (column mapping, presets, preview, validation report, all-or-nothing commit) and CSV export.

An import runs in two streamed passes, so memory stays bounded at any size:
1. validate every row of the stored file (progress recorded on the ImportJob as it goes); any
   bad row → the job is `invalid` with a per-row report and nothing is written. While no row
   has failed, the rows as validated are spooled to a temporary file, one chunk at a time, so
   the second pass does not parse and validate them again;
2. commit every spooled row in one transaction, chunk by chunk (plain values, no model instance
   per row; multi-row INSERT on SQLite, COPY on PostgreSQL, on a writer thread that overlaps
   the next chunk's preparation); rows whose (source, external_id) already exists are skipped,
   so importing the same file twice adds nothing. The search index follows by the table's own
   means (SQLite triggers, PostgreSQL generated column); the KPI aggregates are summed in
   memory and written once, in the same transaction.
Progress during pass 2 is not visible until it commits (it is one transaction by design).

One job per module; everything is re-exported here so `imports.<name>` keeps working.
"""

from __future__ import annotations

from guilde.feedback.imports._common import CHUNK, _mapped_rows, _rows
from guilde.feedback.imports.export import (
    _EXPORT_VALUES,
    _FORMULA_START,
    CONFIDENTIAL_COLUMNS,
    EXPORT_COLUMNS,
    _Echo,
    _safe,
    export_csv,
)
from guilde.feedback.imports.jobs import MAX_FILE_BYTES, create_import_job, preview, start_import
from guilde.feedback.imports.parsing import (
    _SOURCE_VALUES,
    IMPACT_ALIASES,
    _parse_received,
    _parse_source,
    _Resolver,
    _split,
    _to_data,
)
from guilde.feedback.imports.presets import FIELDS, PRESET_SOURCES, PRESETS, headers_of, map_row, mapping_for
from guilde.feedback.imports.runner import run_import_job
from guilde.feedback.imports.validation import MAX_REPORTED_ERRORS, SPOOLED, _validate_pass
from guilde.feedback.imports.writing import SQLITE_IMPORT_CACHE_KIB, _commit_pass, _FeedbackRows, _insert

__all__ = [
    "CHUNK",
    "CONFIDENTIAL_COLUMNS",
    "EXPORT_COLUMNS",
    "FIELDS",
    "IMPACT_ALIASES",
    "MAX_FILE_BYTES",
    "MAX_REPORTED_ERRORS",
    "PRESETS",
    "PRESET_SOURCES",
    "SPOOLED",
    "SQLITE_IMPORT_CACHE_KIB",
    "_EXPORT_VALUES",
    "_FORMULA_START",
    "_SOURCE_VALUES",
    "_Echo",
    "_FeedbackRows",
    "_Resolver",
    "_commit_pass",
    "_insert",
    "_mapped_rows",
    "_parse_received",
    "_parse_source",
    "_rows",
    "_safe",
    "_split",
    "_to_data",
    "_validate_pass",
    "create_import_job",
    "export_csv",
    "headers_of",
    "map_row",
    "mapping_for",
    "preview",
    "run_import_job",
    "start_import",
]
