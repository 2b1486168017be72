"""Badges and small formatting helpers of the feedback pages."""

import html
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, timesince_filter
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from guilde.core.templatetags.guilde import relative_time
from guilde.feedback.enums import FeedbackStatus, OpportunityStatus, SourceChannel

register = template.Library()

# One colour per meaning across modules (see the UI guide): grey new, blue in progress,
# indigo planned, green done, red declined, amber at risk.
FEEDBACK_TONES: dict[str, str] = {
    FeedbackStatus.NEW: "new",
    FeedbackStatus.PROCESSED: "progress",
    FeedbackStatus.PLANNED: "planned",
    FeedbackStatus.RESOLVED: "done",
    FeedbackStatus.DECLINED: "declined",
    FeedbackStatus.DUPLICATE: "muted",
}
OPPORTUNITY_TONES: dict[str, str] = {
    OpportunityStatus.CANDIDATE: "new",
    OpportunityStatus.NOW: "progress",
    OpportunityStatus.NEXT: "planned",
    OpportunityStatus.LATER: "planned-soft",
    OpportunityStatus.SHIPPED: "done",
}


@register.simple_tag(takes_context=True)
def status_badge(context: Any, status: str, policy: Any = None) -> SafeString:
    """A feedback status as a badge with text, using product ops' custom wording if any.

    Built once per (status, policy) in a render: the inbox shows 50 rows of a handful of statuses,
    and each label is a lookup in the policy's wording then a translation."""
    memo = context.render_context.setdefault("feedback_status_badge", {})
    key = (status, id(policy))
    if key not in memo:
        label = policy.status_label(status) if policy is not None else FeedbackStatus(status).label
        memo[key] = format_html('<span class="badge badge-tone-{}">{}</span>', FEEDBACK_TONES.get(status, "new"), label)
    return memo[key]


SOURCE_LABELS: dict[str, Any] = dict(SourceChannel.choices)


@register.simple_tag
def source_label(value: str) -> str:
    """What `feedback.get_source_display` says, from a map built once: the model method rebuilds a
    dict of every choice on each call (a fifth of an inbox row's cost)."""
    return str(SOURCE_LABELS.get(value, value))


@register.simple_tag
def select_label(title: str) -> SafeString:
    """ "Select “title”", an inbox row's checkbox label: the msgid of the `{% blocktranslate %}`
    it replaces, without a template node rendering per row."""
    return mark_safe(gettext("Select “%(title)s”") % {"title": conditional_escape(title)})  # noqa: S308 -- title escaped


@register.simple_tag
def move_label(title: str) -> SafeString:
    """ "Move “title” to", a roadmap card's column picker label (same msgid as the
    `{% blocktranslate %}` it replaces)."""
    return mark_safe(gettext("Move “%(title)s” to") % {"title": conditional_escape(title)})  # noqa: S308 -- title escaped


@register.simple_tag
def roadmap_badge(status: str) -> SafeString:
    label = OpportunityStatus(status).label if status in OpportunityStatus.values else status
    return format_html('<span class="badge badge-tone-{}">{}</span>', OPPORTUNITY_TONES.get(status, "new"), label)


@register.filter
def step5(value: Any) -> int:
    """A 0-100 value rounded to the 5 % steps of the w-pct-* classes."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(min(100, max(0, round(number / 5) * 5)))


@register.filter
def quality_tone(score: Any, bar: Any = 60) -> str:
    try:
        return "success" if int(score) >= int(bar) else ("warning" if int(score) >= int(bar) // 2 else "danger")
    except (TypeError, ValueError):
        return "secondary"


@register.simple_tag(takes_context=True)
def select_options(context: Any, choices: Any, selected: Any = None) -> SafeString:
    """The `<option>`s of a short choice list, the `selected` value marked.

    One tag call per row instead of a template loop with a lazy translation per option: on the
    roadmap this is 300 selects of 4 options, most of the page's rendering time. Built once per
    (list, selected value) in a render: the list object lives as long as the render.
    """
    selected = "" if selected is None else str(selected)
    memo = context.render_context.setdefault("feedback_select_options", {})
    key = (id(choices), selected)
    if key not in memo:
        memo[key] = _options(choices, selected)
    return memo[key]


def _options(choices: Any, selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if str(value) == selected else "", label) for value, label in choices),
    )


DRIVER_LABELS: dict[str, Any] = {
    "accounts": _("Accounts"),
    "arr": _("ARR at stake"),
    "segments": _("Segments"),
    "recency": _("Recency"),
}


@register.simple_tag
def driver_label(key: str) -> str:
    """A priority driver's name (what `_driver_label.html` says), without an include per driver."""
    return str(DRIVER_LABELS.get(key, _("Strategic fit")))


