"""`{% inbox_rows %}` writes what the inbox's row template wrote, row for row, in both languages."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from guilde.feedback import selectors
from guilde.feedback.enums import FeedbackStatus, SourceChannel
from guilde.feedback.models import Feedback
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
    now = timezone.now()
    area = ProductAreaFactory(name_en="Billing & <invoices>", name_fr="Facturation & <factures>")
    account = CustomerAccountFactory(name="Acme & Sons")
    FeedbackFactory(title='Export "PDF" <fails>', account=account, product_area=area, arr=Decimal("1234567.89"))
    FeedbackFactory(
        title="Overdue one", contact_name="Jane O'Hara", received_at=now - timedelta(days=40), supporter_count=3
    )
    FeedbackFactory(title="Just one more", supporter_count=1, status=FeedbackStatus.PROCESSED, quality_score=90)
    FeedbackFactory(title="Nobody", source=SourceChannel.SALES_CALL, quality_score=10, arr=Decimal("0"))
    return list(Feedback.objects.select_related("account", "product_area").order_by("pk"))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("product_side", [True, False])
def test_the_rows_are_those_the_template_wrote(rows, language, product_side):
    policy = selectors.get_policy()
    values = {
        "items": rows,
        "policy": policy,
        "product_side": product_side,
        "overdue_before": timezone.now() - timedelta(days=policy.processing_sla_days),
        "feedback_url": "/feedback/",
    }
    with translation.override(language):
        expected = Template(REFERENCE).render(Context(values))
        written = Template(NEW).render(Context(values))
    assert _normalised(written) == _normalised(expected)
    assert "Acme &amp; Sons" in written
    assert "&lt;fails&gt;" in written
