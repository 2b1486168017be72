"""The mapping page's preview: the first rows of a CSV import with the field errors each would get.

Uses only public names of `imports` and `services`. Reading a row the way the import does
(source and impact aliases, product areas and dates by name) is private to `imports`: the preview
checks what the useful-feedback definition requires, and the import itself reports the rest,
row by row, keeping nothing of a file with a bad row.
"""

from __future__ import annotations

from typing import Any

from guilde.feedback import imports, selectors
from guilde.feedback.enums import Impact, SourceChannel
from guilde.feedback.models import ImportJob
from guilde.feedback.services import FeedbackData, validate_feedback_data

#: Fields the import resolves by name or alias ("urgent", "Acme"): when given, the preview trusts them.
RESOLVED_BY_NAME = ("account", "product_area", "impact")


def _as_list(value: str) -> list[str]:
    return [part for part in value.replace(";", ",").replace("\n", ",").split(",") if part.strip()]


def preview_with_errors(job: ImportJob, *, rows: int = 10) -> list[dict[str, Any]]:
    """The first rows as they will be read (line numbers as in a spreadsheet, header = 1), each
    with the required-field problems the import would report."""
    policy = selectors.get_policy()
    sample = imports.preview(job, rows=rows)["rows"]
    result = []
    for index, mapped in enumerate(sample):
        source = mapped.get("source", "").strip().casefold().replace(" ", "_")
        impact = mapped.get("impact", "").strip().casefold()
        data = FeedbackData(
            title=mapped.get("title", "")[:250],
            problem=mapped.get("problem", ""),
            source=source if source in SourceChannel.values else job.default_source,
            evidence=mapped.get("evidence", ""),
            links=_as_list(mapped.get("links", "")),
            contact_name=mapped.get("contact_name", "") or mapped.get("account", ""),
            impact=impact if impact in Impact.values else "",
        )
        errors = validate_feedback_data(data, policy=policy)
        for name in RESOLVED_BY_NAME:
            if mapped.get(name):
                errors.pop(name, None)
        errors.pop("links", None)  # checked (with the file's separators) when the import runs
        problems = imports.problem_texts(errors)
        result.append({"line": index + 2, "values": mapped, "errors": problems})
    return result