def _flat_attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's `attrs.html` writes them: in order, `True` bare, `False` left out."""
    return "".join(
        f" {_escaped(name)}" if value is True else f' {_escaped(name)}="{_escaped(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _escaped(value: Any) -> str:
    """`conditional_escape`, its common case first: a plain string is `html.escape`d, which is what
    Django's `escape` does without its lazy-string checks (most of a 200-option select's cost)."""
    return html.escape(value) if type(value) is str else str(conditional_escape(value))


@register.simple_tag
def fast_widget(field: Any) -> SafeString:
    """A bound field's widget, as `{{ field }}` renders it; a plain `<select>` built in Python.

    Django renders every `<option>` through its own template include (~40 µs each) after building
    a dict of a dozen keys for it (`optgroups`), and the inbox has ~300 options, 200 of them in the
    bulk "link to opportunity" list. The markup is that of `django/forms/widgets/select.html`
    minus the whitespace between options, with Django's rules: options inherit no attribute,
    `None` is "", the first option whose value matches is selected. Any other widget (a multiple
    select, a select with its own templates, a localized field) falls back to the normal rendering.
    """
    widget = field.field.widget
    if (
        getattr(widget, "template_name", None) != "django/forms/widgets/select.html"
        or getattr(widget, "option_template_name", None) != "django/forms/widgets/select_option.html"
        or getattr(widget, "allow_multiple_selected", True)
        or getattr(widget, "option_inherits_attrs", True)
        or field.field.localize
    ):
        return SafeString(str(field))
    # What `BoundField.as_widget` passes to the widget: required, aria-*, the id.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    selected = widget.format_value(field.value())
    parts: list[str] = [
        f'<select name="{_escaped(field.html_name)}"{_flat_attrs(widget.build_attrs(widget.attrs, attrs))}>'
    ]
    has_selected = False
    for value, label in widget.choices:
        group = isinstance(label, (list, tuple))
        if group:
            parts.append(format_html('<optgroup label="{}">', "" if value is None else value))
        for option_value, option_label in label if group else [("" if value is None else value, label)]:
            text = str(option_value)
            mark = ""
            if not has_selected and text in selected:
                has_selected, mark = True, " selected"
            parts.append(f'<option value="{html.escape(text)}"{mark}>{_escaped(option_label)}</option>')
        if group:
            parts.append("</optgroup>")
    parts.append("</select>")
    return SafeString("".join(parts))


@lru_cache(maxsize=8192)
def _count_text(language: str | None, kind: str, n: int) -> str:
    # Kept for the process, per language: `ngettext` evaluates the plural formula of every loaded
    # catalogue in turn, and a roadmap or inbox page asks for ~100 different numbers. Catalogues
    # do not change while the process runs; `language` is only part of the key. The msgids are
    # those of the `{% blocktranslate count %}` this replaces, so the catalogue is unchanged.
    if kind == "account":
        return ngettext("%(counter)s account", "%(counter)s accounts", n) % {"counter": n}
    if kind == "customer":
        return ngettext("%(counter)s more customer", "%(counter)s more customers", n) % {"counter": n}
    return ngettext("%(counter)s feedback", "%(counter)s feedbacks", n) % {"counter": n}


@register.simple_tag
def count_text(kind: str, n: int) -> str:
    """ "3 feedbacks" / "1 account" / "2 more customers", translated once per language and number."""
    return _count_text(get_language(), kind, n)


@register.simple_tag
def row_time(value: Any) -> SafeString:
    """What core's `{% relative_time %}` writes, built in Python for table rows.

    The inclusion tag renders `core/_relative_time.html` in a new context for every row (~0.1 ms
    each, a fifth of the inbox's 50 rows); this keeps core's rules (`relative_time` decides "just
    now" / "… ago" / the date) and writes the same markup directly.
    """
    facts = relative_time(value)
    when = facts["value"]
    if not when:
        return SafeString("—")
    if facts["just_now"]:
        text = gettext("just now")
    elif facts["recent"]:
        text = gettext("%(ago)s ago") % {"ago": timesince_filter(when)}
    else:
        text = date_filter(when, "DATE_FORMAT")
    # `when` is already local time: its isoformat() is what the "c" date format writes.
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', when.isoformat(), date_filter(when, "DATETIME_FORMAT"), text
    )


