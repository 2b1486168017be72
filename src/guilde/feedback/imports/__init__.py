"""CSV import (column mapping, presets, preview, validation report, all-or-nothing commit) and CSV export.

An import runs in two streamed passes over the stored file, so memory stays bounded at any size:
1. validate every row (progress recorded on the ImportJob as it goes); any bad row → the job is
   `invalid` with a per-row report and nothing is written;
2. commit every row in one transaction, in chunks with bulk_create; rows whose (source,
   external_id) already exists are skipped, so importing the same file twice adds nothing.
Progress during pass 2 is not visible until it commits (it is one transaction by design).

One job per module; everything is re-exported here so `imports.<name>` keeps working.
"""

from __future__ import annotations

from guilde.feedback.imports._common import CHUNK, _rows
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
from guilde.feedback.imports.validation import MAX_REPORTED_ERRORS, _validate_pass
from guilde.feedback.imports.writing import _INSERT_ROWS, _PLAIN_FIELDS, _commit_pass, _insert_rows, _insert_values

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
    "_EXPORT_VALUES",
    "_FORMULA_START",
    "_INSERT_ROWS",
    "_PLAIN_FIELDS",
    "_SOURCE_VALUES",
    "_Echo",
    "_Resolver",
    "_commit_pass",
    "_insert_rows",
    "_insert_values",
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
