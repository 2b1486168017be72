"""Shared pieces of the CSV import: chunk size and the streamed reading of the stored file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from guilde.feedback.imports.presets import mapping_for
from guilde.feedback.models import ImportJob

CHUNK = 1000


def _rows(job: ImportJob) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, raw row) for each data row of the stored file, streamed."""
    with job.file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        for row in reader:
            yield reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items() if k is not None}


def _mapped_rows(job: ImportJob, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, `map_row(raw row, mapping)`) for each data row: the same values as `_rows`
    followed by `map_row`, read by column position instead of through a dict of every column.

    Same rules as `csv.DictReader`: the first row is the header, blank rows are skipped, a short
    row reads "" for its missing columns, and when two headers are the same the last one wins.
    """
    with job.file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            return
        position = {name.strip(): index for index, name in enumerate(header)}
        columns = [(field, position.get(column, -1)) for field, column in mapping.items()]
        for row in reader:
            if not row:
                continue
            width = len(row)
            yield (
                reader.line_num,
                {field: row[index].strip() if 0 <= index < width else "" for field, index in columns},
            )


def account_names(job: ImportJob) -> tuple[int, set[str]]:
    """(rows, account names) of the file: a quick first read, before anything is written."""
    column = mapping_for(job).get("account")
    rows, names = 0, set()
    for _line, mapped in _mapped_rows(job, {"account": column} if column else {}):
        rows += 1
        if mapped.get("account"):
            names.add(mapped["account"][:200])
    return rows, names
