"""`{% inbox_rows %}` writes what the inbox's row template wrote, row for row, in both languages."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from guilde.accounts.enums import Role
from guilde.feedback import selectors
from guilde.feedback.enums import FeedbackStatus, SourceChannel
from guilde.feedback.models import Feedback
from guilde.feedback.selectors.triage import InboxFilters, inbox, inbox_rows
from guilde.feedback.templatetags.feedback_tags import DateTexts, RowTimes, row_time
from tests.factories.accounts import UserFactory
from tests.factories.feedback import CustomerAccountFactory, FeedbackFactory, ProductAreaFactory

# The rows as the inbox template wrote them before `{% inbox_rows %}` (the reference).
REFERENCE = """{% load i18n l10n feedback_tags %}
{% translate 'Status' as label_status %}{% translate 'Area' as label_area %}
{% translate 'Source' as label_source %}{% translate 'Quality' as label_quality %}
{% translate 'ARR' as label_arr %}{% translate 'Received' as label_received %}
{% translate "Overdue" as label_overdue %}
{% localize off %}
{% for f in items %}
  <tr>
    <td class="col-check">
      <input class="form-check-input" type="checkbox" name="ids" value="{{ f.pk }}" id="sel-{{ f.pk }}"
             form="bulk-form" data-row-check>
      <label class="visually-hidden" for="sel-{{ f.pk }}">
        {% select_label f.title %}
      </label>
    </td>
    <td>
      <a class="fw-semibold" href="{{ feedback_url }}{{ f.pk }}/" data-row-link>{{ f.title }}</a>
      <div class="small text-body-secondary">
        {{ f.account.name|default:f.contact_name|default:"" }}
        {% if f.supporter_count %}
          · <i class="bi bi-people" aria-hidden="true"></i>
          {% count_text "customer" f.supporter_count %}
        {% endif %}
      </div>
    </td>
    <td data-label="{{ label_status }}">
      {% status_badge f.status policy %}
      {% if f.status == "new" and f.received_at < overdue_before %}
        <span class="badge badge-tone-risk">{{ label_overdue }}</span>
      {% endif %}
    </td>
    <td data-label="{{ label_area }}">{{ f.product_area|default:"—" }}</td>
    <td data-label="{{ label_source }}">{% source_label f.source %}</td>
    <td data-label="{{ label_quality }}">
      <span class="text-{{ f.quality_score|quality_tone:policy.quality_bar }}-emphasis fw-semibold"
            >{{ f.quality_score }}%</span>
    </td>
    {% if product_side %}
      <td data-label="{{ label_arr }}" class="text-md-end text-nowrap">
        {% if f.arr %}
          {{ f.arr|floatformat:"0g" }} {{ f.currency }}
        {% else %}
          —
        {% endif %}
      </td>
    {% endif %}
    <td data-label="{{ label_received }}"
        class="text-nowrap">{% row_time f.received_at %}</td>
  </tr>
{% endfor %}
{% endlocalize %}"""

NEW = (
    "{% load inbox_rows %}{% inbox_rows items policy=policy product_side=product_side "
    "overdue_before=overdue_before feedback_url=feedback_url %}"
)


def _normalised(html: str) -> str:
    """What a browser shows the same: whitespace runs as one space, and none around the table
    cells, rows and blocks or at a label's edges (the template's indentation and line breaks).
    Spaces between inline content ("Jane · <i>…</i> 3 more customers") are kept and compared."""
    html = re.sub(r"\s+", " ", html).replace(" >", ">")
    html = re.sub(r"\s*(</?(?:tr|td|div)\b[^>]*>)\s*", r"\1", html)
    html = re.sub(r"(<label\b[^>]*>)\s+|\s+(</label>)", lambda m: m.group(1) or m.group(2), html)
    return html.strip()


@pytest.fixture
def rows(db):
    """The page's rows as the inbox reads them (`InboxRow`s), and the same feedback as model
    instances in the same order (what the reference template was given)."""
    now = timezone.now()
    area = ProductAreaFactory(name_en="Billing & <invoices>", name_fr="Facturation & <factures>")
    english_only = ProductAreaFactory(name_en="Mobile", name_fr="")
    account = CustomerAccountFactory(name="Acme & Sons")
    FeedbackFactory(title='Export "PDF" <fails>', account=account, product_area=area, arr=Decimal("1234567.89"))
    FeedbackFactory(
        title="Overdue one", contact_name="Jane O'Hara", received_at=now - timedelta(days=40), supporter_count=3
    )
    FeedbackFactory(title="Just one more", supporter_count=1, status=FeedbackStatus.PROCESSED, quality_score=90)
    FeedbackFactory(title="Nobody", source=SourceChannel.SALES_CALL, quality_score=10, arr=Decimal("0"))
    FeedbackFactory(
        title="Same day, other time",
        product_area=english_only,
        account=account,
        contact_name="Not shown",
        received_at=now - timedelta(days=40, hours=5),
        arr=Decimal("999.50"),
        currency="USD",
        supporter_count=3,
    )
    FeedbackFactory(title="Just now", received_at=now, status=FeedbackStatus.DECLINED, quality_score=60)
    FeedbackFactory(title="At noon", received_at=now.replace(month=1, day=5, hour=12, minute=0) - timedelta(days=400))
    page = inbox_rows(viewer=UserFactory(role=Role.PRODUCT_OPS))
    models = Feedback.objects.select_related("account", "product_area").in_bulk([row.pk for row in page.items])
    return page.items, [models[row.pk] for row in page.items]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("product_side", [True, False])
def test_the_rows_are_those_the_template_wrote(rows, language, product_side, zone):
    items, models = rows
    policy = selectors.get_policy()
    values = {
        "policy": policy,
        "product_side": product_side,
        "overdue_before": timezone.now() - timedelta(days=policy.processing_sla_days),
        "feedback_url": "/feedback/",
    }
    with translation.override(language), timezone.override(zone):
        expected = Template(REFERENCE).render(Context(values | {"items": models}))
        written = Template(NEW).render(Context(values | {"items": items}))
    assert _normalised(written) == _normalised(expected)
    assert "Acme &amp; Sons" in written
    assert "&lt;fails&gt;" in written


# The named formats, and a format with every character Django knows, escapes and literal text
# (the filter, like `get_format`, takes a format string as well as a name).
FORMATS = [
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    r"a A b c d D e E f F g G h H i I j l L m M n N o O",
]
FORMATS += [r"P r s S t T U u w W y Y z Z \a\t \\ x"]


def _instants():
    """Every month, weekday and hour; midnight and noon; both sides of a daylight-saving change."""
    start = datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    steps = [start + timedelta(days=d * 17, hours=d * 7, minutes=d * 13) for d in range(40)]
    paris_fall_back = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)
    return [*steps, paris_fall_back, paris_fall_back + timedelta(hours=1), datetime(2025, 6, 1, 10, 0, tzinfo=UTC)]


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "UTC"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_date_texts_write_what_the_date_filter_writes(language, zone):
    with translation.override(language), timezone.override(zone):
        named = {name: DateTexts(name) for name in FORMATS}
        for instant in _instants():
            when = timezone.localtime(instant)
            for name, texts in named.items():
                assert texts(when) == date_filter(when, name), (name, when)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_row_times_write_what_row_time_writes(language, db):
    now = timezone.now()
    values = [None, now, now - timedelta(seconds=30), now - timedelta(hours=5), now - timedelta(days=3)]
    values += [now - timedelta(days=d, minutes=d) for d in (7, 8, 40, 400)]
    with translation.override(language), timezone.override("Europe/Paris"):
        times = RowTimes()
        for value in values:
            assert times(value) == str(row_time(value)), value


@pytest.mark.parametrize("role", [Role.PRODUCT_OPS, Role.STAKEHOLDER])
@pytest.mark.parametrize("sort", ["newest", "oldest", "arr", "quality_low"])
def test_inbox_rows_are_the_inbox_pages_in_one_query(db, role, sort, django_assert_num_queries):
    viewer = UserFactory(role=role)
    account = CustomerAccountFactory(owner=viewer)
    FeedbackFactory.create_batch(3, account=account, arr=Decimal("500"), quality_score=40)
    FeedbackFactory.create_batch(2, submitter=viewer, arr=Decimal("900"), quality_score=70)
    FeedbackFactory(arr=Decimal("1000"))  # not the stakeholder's
    filters = InboxFilters(sort=sort)
    cursor = ""
    for _page in range(3):
        expected = inbox(viewer=viewer, filters=filters, cursor=cursor, page_size=2)
        with django_assert_num_queries(1):
            page = inbox_rows(viewer=viewer, filters=filters, cursor=cursor, page_size=2)
        assert [row.pk for row in page.items] == [f.pk for f in expected.items]
        assert page.next_cursor == expected.next_cursor
        cursor = page.next_cursor or ""
