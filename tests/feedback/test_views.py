"""The feedback pages: permissions per role, forms, htmx partials, conflicts and query counts."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.accounts.models import User
from guilde.core.home import _providers
from guilde.core.navigation import modules_for
from guilde.feedback import services
from guilde.feedback.enums import FeedbackStatus, OpportunityStatus
from guilde.feedback.models import Feedback, FeedbackPolicy, Opportunity, QualityCriterion, SavedView
from guilde.feedback.views.intake import home_section
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory
from tests.factories.feedback import (
    CustomerAccountFactory,
    FeedbackFactory,
    FeedbackOpportunityFactory,
    OpportunityFactory,
    ProductAreaFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["member", "volunteer", "product_ops", "executive", "stakeholder"]
TRIAGERS = {"member", "volunteer", "product_ops"}
PRODUCT_SIDE = TRIAGERS | {"executive"}


def make_user(role):
    if role == "volunteer":
        return MemberFactory(user__role=Role.MEMBER, is_volunteer=True).user
    return UserFactory(role=role)


def login(client, role):
    user = make_user(role)
    client.force_login(user)
    return user


def _expected(name, role):
    """The status code each role gets on each page (GET)."""
    allowed = {
        "submit": set(ROLES),
        "mine": set(ROLES),
        "opportunities": set(ROLES),
        "roadmap": set(ROLES),
        "opportunity": set(ROLES),
        "inbox": TRIAGERS,
        "import": TRIAGERS,
        "kpis": PRODUCT_SIDE,
        "settings": {"product_ops"},
        "detail": PRODUCT_SIDE,  # someone else's feedback: a stakeholder gets 404
    }[name]
    if role in allowed:
        return 200
    return 404 if name == "detail" else 403


PAGES = ["submit", "mine", "opportunities", "roadmap", "opportunity", "inbox", "import", "kpis", "settings", "detail"]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("name", PAGES)
def test_permission_matrix(client, role, name):
    feedback = FeedbackFactory()
    opportunity = OpportunityFactory()
    args = {"detail": [feedback.pk], "opportunity": [opportunity.pk]}.get(name, [])
    if role != "anonymous":
        login(client, role)

    response = client.get(reverse(f"feedback:{name}", args=args))

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == _expected(name, role)


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("member", "feedback:inbox"),
        ("product_ops", "feedback:inbox"),
        ("executive", "feedback:kpis"),
        ("stakeholder", "feedback:mine"),
    ],
)
def test_landing_sends_each_role_to_its_page(client, role, target):
    login(client, role)

    response = client.get(reverse("feedback:landing"))

    assert response.status_code == 302
    assert response.url == reverse(target)


@pytest.mark.parametrize("name", ["change_status", "mark_duplicate", "link"])
@pytest.mark.parametrize("role", ["executive", "stakeholder"])
def test_triage_actions_are_refused_to_non_triagers(client, role, name):
    user = login(client, role)
    feedback = FeedbackFactory(submitter=user)

    response = client.post(reverse(f"feedback:{name}", args=[feedback.pk]), {"to_status": "processed", "version": 1})

    assert response.status_code == 403
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.NEW


def test_navigation_and_home_section(rf):
    stakeholder = UserFactory(role=Role.STAKEHOLDER)
    FeedbackFactory(submitter=stakeholder, title="Invoices export")
    request = rf.get("/")
    request.user = stakeholder

    items = modules_for(stakeholder, "/feedback/mine/")
    section = home_section(request)

    feedback_item = next(i for i in items if i.key == "feedback")
    assert feedback_item.active is True
    assert home_section in _providers
    assert [f.title for f in section.context["items"]] == ["Invoices export"]


def test_home_section_template_offers_to_submit(rf):
    stakeholder = UserFactory(role=Role.STAKEHOLDER)
    request = rf.get("/")
    request.user = stakeholder

    section = home_section(request)
    html = render_to_string(section.template, {"section": section.context}, request=request)

    assert "Heard something from a customer?" in html
    assert reverse("feedback:submit") in html


def test_home_section_for_product_shows_inbox_counts(rf):
    ops = UserFactory(role=Role.PRODUCT_OPS)
    FeedbackFactory(received_at=timezone.now() - timedelta(days=30))
    FeedbackFactory()
    request = rf.get("/")
    request.user = ops

    section = home_section(request)

    assert section.context["counts"]["new"] == 2
    assert section.context["counts"]["overdue"] == 1


# --- submitting ---------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Cannot export invoices",
        "problem": "Accountants cannot export invoices to their tool, they lose hours every month.",
        "evidence": "“We retype 200 invoices by hand.”",
        "links": "https://support.example.com/tickets/1",
        "impact": "high",
        "source": "support_ticket",
        "language": "en",
        "tags": "invoices, export",
        "contact_name": "Jane Buyer",
    }
    data.update(overrides)
    return data


def test_submit_creates_feedback_and_redirects_to_it(client):
    user = login(client, "stakeholder")
    account = CustomerAccountFactory(name="Acme")

    response = client.post(reverse("feedback:submit"), _form(account=account.pk))

    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("feedback:detail", args=[feedback.pk])
    assert (feedback.submitter, feedback.account, feedback.tags) == (user, account, ["export", "invoices"])
    assert feedback.links == ["https://support.example.com/tickets/1"]
    assert feedback.quality_score == 100


def test_submit_missing_required_fields_shows_errors_under_fields_and_summary(client):
    login(client, "stakeholder")

    response = client.post(reverse("feedback:submit"), _form(title="", problem="", source=""))

    html = response.content.decode()
    assert response.status_code == 400
    assert Feedback.objects.count() == 0
    assert "Please check what is highlighted below." in html
    assert html.count('<div class="invalid-feedback d-block">This field is required.</div>') == 3


def test_submit_required_account_follows_the_policy(client):
    FeedbackPolicy.objects.filter(pk=1).update(required_fields=["title", "problem", "source", "account"])
    login(client, "stakeholder")

    response = client.post(reverse("feedback:submit"), _form())

    assert response.status_code == 400
    assert response.context["form"].errors["account_search"] == ["This field is required."]


def test_submit_low_quality_is_still_accepted(client):
    login(client, "stakeholder")

    response = client.post(
        reverse("feedback:submit"),
        {"title": "Add a button", "problem": "Please add a button", "source": "internal", "language": "en"},
    )

    assert response.status_code == 302
    assert Feedback.objects.get().quality_score < 50


def test_submit_invalid_link_is_refused_under_the_field(client):
    login(client, "stakeholder")

    response = client.post(reverse("feedback:submit"), _form(links="not a link"))

    assert response.status_code == 400
    assert response.context["form"].errors["links"] == ["Links must be full web addresses (https://…)."]


def test_quality_endpoint_renders_score_and_missing_hints(client):
    login(client, "stakeholder")

    response = client.post(
        reverse("feedback:quality"),
        {"problem": "Please add a button", "source": "internal"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="quality-panel"' in html
    assert "<html" not in html
    assert response.context["score"] == 0
    assert "Paste the customer&#x27;s own words or link the ticket or recording." in html
    assert 'hx-swap-oob="true"' in html


def test_quality_panel_without_rubric_shows_zero_and_says_why(client):
    QualityCriterion.objects.all().delete()
    login(client, "stakeholder")

    response = client.post(reverse("feedback:quality"), {}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.context["score"] == 0
    assert response.context["has_rubric"] is False
    assert "No rubric defined yet — product ops can define one in Settings." in html
    assert "100%" not in html


def test_live_parts_carry_a_summary_for_the_announcer(client):
    login(client, "member")
    FeedbackFactory(title="Exports are slow", problem="The CSV export times out on big accounts")

    quality = client.post(reverse("feedback:quality"), {"problem": "x"}, headers={"HX-Request": "true"})
    similar = client.post(reverse("feedback:similar"), {"title": "Exports slow"}, headers={"HX-Request": "true"})
    inbox = client.get(reverse("feedback:inbox"), headers={"HX-Request": "true"})

    for response in (quality, similar, inbox):
        assert response.content.decode().count("data-guilde-announce") == 1
    assert "feedback shown." in inbox.content.decode()


def test_quality_endpoint_full_marks_when_everything_is_there(client):
    login(client, "stakeholder")
    account = CustomerAccountFactory()

    response = client.post(reverse("feedback:quality"), _form(account=account.pk))

    assert response.context["score"] == 100
    assert all(line["met"] for line in response.context["lines"])


def test_quality_shows_account_figures_only_to_those_allowed(client):
    user = login(client, "stakeholder")
    mine = CustomerAccountFactory(name="Mine Inc", owner=user, arr=Decimal("50000"))
    theirs = CustomerAccountFactory(name="Theirs Inc", arr=Decimal("70000"))

    own = client.post(reverse("feedback:quality"), _form(account=mine.pk)).content.decode()
    other = client.post(reverse("feedback:quality"), _form(account=theirs.pk)).content.decode()

    assert "50,000 EUR" in own
    assert "Theirs Inc" in other
    assert "70,000" not in other


def test_similar_endpoint_lists_similar_feedback_with_add_my_customer(client):
    login(client, "stakeholder")
    existing = FeedbackFactory(title="Export invoices to accounting software", problem="Invoices export is missing")

    response = client.post(
        reverse("feedback:similar"), {"title": "export invoices", "problem": ""}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert [s.pk for s in response.context["similar"]] == [existing.pk]
    assert "Add my customer to this one" in html
    assert reverse("feedback:support", args=[existing.pk]) in html
    # The stakeholder may not open someone else's feedback: the title is not a link.
    assert f'href="{reverse("feedback:detail", args=[existing.pk])}"' not in html


def test_similar_endpoint_empty_text_gives_the_hint(client):
    login(client, "stakeholder")

    response = client.get(reverse("feedback:similar"), headers={"HX-Request": "true"})

    assert response.context["similar"] == []
    assert "As you type the title and the problem" in response.content.decode()


def test_account_search_lists_matching_accounts(client):
    login(client, "stakeholder")
    CustomerAccountFactory(name="Acme Corp")
    CustomerAccountFactory(name="Globex")

    response = client.get(reverse("feedback:account_search"), {"account_search": "ac"})

    html = response.content.decode()
    assert "Acme Corp" in html
    assert "Globex" not in html
    assert "data-account-pick" in html


def test_support_adds_my_customer_instead_of_duplicating(client):
    user = login(client, "stakeholder")
    existing = FeedbackFactory(title="Export invoices")
    account = CustomerAccountFactory(name="Initech")

    response = client.post(
        reverse("feedback:support", args=[existing.pk]), {"account": account.pk}, headers={"HX-Request": "true"}
    )

    existing.refresh_from_db()
    assert response.status_code == 200
    assert "Your customer now backs" in response.content.decode()
    assert existing.supporter_count == 1
    assert existing.supporters.get().user == user
    assert Feedback.objects.count() == 1


def test_support_without_customer_explains(client):
    login(client, "stakeholder")
    existing = FeedbackFactory()

    response = client.post(reverse("feedback:support", args=[existing.pk]), {}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert "Choose the customer account or name the contact" in response.content.decode()


# --- my submissions and detail ------------------------------------------------------------


def test_mine_lists_own_feedback_with_status_and_answer(client):
    user = login(client, "stakeholder")
    FeedbackFactory(submitter=user, title="Mine open")
    FeedbackFactory(
        submitter=user,
        title="Mine resolved",
        status=FeedbackStatus.RESOLVED,
        answer="Shipped in March: use Export > CSV.",
        loop_closed_at=timezone.now(),
    )
    FeedbackFactory(title="Somebody else's")

    response = client.get(reverse("feedback:mine"))

    html = response.content.decode()
    assert [f.title for f in response.context["items"]] == ["Mine resolved", "Mine open"]
    assert "Shipped in March: use Export &gt; CSV." in html
    assert '<span class="badge badge-tone-done">Resolved</span>' in html
    assert "Somebody else" not in html


def test_mine_empty_state_offers_to_submit(client):
    login(client, "stakeholder")

    html = client.get(reverse("feedback:mine")).content.decode()

    assert "Your customers' feedback, followed to the end" in html
    assert reverse("feedback:submit") in html


def _count_queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("role", "name", "make"),
    [
        ("stakeholder", "mine", "own"),
        ("product_ops", "inbox", "any"),
        ("product_ops", "opportunities", "opportunity"),
        ("stakeholder", "opportunities", "opportunity"),
    ],
)
def test_list_query_count_is_constant(client, django_assert_num_queries, role, name, make):
    user = login(client, role)
    url = reverse(f"feedback:{name}")

    def add():
        if make == "opportunity":
            link = FeedbackOpportunityFactory(feedback__account=CustomerAccountFactory())
            services.refresh_opportunities(opportunity_ids=[link.opportunity_id])
        else:
            FeedbackFactory(
                submitter=user if make == "own" else None,
                account=CustomerAccountFactory(),
                product_area=ProductAreaFactory(),
                status=FeedbackStatus.RESOLVED,
                loop_closed_at=timezone.now(),
                answer="Done",
            )

    client.get(url)  # the first visit sets the CSRF cookie; from then on the page cache is consulted
    add()
    one = _count_queries(client, url)
    add()
    add()
    with django_assert_num_queries(one):
        client.get(url)


def test_detail_for_submitter_hides_other_accounts_figures(client):
    user = login(client, "stakeholder")
    account = CustomerAccountFactory(name="Big Co", arr=Decimal("250000"))
    feedback = FeedbackFactory(submitter=user, account=account, arr=account.arr)

    html = client.get(reverse("feedback:detail", args=[feedback.pk])).content.decode()

    assert "Big Co" in html
    assert "250,000" not in html
    assert "Change the status" not in html


def test_detail_for_product_shows_figures_and_actions(client):
    login(client, "member")
    account = CustomerAccountFactory(name="Big Co", arr=Decimal("250000"))
    feedback = FeedbackFactory(account=account, arr=account.arr)

    response = client.get(reverse("feedback:detail", args=[feedback.pk]))

    html = response.content.decode()
    assert "250,000 EUR" in html
    assert "Change the status" in html
    assert f'name="version" value="{feedback.version}"' in html


def test_change_status_processes_and_writes_history(client):
    user = login(client, "product_ops")
    feedback = FeedbackFactory()

    response = client.post(
        reverse("feedback:change_status", args=[feedback.pk]), {"to_status": "processed", "version": feedback.version}
    )

    feedback.refresh_from_db()
    assert response.status_code == 302
    assert feedback.status == FeedbackStatus.PROCESSED
    assert list(feedback.history.values_list("to_status", "actor")) == [("processed", user.pk)]


def test_decline_without_reason_is_refused_under_the_field(client):
    login(client, "product_ops")
    feedback = FeedbackFactory()

    response = client.post(
        reverse("feedback:change_status", args=[feedback.pk]), {"to_status": "declined", "version": feedback.version}
    )

    feedback.refresh_from_db()
    assert response.status_code == 400
    assert feedback.status == FeedbackStatus.NEW
    assert response.context["status_form"].errors["reason"] == ["Say why it is declined: the submitter will read it."]


def test_stale_version_shows_conflict_and_fresh_data(client):
    login(client, "product_ops")
    other = UserFactory(role=Role.PRODUCT_OPS, full_name="Olga Other")
    feedback = FeedbackFactory()
    seen = feedback.version
    services.change_status(actor=other, feedback=feedback, to_status="processed", version=seen, note="Olga's")

    response = client.post(
        reverse("feedback:change_status", args=[feedback.pk]),
        {"to_status": "declined", "reason": "No", "version": seen},
    )

    html = response.content.decode()
    feedback.refresh_from_db()
    assert response.status_code == 409
    assert feedback.status == FeedbackStatus.PROCESSED
    assert "Your change was not saved" in html
    assert "Olga Other" in html
    assert f'name="version" value="{feedback.version}"' in html


def test_mark_duplicate_merges_into_the_original(client):
    login(client, "member")
    original = FeedbackFactory(title="Original")
    duplicate = FeedbackFactory(title="Copy", account=CustomerAccountFactory())

    response = client.post(
        reverse("feedback:mark_duplicate", args=[duplicate.pk]),
        {"original": ["", str(original.pk)], "version": duplicate.version},
    )

    duplicate.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("feedback:detail", args=[original.pk])
    assert (duplicate.status, duplicate.duplicate_of) == (FeedbackStatus.DUPLICATE, original)
    assert original.supporters.count() == 1


def test_mark_duplicate_unknown_number(client):
    login(client, "member")
    feedback = FeedbackFactory()

    response = client.post(
        reverse("feedback:mark_duplicate", args=[feedback.pk]), {"original": 999999, "version": feedback.version}
    )

    assert response.status_code == 400
    assert response.context["duplicate_form"].errors["original"] == ["No feedback has this number."]


def test_link_to_existing_or_new_opportunity(client):
    login(client, "member")
    feedback = FeedbackFactory()
    opportunity = OpportunityFactory(title="Accounting exports")

    client.post(reverse("feedback:link", args=[feedback.pk]), {"opportunity": opportunity.pk})
    client.post(reverse("feedback:link", args=[feedback.pk]), {"new_title": "Bulk invoices"})

    assert sorted(feedback.opportunities.values_list("title", flat=True)) == ["Accounting exports", "Bulk invoices"]
    opportunity.refresh_from_db()
    assert opportunity.feedback_count == 1


def test_link_without_choice_is_refused(client):
    login(client, "member")
    feedback = FeedbackFactory()

    response = client.post(reverse("feedback:link", args=[feedback.pk]), {})

    assert response.status_code == 400
    assert "Choose an opportunity or give a new one a title." in response.content.decode()


# --- inbox --------------------------------------------------------------------------------


def test_inbox_filters_and_htmx_partial(client):
    login(client, "product_ops")
    area = ProductAreaFactory(name_en="Billing")
    FeedbackFactory(title="Billing one", product_area=area)
    FeedbackFactory(title="Other one")

    full = client.get(reverse("feedback:inbox"), {"area": area.pk})
    partial = client.get(reverse("feedback:inbox"), {"area": area.pk}, headers={"HX-Request": "true"})

    assert [f.title for f in full.context["items"]] == ["Billing one"]
    assert "<html" in full.content.decode()
    html = partial.content.decode()
    assert "<html" not in html
    assert 'id="inbox-results"' in html
    assert "Billing one" in html
    assert "Other one" not in html


def test_inbox_load_more_appends_rows_by_cursor(client):
    login(client, "product_ops")
    now = timezone.now()
    for i in range(3):
        FeedbackFactory(title=f"F{i}", received_at=now - timedelta(hours=i))

    from guilde.feedback import selectors

    first = selectors.inbox(viewer=UserFactory(role=Role.PRODUCT_OPS), page_size=2)
    response = client.get(reverse("feedback:inbox"), {"cursor": first.next_cursor}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert [f.title for f in response.context["items"]] == ["F2"]
    assert "<table" not in html
    assert 'id="inbox-more"' not in html


def test_inbox_overdue_badge_and_empty_states(client):
    login(client, "product_ops")

    empty = client.get(reverse("feedback:inbox")).content.decode()
    filtered = client.get(reverse("feedback:inbox"), {"q": "nothing"}).content.decode()
    FeedbackFactory(received_at=timezone.now() - timedelta(days=30))
    overdue = client.get(reverse("feedback:inbox")).content.decode()

    assert "The inbox is where customer feedback is triaged" in empty
    assert "Nothing matches these filters" in filtered
    assert '<span class="badge badge-tone-risk">Overdue</span>' in overdue


def test_bulk_process_all_selected(client):
    login(client, "product_ops")
    a, b = FeedbackFactory(), FeedbackFactory()

    response = client.post(reverse("feedback:bulk"), {"ids": [a.pk, b.pk], "action": "process", "query": "status=new"})

    assert response.status_code == 302
    assert response.url == reverse("feedback:inbox") + "?status=new"
    assert set(Feedback.objects.values_list("status", flat=True)) == {FeedbackStatus.PROCESSED}


def test_bulk_is_all_or_nothing(client):
    login(client, "product_ops")
    ok = FeedbackFactory()
    resolved = FeedbackFactory(status=FeedbackStatus.DUPLICATE)

    response = client.post(
        reverse("feedback:bulk"),
        {"ids": [ok.pk, resolved.pk], "action": "decline", "reason": "Out of scope"},
        follow=True,
    )

    ok.refresh_from_db()
    assert ok.status == FeedbackStatus.NEW
    assert "Nothing was changed" in response.content.decode()


def test_bulk_decline_needs_a_reason_and_link_needs_an_opportunity(client):
    login(client, "product_ops")
    feedback = FeedbackFactory()

    declined = client.post(reverse("feedback:bulk"), {"ids": [feedback.pk], "action": "decline"}, follow=True)
    linked = client.post(reverse("feedback:bulk"), {"ids": [feedback.pk], "action": "link"}, follow=True)

    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.NEW
    assert "Say why they are declined" in declined.content.decode()
    assert "Choose the opportunity." in linked.content.decode()


def test_bulk_assign_area_and_link(client):
    login(client, "member")
    area = ProductAreaFactory()
    opportunity = OpportunityFactory()
    a, b = FeedbackFactory(), FeedbackFactory()

    client.post(reverse("feedback:bulk"), {"ids": [a.pk, b.pk], "action": "area", "area": area.pk})
    client.post(reverse("feedback:bulk"), {"ids": [a.pk, b.pk], "action": "link", "opportunity": opportunity.pk})

    assert set(Feedback.objects.values_list("product_area", flat=True)) == {area.pk}
    assert opportunity.feedback_links.count() == 2


def test_saved_views_save_list_and_delete(client):
    user = login(client, "product_ops")

    response = client.post(reverse("feedback:save_view"), {"name": "Billing backlog", "query": "status=new&area=3"})
    listed = client.get(reverse("feedback:inbox")).content.decode()
    view = SavedView.objects.get()
    client.post(reverse("feedback:delete_view", args=[view.pk]))

    assert response.url == reverse("feedback:inbox") + "?status=new&area=3"
    assert (view.owner, view.name) == (user, "Billing backlog")
    assert "Billing backlog" in listed
    assert SavedView.objects.count() == 0


def test_saved_view_of_someone_else_is_404(client):
    login(client, "product_ops")
    view = SavedView.objects.create(owner=UserFactory(), name="Theirs", query="")

    response = client.post(reverse("feedback:delete_view", args=[view.pk]))

    assert response.status_code == 404
    assert SavedView.objects.count() == 1


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_csv_follows_filters_with_confidential_columns_for_product(client):
    login(client, "product_ops")
    area = ProductAreaFactory(name_en="Billing")
    account = CustomerAccountFactory(name="Acme", arr=Decimal("42000"))
    FeedbackFactory(title="=cmd()", product_area=area, account=account, arr=account.arr)
    FeedbackFactory(title="Elsewhere")

    response = client.get(reverse("feedback:export"), {"area": area.pk})

    rows = _csv(response)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert rows[0][-4:] == ["segment", "plan", "arr", "currency"]
    assert len(rows) == 2
    assert rows[1][3] == "'=cmd()"
    assert rows[1][-2:] == ["42000.00", "EUR"]


def test_export_csv_for_stakeholder_has_only_their_feedback_and_no_other_figures(client):
    user = login(client, "stakeholder")
    other_account = CustomerAccountFactory(name="Other", arr=Decimal("99000"))
    own_account = CustomerAccountFactory(name="Own", arr=Decimal("11000"), owner=user)
    FeedbackFactory(submitter=user, title="Mine on theirs", account=other_account, arr=other_account.arr)
    FeedbackFactory(submitter=user, title="Mine on mine", account=own_account, arr=own_account.arr)
    FeedbackFactory(title="Not mine")

    rows = _csv(client.get(reverse("feedback:export")))

    by_title = {r[3]: r for r in rows[1:]}
    assert set(by_title) == {"Mine on theirs", "Mine on mine"}
    assert by_title["Mine on theirs"][-4:] == ["", "", "", ""]
    assert by_title["Mine on mine"][-2:] == ["11000.00", "EUR"]
    assert "99000" not in "".join(",".join(r) for r in rows)


# --- opportunities and roadmap ------------------------------------------------------------


def _backed_opportunity(**kwargs):
    account = CustomerAccountFactory(arr=Decimal("300000"))
    link = FeedbackOpportunityFactory(feedback__account=account, opportunity__title="Exports", **kwargs)
    services.refresh_opportunities(opportunity_ids=[link.opportunity_id])
    return Opportunity.objects.get(pk=link.opportunity_id), link.feedback


def test_opportunities_show_breakdown_to_product_only(client):
    _backed_opportunity()
    login(client, "member")
    product = client.get(reverse("feedback:opportunities")).content.decode()
    client.logout()
    login(client, "stakeholder")
    stakeholder = client.get(reverse("feedback:opportunities")).content.decode()

    assert "driver-accounts" in product
    assert "300,000" in product
    assert "Exports" in stakeholder
    assert "driver-accounts" not in stakeholder
    assert "300,000" not in stakeholder


def test_opportunities_filter_partial_and_empty_state(client):
    login(client, "member")
    OpportunityFactory(title="Exports", status=OpportunityStatus.NOW)
    OpportunityFactory(title="Imports")

    partial = client.get(reverse("feedback:opportunities"), {"status": "now"}, headers={"HX-Request": "true"})
    empty = client.get(reverse("feedback:opportunities"), {"q": "zzz"})

    assert [i["o"].title for i in partial.context["items"]] == ["Exports"]
    assert "<html" not in partial.content.decode()
    assert "No opportunity matches these filters" in empty.content.decode()


def test_create_opportunity(client):
    user = login(client, "member")

    response = client.post(
        reverse("feedback:opportunity_create"), {"title": "Exports", "strategic_fit": 4, "effort": 3}
    )

    opportunity = Opportunity.objects.get()
    assert response.url == reverse("feedback:opportunity", args=[opportunity.pk])
    assert (opportunity.title, opportunity.owner, opportunity.strategic_fit) == ("Exports", user, 4)


def test_create_opportunity_errors(client):
    login(client, "member")

    response = client.post(reverse("feedback:opportunity_create"), {"title": "", "strategic_fit": 9, "effort": 1})

    assert response.status_code == 400
    assert set(response.context["create_form"].errors) == {"title", "strategic_fit"}


def test_edit_opportunity_and_conflict(client):
    login(client, "member")
    opportunity, _feedback = _backed_opportunity()
    data = {"title": "Exports v2", "strategic_fit": 5, "effort": 2, "version": opportunity.version}

    ok = client.post(reverse("feedback:opportunity_edit", args=[opportunity.pk]), data)
    stale = client.post(reverse("feedback:opportunity_edit", args=[opportunity.pk]), {**data, "title": "Stale"})

    opportunity.refresh_from_db()
    assert ok.status_code == 302
    assert opportunity.title == "Exports v2"
    assert stale.status_code == 409
    assert "Your change was not saved" in stale.content.decode()


def test_move_on_roadmap_plans_feedback(client):
    login(client, "member")
    opportunity, feedback = _backed_opportunity()

    response = client.post(
        reverse("feedback:opportunity_move", args=[opportunity.pk]),
        {"status": "next", "next": "roadmap", "version": opportunity.version},
    )

    feedback.refresh_from_db()
    assert response.url == reverse("feedback:roadmap")
    assert feedback.status == FeedbackStatus.PLANNED


def test_opportunity_export_follows_filters_and_hides_figures_from_stakeholders(client):
    _backed_opportunity()
    OpportunityFactory(title="Dark mode", status=OpportunityStatus.LATER)
    url = reverse("feedback:opportunities_export")

    login(client, "member")
    product = list(csv.reader(io.StringIO(client.get(url, {"q": "export"}).content.decode())))
    login(client, "stakeholder")
    stakeholder = list(csv.reader(io.StringIO(client.get(url).content.decode())))

    assert product[0] == [
        "Rank",
        "Title",
        "Status",
        "Product area",
        "Feedbacks",
        "Priority score",
        "Accounts",
        "ARR at stake",
    ]
    assert [row[1] for row in product[1:]] == ["Exports"]
    assert product[1][6] == "1"
    assert stakeholder[0] == ["Rank", "Title", "Status", "Product area", "Feedbacks"]
    assert sorted(row[1] for row in stakeholder[1:]) == ["Dark mode", "Exports"]


def test_roadmap_cards_carry_the_version_they_show(client):
    login(client, "member")
    opportunity, _feedback = _backed_opportunity()
    Opportunity.objects.filter(pk=opportunity.pk).update(status="now", version=7)

    page = client.get(reverse("feedback:roadmap")).content.decode()

    assert 'name="version" value="7"' in page


def test_stale_roadmap_move_is_a_conflict_and_changes_nothing(client):
    login(client, "member")
    opportunity, _feedback = _backed_opportunity()
    url = reverse("feedback:opportunity_move", args=[opportunity.pk])
    client.post(url, {"status": "next", "next": "roadmap", "version": opportunity.version})

    response = client.post(url, {"status": "later", "next": "roadmap", "version": opportunity.version})

    opportunity.refresh_from_db()
    assert response.status_code == 409
    assert opportunity.status == "next"
    assert "Your change was not saved" in response.content.decode()


def test_ship_closes_the_loop_and_submitter_sees_the_answer(client):
    stakeholder = UserFactory(role=Role.STAKEHOLDER)
    opportunity, feedback = _backed_opportunity(feedback__submitter=stakeholder)
    login(client, "member")

    response = client.post(
        reverse("feedback:opportunity_ship", args=[opportunity.pk]),
        {"release_note": "CSV export is live.", "version": opportunity.version},
    )
    client.force_login(stakeholder)
    mine = client.get(reverse("feedback:mine")).content.decode()

    feedback.refresh_from_db()
    assert response.status_code == 302
    assert (feedback.status, feedback.answer) == (FeedbackStatus.RESOLVED, "CSV export is live.")
    assert feedback.loop_closed_at is not None
    assert "CSV export is live." in mine


def test_ship_without_answer_is_refused(client):
    login(client, "member")
    opportunity, _feedback = _backed_opportunity()

    response = client.post(
        reverse("feedback:opportunity_ship", args=[opportunity.pk]), {"release_note": "", "version": 1}
    )

    assert response.status_code == 400
    assert "release_note" in response.context["ship_form"].errors


def test_roadmap_hides_figures_from_stakeholders(client):
    OpportunityFactory(title="Now thing", status=OpportunityStatus.NOW, priority_score=Decimal("42.5"))
    login(client, "stakeholder")

    html = client.get(reverse("feedback:roadmap")).content.decode()

    assert "Now thing" in html
    assert "42.5" not in html
    assert "opportunity_move" not in html
    assert "Move" not in html


def test_roadmap_for_product_shows_score_and_move(client):
    OpportunityFactory(title="Now thing", status=OpportunityStatus.NOW, priority_score=Decimal("42.5"))
    login(client, "member")

    html = client.get(reverse("feedback:roadmap")).content.decode()

    assert "42.5" in html
    assert "Move" in html


def test_roadmap_empty_state(client):
    login(client, "stakeholder")

    html = client.get(reverse("feedback:roadmap")).content.decode()

    assert "The roadmap shows what product will do" in html


# --- KPIs ---------------------------------------------------------------------------------


def test_kpis_page_cards_charts_and_csv(client):
    login(client, "executive")
    now = timezone.now()
    for days in (3, 10, 20):
        FeedbackFactory(received_at=now - timedelta(days=days), processed_at=now - timedelta(days=days - 1))
    FeedbackFactory(received_at=now - timedelta(days=120))

    response = client.get(reverse("feedback:kpis"), {"months": 3})
    csv_response = client.get(reverse("feedback:kpi_csv", args=["lead_time"]), {"months": 3})

    html = response.content.decode()
    cards = {c["key"]: c for c in response.context["cards"]}
    assert cards["received"]["value"] == 3
    assert cards["processed"]["value"] == 3
    assert cards["received"]["before"] == 1
    assert [c["key"] for c in response.context["charts"]] == [
        "throughput",
        "lead_time",
        "by_source",
        "by_area",
        "by_team",
        "backlog",
    ]
    assert "Half of feedback is processed within 1.0 days" in html
    assert 'type="application/json"' in html
    assert "<script>" not in html
    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert rows[0] == ["Step", "Median", "90th percentile"]
    assert rows[1][:2] == ["Time to process", "1.0"]


def test_kpis_by_team_chart_and_csv(client):
    login(client, "executive")
    FeedbackFactory.create_batch(2, submitter_team="Support", received_at=timezone.now() - timedelta(days=2))

    response = client.get(reverse("feedback:kpis"), {"months": 1})
    csv_response = client.get(reverse("feedback:kpi_csv", args=["by_team"]), {"months": 1})

    chart = {c["key"]: c for c in response.context["charts"]}["by_team"]
    assert chart["title"] == "Support files the most feedback (2)"
    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert rows[0] == ["Submitter's team", "Received", "Processed", "Resolved"]
    assert rows[1] == ["Support", "2", "0", "0"]


def test_status_choices_use_product_ops_labels(client):
    FeedbackPolicy.objects.filter(pk=1).update(status_labels={"processed": {"en": "Qualified", "fr": "Qualifié"}})
    login(client, "member")
    feedback = FeedbackFactory()

    detail = client.get(reverse("feedback:detail", args=[feedback.pk]))
    inbox = client.get(reverse("feedback:inbox"))

    assert ("processed", "Qualified") in detail.context["status_form"].fields["to_status"].choices
    assert ("processed", "Qualified") in inbox.context["form"].fields["status"].choices


def test_kpis_empty_and_unknown_chart(client):
    login(client, "product_ops")

    empty = client.get(reverse("feedback:kpis")).content.decode()
    missing = client.get(reverse("feedback:kpi_csv", args=["nope"]))

    assert "KPIs show whether feedback is heard and answered" in empty
    assert missing.status_code == 404


# --- settings -----------------------------------------------------------------------------


def _policy_data(policy, **overrides):
    data = {
        "version": policy.version,
        "required_fields": ["title", "problem", "source", "impact"],
        "quality_bar": 70,
        "processing_sla_days": 5,
        "resolution_sla_days": 60,
        "weight_accounts": 30,
        "weight_arr": 30,
        "weight_segments": 10,
        "weight_recency": 10,
        "weight_strategic_fit": 20,
        "accounts_cap": 20,
        "arr_cap": "1000000",
        "recency_half_life_days": 90,
        "label_processed_en": "Qualified",
        "label_processed_fr": "Qualifié",
    }
    data.update(overrides)
    return data


def test_settings_save_policy(client):
    login(client, "product_ops")
    policy = FeedbackPolicy.objects.get(pk=1)

    response = client.post(reverse("feedback:settings"), _policy_data(policy))

    policy.refresh_from_db()
    assert response.status_code == 302
    assert (policy.processing_sla_days, policy.quality_bar) == (5, 70)
    assert policy.status_labels == {"processed": {"en": "Qualified", "fr": "Qualifié"}}
    assert "impact" in policy.required_fields


def test_settings_conflict_shows_fresh_values(client):
    login(client, "product_ops")
    policy = FeedbackPolicy.objects.get(pk=1)
    stale = _policy_data(policy)
    client.post(reverse("feedback:settings"), _policy_data(policy, processing_sla_days=9))

    response = client.post(reverse("feedback:settings"), stale)

    policy.refresh_from_db()
    assert response.status_code == 409
    assert policy.processing_sla_days == 9
    assert "Your change was not saved" in response.content.decode()
    assert response.context["policy_form"].initial["processing_sla_days"] == 9


def test_settings_add_criterion_area_and_segment(client):
    login(client, "product_ops")

    client.post(
        reverse("feedback:settings_new", args=["criterion"]),
        {"key": "area", "kind": "has_product_area", "label_en": "Names the area", "weight": 10, "position": 9},
    )
    client.post(reverse("feedback:settings_new", args=["area"]), {"name_en": "Billing", "position": 1})
    client.post(
        reverse("feedback:settings_new", args=["segment"]), {"key": "public", "name_en": "Public", "position": 4}
    )
    page = client.get(reverse("feedback:settings")).content.decode()

    assert QualityCriterion.objects.filter(key="area", weight=10).exists()
    assert "Billing" in page
    assert "Public" in page


def test_settings_item_unknown_kind_is_404(client):
    login(client, "product_ops")

    assert client.get(reverse("feedback:settings_new", args=["nope"])).status_code == 404


# --- import -------------------------------------------------------------------------------


def _upload(client, content, name="export.csv", preset="guilde"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(reverse("feedback:import"), {"file": file, "preset": preset, "default_source": ""})


GOOD_CSV = (
    "external_id,title,problem,source\n"
    "z-1,Export invoices,Accountants cannot export invoices,support_ticket\n"
    "z-2,Bulk edit,Admins cannot edit many users at once,sales_call\n"
)


def test_import_flow_upload_preview_confirm_progress_result(client, django_capture_on_commit_callbacks):
    login(client, "product_ops")

    uploaded = _upload(client, GOOD_CSV)
    job_url = uploaded.url
    mapping_page = client.get(job_url)
    mapping = {f: f for f in ("external_id", "title", "problem", "source")}
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(job_url, {**mapping, "confirm": "1"})
    progress = client.get(confirmed.url)
    partial = client.get(confirmed.url, headers={"HX-Request": "true"})

    assert [row["errors"] for row in mapping_page.context["preview"]] == [[], []]
    assert Feedback.objects.count() == 2
    assert "2 feedbacks imported" in progress.content.decode()
    html = partial.content.decode()
    assert 'id="import-progress"' in html
    assert "every 1s" not in html  # polling stops when done


def test_import_bad_rows_imports_nothing_and_lists_them(client, django_capture_on_commit_callbacks):
    login(client, "product_ops")
    content = "title,problem,source\nGood,Fine problem,internal\n,Missing title,nowhere\n"

    job_url = _upload(client, content).url
    preview = client.get(job_url).context["preview"]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(job_url, {"title": "title", "problem": "problem", "source": "source", "confirm": "1"})
    result = client.get(confirmed.url).content.decode()

    assert preview[0]["errors"] == []
    assert any("title" in e for e in preview[1]["errors"])
    assert Feedback.objects.count() == 0
    assert "Nothing was imported." in result
    assert "source: unknown value" in result


def test_import_zendesk_preset_maps_its_columns(client):
    login(client, "member")
    content = "Id,Subject,Description,Organization,Priority\n1,Slow search,Search takes 10 seconds,Acme,high\n"

    job_url = _upload(client, content, preset="zendesk").url
    page = client.get(job_url)

    assert page.context["form"].initial["title"] == "Subject"
    assert page.context["preview"][0]["values"]["title"] == "Slow search"


def test_import_running_job_polls_every_second(client):
    login(client, "product_ops")
    job_url = _upload(client, GOOD_CSV).url
    from guilde.feedback.models import ImportJob

    ImportJob.objects.update(status="validating", total_rows=10, processed_rows=4)
    job = ImportJob.objects.get()

    html = client.get(
        reverse("feedback:import_progress", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()

    assert job_url
    assert 'hx-trigger="every 1s"' in html
    assert "w-pct-40" in html


def test_import_progress_shows_the_count_the_running_import_reported(client):
    # The job's own row is inside the import's transaction: the count comes from the progress cache.
    from guilde.feedback.imports import progress
    from guilde.feedback.models import ImportJob

    login(client, "product_ops")
    _upload(client, GOOD_CSV)
    ImportJob.objects.update(status="validating", total_rows=10000, processed_rows=0)
    job = ImportJob.objects.get()
    progress.report(job.pk, 7000)
    url = reverse("feedback:import_progress", args=[job.pk])
    try:
        english = client.get(url).content.decode()
        User.objects.filter(pk=job.created_by_id).update(language="fr")
        french = client.get(url).content.decode()
    finally:
        progress.clear(job.pk)

    assert "w-pct-70" in english
    assert "7,000 of 10,000 so far" in english
    assert "7\xa0000 sur 10\xa0000 jusqu\u2019ici" in french


def test_import_job_of_others_is_hidden_from_non_triagers(client):
    login(client, "product_ops")
    job_url = _upload(client, GOOD_CSV).url
    client.logout()
    login(client, "stakeholder")

    assert client.get(job_url).status_code == 403
