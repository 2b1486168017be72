"""Importable fields, per-tool column presets, and the column mapping of a job."""

from __future__ import annotations

import csv
import io

from guilde.feedback.enums import ImportPreset, SourceChannel
from guilde.feedback.models import ImportJob

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