# The format characters whose text is a translation, and the part of the value that text depends
# on (see django.utils.dateformat).
_TRANSLATED_PARTS: dict[str, Callable[[datetime], Any]] = {
    "a": lambda d: d.hour > 11,
    "A": lambda d: d.hour > 11,
    "b": lambda d: d.month,
    "E": lambda d: d.month,
    "F": lambda d: d.month,
    "M": lambda d: d.month,
    "N": lambda d: d.month,
    "D": lambda d: d.weekday(),
    "l": lambda d: d.weekday(),
    "P": lambda d: (d.hour, d.minute),
}
# Their texts, per (language, character, part): a few thousand at most ("P" has one per minute of
# the day). Kept for the process, like `_count_text`: catalogues do not change while it runs.
_TRANSLATED_TEXTS: dict[tuple[str | None, str, Any], str] = {}


class DateTexts:
    """The `date` filter with one format (a name such as "DATE_FORMAT", or a format string), for
    many local datetimes in the language active when it was made (one render's).

    The filter parses its format with two regular expressions on every call and looks a month
    name or "p.m." up in the catalogue each time (~15 µs, most of an inbox row). This parses the
    format once and each translated part once per process; every other part is Django's `DateFormat`.
    """

    def __init__(self, format_name: str) -> None:
        pieces = re_formatchars.split(str(get_format(format_name)))
        # Odd pieces are format characters, even ones literal text (escapes removed), as `Formatter.format`.
        self.pieces = [
            (piece, True) if i % 2 else (re_escaped.sub(r"\1", piece), False) for i, piece in enumerate(pieces)
        ]
        self.language = get_language()

    def __call__(self, when: datetime) -> str:
        formatter = DateFormat(when)
        parts = []
        for piece, is_format in self.pieces:
            if not is_format:
                parts.append(piece)
                continue
            depends_on = _TRANSLATED_PARTS.get(piece)
            if depends_on is None:
                parts.append(str(getattr(formatter, piece)()))
                continue
            key = (self.language, piece, depends_on(when))
            text = _TRANSLATED_TEXTS.get(key)
            if text is None:
                text = _TRANSLATED_TEXTS[key] = str(getattr(formatter, piece)())
            parts.append(text)
        return "".join(parts)


class RowTimes:
    """`{% row_time %}` for the rows of one page: same rules and markup, the formats and phrases
    looked up once (make one per render: it keeps the language it was made in)."""

    def __init__(self) -> None:
        self.date = DateTexts("DATE_FORMAT")
        self.datetime = DateTexts("DATETIME_FORMAT")
        self.just_now = html.escape(gettext("just now"))
        self.ago = gettext("%(ago)s ago")

    def __call__(self, value: Any) -> str:
        facts = relative_time(value)
        when = facts["value"]
        if not when:
            return "—"
        if facts["just_now"]:
            text = self.just_now
        elif facts["recent"]:
            text = html.escape(self.ago % {"ago": timesince_filter(when)})
        else:
            text = html.escape(self.date(when))
        # `when` is already local time: its isoformat() is what the "c" date format writes.
        return f'<time datetime="{when.isoformat()}" title="{html.escape(self.datetime(when))}">{text}</time>'


@register.simple_tag
def drivers_bar(drivers: Any) -> SafeString:
    """The stacked score-breakdown bar (`_drivers.html`), built in Python.

    The ranking shows one per row, 5 drivers each: as template loops with a label and a number
    format per driver it was half of that page's rendering time.
    """
    if not drivers:
        return SafeString("")
    label = ", ".join(f"{driver_label(d['key'])} {floatformat(d['points'], 1)}" for d in drivers)
    bars = format_html_join(
        "",
        '<div class="progress w-pct-{}"><div class="progress-bar driver-{}"></div></div>',
        ((d["step"], d["key"]) for d in drivers if d["step"]),
    )
    return format_html(
        '<div class="progress-stacked progress-thin" role="img" aria-label="{}: {}">{}</div>',
        gettext("Score breakdown"),
        label,
        bars,
    )
