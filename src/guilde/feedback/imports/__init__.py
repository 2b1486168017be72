"""CSV import (column mapping, presets, preview, validation report, all-or-nothing commit) and CSV export.

An import reads the stored file as a stream, so memory stays bounded at any size:
1. a quick first read counts the rows and collects the account names (the total shows at once);
2. in one transaction: the accounts the file names are looked up, those missing created; then
   every row is checked, chunk by chunk, and while no row has failed each chunk of valid rows
   is written (plain values, no model instance per row; multi-row INSERT on SQLite, COPY on
   PostgreSQL, on a writer thread while this one checks the next chunk). Rows whose (source,
   external_id) already exists are skipped, so importing the same file twice adds nothing. The
   search index follows by the table's own means (SQLite triggers, PostgreSQL generated
   column); the KPI aggregates are summed in memory and written once at the end.
Any bad row → the writing stops and the transaction is rolled back at once (on SQLite it holds
the only write lock); the rest of the file is then read, outside it, for a per-row report, and
the job is `invalid`: nothing is written. The count of rows checked goes to
`imports.progress` (the job's row is inside the transaction, invisible until it ends).

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
from guilde.feedback.imports.validation import MAX_REPORTED_ERRORS, problem_texts, validated_chunks
from guilde.feedback.imports.writing import SQLITE_IMPORT_CACHE_KIB, _FeedbackRows, _import_pass, _insert

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
    "SQLITE_IMPORT_CACHE_KIB",
    "_EXPORT_VALUES",
    "_FORMULA_START",
    "_SOURCE_VALUES",
    "_Echo",
    "_FeedbackRows",
    "_Resolver",
    "_import_pass",
    "_insert",
    "_mapped_rows",
    "_parse_received",
    "_parse_source",
    "_rows",
    "_safe",
    "_split",
    "_to_data",
    "create_import_job",
    "export_csv",
    "headers_of",
    "map_row",
    "mapping_for",
    "preview",
    "problem_texts",
    "run_import_job",
    "start_import",
    "validated_chunks",
]
