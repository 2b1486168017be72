"""Pass 1 of an import: validate every row, nothing written."""

from __future__ import annotations

import pickle
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guilde.feedback import selectors
from guilde.feedback.imports._common import CHUNK, _mapped_rows
from guilde.feedback.imports.parsing import _Resolver, _to_data
from guilde.feedback.imports.presets import mapping_for
from guilde.feedback.models import ImportJob
from guilde.feedback.services import validate_feedback_data

MAX_REPORTED_ERRORS = 500

#: What the validation pass spools for each row, in this order (see `_validate_pass`).
SPOOLED = (
    "title",
    "problem",
    "source",
    "evidence",
    "links",
    "account_name",
    "contact_name",
    "impact",
    "product_area_id",
    "language",
    "tags",
    "external_id",
    "received_at",
)


def _validate_pass(job: ImportJob, spool: IO[bytes] | None = None) -> tuple[int, list[dict[str, Any]], set[str]]:
    """Reads every row: (row count, per-row errors, account names not known yet).

    With `spool`, the rows as validated (values cleaned, names of areas resolved) are also written
    to it, one pickled list per chunk of `SPOOLED` tuples, while no row has failed yet: the commit
    pass reads them back instead of parsing and validating the CSV a second time. Bounded memory:
    one chunk at a time, on disk.
    """
    policy = selectors.get_policy()
    zone = timezone.get_current_timezone()
    resolver = _Resolver()
    mapping = mapping_for(job)
    errors: list[dict[str, Any]] = []
    unknown_accounts: set[str] = set()
    count = 0
    truncated = [0]
    chunk: list[tuple[int, dict[str, str]]] = []

    def flush() -> None:
        resolver.load_accounts({m.get("account", "") for _l, m in chunk})
        valid: list[tuple[Any, ...]] = []
        for line, mapped in chunk:
            data, problems = _to_data(mapped, job, resolver, zone)
            # The contact as the file gives it: the fallback below only satisfies the policy.
            contact_name = data.contact_name.strip()
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
            elif spool is not None and not errors:
                area = data.product_area
                valid.append(
                    (
                        data.title,
                        data.problem,
                        data.source,
                        data.evidence,
                        data.links or [],
                        mapped.get("account", "")[:200],
                        contact_name,
                        data.impact,
                        area.pk if area is not None else None,
                        data.language,
                        data.tags or [],
                        data.external_id,
                        data.received_at,
                    )
                )
        if spool is not None and not errors and valid:
            pickle.dump(valid, spool, protocol=pickle.HIGHEST_PROTOCOL)
        chunk.clear()

    for line, mapped in _mapped_rows(job, mapping):
        count += 1
        chunk.append((line, mapped))
        if len(chunk) >= CHUNK:
            flush()
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=count)
    flush()
    if truncated[0]:
        errors.append({"row": None, "errors": [str(_("…and %(count)s more bad rows.") % {"count": truncated[0]})]})
    return count, errors, unknown_accounts
