"""Pass 1 of an import: validate every row, nothing written."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.imports._common import CHUNK, _rows
from guilde.feedback.imports.parsing import _Resolver, _to_data
from guilde.feedback.imports.presets import map_row, mapping_for
from guilde.feedback.models import ImportJob
from guilde.feedback.services import validate_feedback_data

MAX_REPORTED_ERRORS = 500


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
