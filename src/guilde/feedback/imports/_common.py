"""Shared pieces of the CSV import: chunk size and the streamed reading of the stored file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from guilde.feedback.models import ImportJob

CHUNK = 1000


def _rows(job: ImportJob) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, raw row) for each data row of the stored file, streamed."""
    with job.file.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(text)
        for row in reader:
            yield reader.line_num, {(k or "").strip(): (v or "") for k, v in row.items() if k is not None}
