"""The inbox's table rows, written in Python.

The inbox is the most opened page of the feedback module and shows 50 rows: as template nodes
they were ~0.2 ms each, most of the page's cost (every variable, filter and `{% if %}` is resolved
through Django's template machinery for each row). This writes the markup the row template wrote
(tests/feedback/test_inbox_rows.py compares both on rows covering every branch), with the same
helpers for labels, badges and times.
"""

from datetime import datetime
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from guilde.feedback.templatetags.feedback_tags import (
    count_text,
    quality_tone,
    row_time,
    select_label,
    source_label,
    status_badge,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_rows(
    context: Any, items: Any, *, policy: Any, product_side: bool, overdue_before: datetime, feedback_url: str
) -> SafeString:
    """One `<tr>` per feedback of `items` (account, area and the policy already loaded)."""
    # Literal gettext calls, so that makemessages finds them.
    label = {
        key: conditional_escape(text)
        for key, text in {
            "status": gettext("Status"),
            "area": gettext("Area"),
            "source": gettext("Source"),
            "quality": gettext("Quality"),
            "arr": gettext("ARR"),
            "received": gettext("Received"),
        }.items()
    }
    overdue_label = conditional_escape(gettext("Overdue"))  # (not inside the f-string: makemessages would miss it)
    overdue = f' <span class="badge badge-tone-risk">{overdue_label}</span>'
    people = ' · <i class="bi bi-people" aria-hidden="true"></i> '
    url = conditional_escape(feedback_url)
    rows = []
    for f in items:
        pk = f.pk
        who = (f.account.name if f.account is not None else "") or f.contact_name or ""
        supporters = ""
        if f.supporter_count:
            supporters = f"{people}{conditional_escape(count_text('customer', f.supporter_count))}"
        late = overdue if f.status == "new" and f.received_at < overdue_before else ""
        area = conditional_escape(f.product_area) if f.product_area else "—"
        tone = quality_tone(f.quality_score, policy.quality_bar)
        arr = ""
        if product_side:
            amount = f"{floatformat(f.arr, '0g')} {conditional_escape(f.currency)}" if f.arr else "—"
            arr = f'<td data-label="{label["arr"]}" class="text-md-end text-nowrap">{amount}</td>'
        rows.append(
            "<tr>"
            '<td class="col-check">'
            f'<input class="form-check-input" type="checkbox" name="ids" value="{pk}" id="sel-{pk}" '
            'form="bulk-form" data-row-check> '
            f'<label class="visually-hidden" for="sel-{pk}">{select_label(f.title)}</label>'
            "</td>"
            "<td>"
            f'<a class="fw-semibold" href="{url}{pk}/" data-row-link>{conditional_escape(f.title)}</a> '
            f'<div class="small text-body-secondary">{conditional_escape(who)}{supporters}</div>'
            "</td>"
            f'<td data-label="{label["status"]}">{status_badge(context, f.status, policy)}{late}</td>'
            f'<td data-label="{label["area"]}">{area}</td>'
            f'<td data-label="{label["source"]}">{conditional_escape(source_label(f.source))}</td>'
            f'<td data-label="{label["quality"]}">'
            f'<span class="text-{tone}-emphasis fw-semibold">{f.quality_score}%</span></td>'
            f"{arr}"
            f'<td data-label="{label["received"]}" class="text-nowrap">{row_time(f.received_at)}</td>'
            "</tr>"
        )
    return SafeString("".join(rows))
