"""The inbox's per-row and per-page shortcuts write exactly what the template code they replace
wrote: same markup, same translations, in English and in French."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from guilde.accounts.enums import Role
from guilde.feedback import selectors
from guilde.feedback.enums import FeedbackStatus, SourceChannel
from guilde.feedback.forms import BulkForm, InboxFilterForm
from guilde.feedback.models import Feedback, FeedbackPolicy
from guilde.feedback.templatetags.feedback_tags import fast_widget, row_time, source_label
from tests.factories.accounts import UserFactory
from tests.factories.feedback import (
    FeedbackFactory,
    FeedbackSupporterFactory,
    OpportunityFactory,
    ProductAreaFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

TRICKY = 'R&D <b>"exports"</b> l\u2019été'  # an escaped character of each kind


def render(source, **context):
    return Template("{% load i18n l10n feedback_tags %}" + source).render(Context(context))


def as_django_writes_it(field):
    """The field through Django's own widget templates, whitespace between tags dropped."""
    field.form.renderer = DjangoTemplates()
    return re.sub(r">\s+<", "><", str(field)).strip()


def _filter_form(data):
    ProductAreaFactory(name_en=TRICKY, name_fr="Facturation & co")
    SegmentFactory(name_en="Enterprise")
    FeedbackPolicy.objects.update_or_create(pk=1, defaults={"status_labels": {"processed": {"en": "Qualified"}}})
    return InboxFilterForm(
        QueryDict(data),
        areas=selectors.product_areas(),
        segments=selectors.segments(),
        teams=["Sales", 'Support "EU"'],
        product_side=True,
        policy=selectors.get_policy(),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("data", ["", "status=processed&sort=arr&age=7to30", "team=Support+%22EU%22&status=bogus"])
def test_fast_widget_writes_the_filter_selects_as_django_does(language, data):
    with translation.override(language):
        form = _filter_form(data)
        selects = [f for f in form.visible_fields() if f.name in {"status", "area", "source", "segment", "team", "age"}]

        assert len(selects) == 6
        for field in selects:
            assert str(fast_widget(field)) == as_django_writes_it(field), field.name


def test_fast_widget_marks_the_chosen_options_and_escapes_values():
    form = _filter_form("status=processed&team=Support+%22EU%22")

    status = str(fast_widget(form["status"]))
    team = str(fast_widget(form["team"]))

    assert '<option value="processed" selected>Qualified</option>' in status
    assert status.count(" selected") == 1
    assert '<option value="Support &quot;EU&quot;" selected>Support &quot;EU&quot;</option>' in team


def test_fast_widget_writes_the_bulk_selects_as_django_does():
    areas = [ProductAreaFactory(name_en=TRICKY), ProductAreaFactory(name_en="Billing")]
    opportunity = OpportunityFactory(title="Export <all> invoices")
    form = BulkForm(
        QueryDict(f"action=link&area={areas[1].pk}&opportunity={opportunity.pk}"),
        areas=selectors.product_areas(),
        opportunities=selectors.open_opportunities(),
    )
    form.fields["opportunity"].widget.choices = selectors.opportunity_choices()

    for name in ("action", "area", "opportunity"):
        assert str(fast_widget(form[name])) == as_django_writes_it(form[name]), name
    assert f'<option value="{opportunity.pk}" selected>Export &lt;all&gt; invoices</option>' in str(
        fast_widget(form["opportunity"])
    )


def test_fast_widget_leaves_other_widgets_to_django():
    form = _filter_form("q=invoices&quality_min=40")

    assert str(fast_widget(form["quality_min"])) == str(form["quality_min"])
    assert str(fast_widget(form["q"])) == str(form["q"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_row_labels_say_what_the_blocktranslates_said(language):
    with translation.override(language):
        select = render("{% blocktranslate with title=t %}Select “{{ title }}”{% endblocktranslate %}", t=TRICKY)
        move = render("{% blocktranslate with title=t %}Move “{{ title }}” to{% endblocktranslate %}", t=TRICKY)

        assert render("{% select_label t %}", t=TRICKY) == select
        assert render("{% move_label t %}", t=TRICKY) == move
    assert "R&amp;D &lt;b&gt;&quot;exports&quot;&lt;/b&gt;" in select
    assert select.startswith("Sélectionner «\u202f" if language == "fr" else "Select “")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("n", [0, 1, 2, 1500])
def test_count_texts_say_what_the_plural_blocktranslates_said(language, n):
    with translation.override(language):
        for kind, singular, plural in [
            ("customer", "{{ counter }} more customer", "{{ counter }} more customers"),
            ("feedback", "{{ counter }} feedback", "{{ counter }} feedbacks"),
            ("account", "{{ counter }} account", "{{ counter }} accounts"),
        ]:
            expected = render(
                "{% localize off %}{% blocktranslate count counter=n %}"
                + singular
                + "{% plural %}"
                + plural
                + "{% endblocktranslate %}{% endlocalize %}",
                n=n,
            )
            assert render('{% count_text "' + kind + '" n %}', n=n) == expected


def test_count_text_follows_the_language_it_is_asked_in():
    with translation.override("en"):
        english = render('{% count_text "customer" 2 %}')
    with translation.override("fr"):
        french = render('{% count_text "customer" 2 %}')

    assert (english, french) == ("2 more customers", "2 clients de plus")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_source_labels_are_the_models_display_values(language):
    with translation.override(language):
        for value in SourceChannel.values:
            assert source_label(value) == Feedback(source=value).get_source_display()
        assert source_label("legacy_crm") == "legacy_crm"


def test_status_badges_use_the_policy_wording_once_per_render():
    FeedbackPolicy.objects.update_or_create(
        pk=1, defaults={"status_labels": {"processed": {"en": "Qualified", "fr": "Qualifié"}}}
    )
    policy = selectors.get_policy()

    with translation.override("fr"):
        html = render(
            "{% for s in statuses %}{% status_badge s policy %}{% endfor %}",
            statuses=["processed", "new", "processed"],
            policy=policy,
        )

    assert html == (
        '<span class="badge badge-tone-progress">Qualifié</span>'
        '<span class="badge badge-tone-new">Nouveau</span>'
        '<span class="badge badge-tone-progress">Qualifié</span>'
    )


def test_row_time_datetime_attribute_is_the_local_iso_date(settings):
    when = timezone.now() - timedelta(days=40)
    with timezone.override("Europe/Paris"):
        html = str(row_time(when))
        expected = render('{{ when|date:"c" }}', when=when)

    assert f'datetime="{expected}"' in html
    assert expected.endswith(("+01:00", "+02:00"))


def test_inbox_rows_show_links_labels_counts_and_badges(client):
    ops = UserFactory(role=Role.PRODUCT_OPS)
    client.force_login(ops)
    old = FeedbackFactory(
        title=TRICKY,
        source=SourceChannel.SALES_CALL,
        received_at=timezone.now() - timedelta(days=30),
        arr=Decimal(84000),
    )
    FeedbackSupporterFactory.create_batch(2, feedback=old)
    Feedback.objects.filter(pk=old.pk).update(supporter_count=2)
    fresh = FeedbackFactory(title="Fresh", status=FeedbackStatus.PROCESSED)

    html = client.get(reverse("feedback:inbox")).content.decode()

    assert f'<a class="fw-semibold" href="/feedback/{old.pk}/" data-row-link>R&amp;D' in html
    assert f'href="/feedback/{fresh.pk}/"' in html
    assert re.search("Select “R&amp;D &lt;b&gt;&quot;exports&quot;&lt;/b&gt; l\u2019été”\\s*</label>", html)
    assert "2 more customers" in html
    assert html.count('<span class="badge badge-tone-risk">Overdue</span>') == 1
    assert '<td data-label="Source">Sales call</td>' in html
    assert '<span class="badge badge-tone-progress">Processed</span>' in html
    assert "84,000 EUR" in html
