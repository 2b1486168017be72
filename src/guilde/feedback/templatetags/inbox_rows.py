"""The inbox's table rows, written in Python.

The inbox is the most opened page of the feedback module and shows 50 rows: as template nodes
they were ~0.2 ms each, most of the page's cost (every variable, filter and `{% if %}` is resolved
through Django's template machinery for each row). This writes the markup the row template wrote
(tests/feedback/test_inbox_rows.py compares both on rows covering every branch), with the same
helpers for labels, badges and times, each asked once per distinct value of the page.
"""

from datetime import datetime
from functools import cache
from html import escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from guilde.feedback.templatetags.feedback_tags import (
    RowTimes,
    count_text,
    quality_tone,
    source_label,
    status_badge,
)

register = template.Library()

# `html.escape` is what Django's `escape` does to a plain string, without its lazy-string checks
# (a fifth of the rows' cost); every value escaped here is a plain string from the database or
# a translation.


@register.simple_tag(takes_context=True)
def inbox_rows(
    context: Any, items: Any, *, policy: Any, product_side: bool, overdue_before: datetime, feedback_url: str
) -> SafeString:
    """One `<tr>` per `InboxRow` of `items` (`selectors.inbox_rows`)."""
    write = _RowWriter(
        context, policy=policy, product_side=product_side, overdue_before=overdue_before, feedback_url=feedback_url
    )
    return SafeString("".join(write(row) for row in items))


class _RowWriter:
    """Writes the rows of one render: labels translated once, each status, source, amount and
    quality tone formatted once per distinct value (a page has a handful of each)."""

    def __init__(
        self, context: Any, *, policy: Any, product_side: bool, overdue_before: datetime, feedback_url: str
    ) -> None:
        # Literal gettext calls, so that makemessages finds them.
        self.label = {
            key: escape(text)
            for key, text in {
                "status": gettext("Status"),
                "area": gettext("Area"),
                "source": gettext("Source"),
                "quality": gettext("Quality"),
                "arr": gettext("ARR"),
                "received": gettext("Received"),
            }.items()
        }
        overdue_label = escape(gettext("Overdue"))  # (not inside the f-string: makemessages would miss it)
        self.overdue = f' <span class="badge badge-tone-risk">{overdue_label}</span>'
        # The msgid of `select_label`, the `{% blocktranslate %}` the rows had.
        self.select = gettext("Select “%(title)s”")
        self.url = escape(feedback_url)
        self.french = get_language() == "fr"
        self.product_side = product_side
        self.overdue_before = overdue_before
        self.time = RowTimes()
        self.badge = cache(lambda status: status_badge(context, status, policy))
        self.source = cache(lambda source: escape(source_label(source)))
        self.tone = cache(lambda score: quality_tone(score, policy.quality_bar))
        self.amount = cache(lambda arr, currency: f"{floatformat(arr, '0g')} {escape(currency)}" if arr else "—")
        self.supporters = cache(_supporters)

    def __call__(self, f: Any) -> str:
        pk, label = f.pk, self.label
        who = escape(f.account_name or f.contact_name or "")
        late = self.overdue if f.status == "new" and f.received_at < self.overdue_before else ""
        area = escape(self.area_name(f)) if f.product_area_id is not None else "—"
        arr = ""
        if self.product_side:
            arr = (
                f'<td data-label="{label["arr"]}" class="text-md-end text-nowrap">{self.amount(f.arr, f.currency)}</td>'
            )
        select = self.select % {"title": escape(f.title)}
        return (
            "<tr>"
            '<td class="col-check">'
            f'<input class="form-check-input" type="checkbox" name="ids" value="{pk}" id="sel-{pk}" '
            'form="bulk-form" data-row-check> '
            f'<label class="visually-hidden" for="sel-{pk}">{select}</label>'
            "</td>"
            "<td>"
            f'<a class="fw-semibold" href="{self.url}{pk}/" data-row-link>{escape(f.title)}</a> '
            f'<div class="small text-body-secondary">{who}{self.supporters(f.supporter_count)}</div>'
            "</td>"
            f'<td data-label="{label["status"]}">{self.badge(f.status)}{late}</td>'
            f'<td data-label="{label["area"]}">{area}</td>'
            f'<td data-label="{label["source"]}">{self.source(f.source)}</td>'
            f'<td data-label="{label["quality"]}">'
            f'<span class="text-{self.tone(f.quality_score)}-emphasis fw-semibold">{f.quality_score}%</span></td>'
            f"{arr}"
            f'<td data-label="{label["received"]}" class="text-nowrap">{self.time(f.received_at)}</td>'
            "</tr>"
        )

    def area_name(self, f: Any) -> str:
        """What `ProductArea.name` says (French falls back to English), from the row's two names."""
        return (f.area_name_fr or f.area_name_en) if self.french else f.area_name_en


def _supporters(count: int) -> str:
    """ "· 3 more customers" after the submitter's name, when others asked too."""
    if not count:
        return ""
    return f' · <i class="bi bi-people" aria-hidden="true"></i> {escape(count_text("customer", count))}'
