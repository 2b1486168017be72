from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guilde.core.concurrency import ConcurrentEditError
from guilde.feedback import services
from guilde.feedback.enums import FeedbackStatus, Impact, OpportunityStatus, SourceChannel
from guilde.feedback.models import Feedback, FeedbackPolicy, FeedbackSupporter, StatusChange
from guilde.notifications.models import Notification
from tests.factories.feedback import (
    CustomerAccountFactory,
    FeedbackFactory,
    FeedbackOpportunityFactory,
    OpportunityFactory,
    ProductAreaFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db


def _submit(actor, **extra):
    fields = {
        "title": "Invoices cannot be exported",
        "problem": "Finance teams lose two hours every month re-typing invoices.",
        "source": SourceChannel.SALES_CALL,
    }
    fields.update(extra)
    return services.submit_feedback(actor=actor, **fields)


def test_submit_feedback_snapshots_account_and_scores_quality(stakeholder):
    account = CustomerAccountFactory(arr=Decimal("48000"), currency="USD", plan="Enterprise")
    feedback = _submit(stakeholder, account=account, evidence="“We re-type everything” — CFO", impact=Impact.HIGH)
    assert feedback.segment_id == account.segment_id
    assert (feedback.arr, feedback.currency, feedback.plan) == (Decimal("48000"), "USD", "Enterprise")
    # Default rubric: 4 x 25, all four met.
    assert feedback.quality_score == 100
    assert feedback.quality_missing == []
    assert list(feedback.history.values_list("from_status", "to_status")) == [("", FeedbackStatus.NEW)]


def test_submit_feedback_low_quality_is_accepted_with_what_is_missing(stakeholder):
    feedback = _submit(stakeholder, problem="Please add a button to export")
    assert feedback.quality_score == 0
    assert feedback.quality_missing == [
        "problem_not_solution",
        "names_customer_and_segment",
        "has_evidence",
        "says_impact",
    ]


def test_submit_feedback_refused_when_required_fields_missing(stakeholder):
    FeedbackPolicy.objects.filter(pk=1).update(required_fields=["title", "problem", "source", "account"])
    with pytest.raises(ValidationError) as exc:
        _submit(stakeholder, title="  ", account=None)
    assert set(exc.value.message_dict) == {"title", "account"}
    assert not Feedback.objects.exists()


def test_submit_feedback_rejects_non_web_links(stakeholder):
    with pytest.raises(ValidationError) as exc:
        _submit(stakeholder, links=["javascript:alert(1)"])
    assert "links" in exc.value.message_dict


def test_support_feedback_adds_the_customer_once(stakeholder, other_stakeholder):
    feedback = FeedbackFactory(submitter=stakeholder)
    account = CustomerAccountFactory()
    services.support_feedback(actor=other_stakeholder, feedback=feedback, account=account)
    feedback.refresh_from_db()
    assert feedback.supporter_count == 1
    with pytest.raises(ValidationError):
        services.support_feedback(actor=other_stakeholder, feedback=feedback, account=account)


def test_change_status_writes_history_sets_timestamps_and_notifies(
    pm, stakeholder, mailoutbox, django_capture_on_commit_callbacks
):
    owner = CustomerAccountFactory().owner
    feedback = FeedbackFactory(submitter=stakeholder, account=CustomerAccountFactory(owner=owner))
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(actor=pm, feedback=feedback, to_status=FeedbackStatus.PROCESSED, version=1)
        feedback = services.change_status(
            actor=pm, feedback=feedback, to_status=FeedbackStatus.RESOLVED, version=2, answer="Shipped in 4.2"
        )
    assert feedback.processed_at is not None
    assert feedback.resolved_at is not None
    assert feedback.loop_closed_at is not None
    assert feedback.version == 3
    assert list(StatusChange.objects.filter(feedback=feedback).values_list("to_status", flat=True)) == [
        FeedbackStatus.PROCESSED,
        FeedbackStatus.RESOLVED,
    ]
    resolved = Notification.objects.filter(verb="feedback_resolved")
    assert {n.recipient_id for n in resolved} == {stakeholder.pk, owner.pk}
    assert resolved.first().body == "Shipped in 4.2"
    assert len(mailoutbox) == 4  # two people, told twice (processed, resolved)


def test_status_notification_uses_product_ops_wording_in_each_language(pm, stakeholder):
    FeedbackPolicy.objects.filter(pk=1).update(status_labels={"processed": {"en": "Qualified", "fr": "Qualifié"}})
    stakeholder.language = "fr"
    stakeholder.save(update_fields=["language"])
    feedback = FeedbackFactory(submitter=stakeholder, title="Exports")

    services.change_status(actor=pm, feedback=feedback, to_status=FeedbackStatus.PROCESSED, version=1)

    assert (
        Notification.objects.get(verb="feedback_processed").title
        == "Votre feedback «\u202fExports\u202f» est maintenant\u202f: Qualifié"
    )


def test_decline_needs_a_reason(pm):
    feedback = FeedbackFactory()
    with pytest.raises(ValidationError) as exc:
        services.change_status(actor=pm, feedback=feedback, to_status=FeedbackStatus.DECLINED, version=1)
    assert "reason" in exc.value.message_dict
    feedback = services.change_status(
        actor=pm, feedback=feedback, to_status=FeedbackStatus.DECLINED, version=1, reason="Out of scope"
    )
    assert feedback.decline_reason == "Out of scope"
    assert feedback.declined_at is not None


def test_change_status_conflict_names_who_changed_it(pm, ops):
    feedback = FeedbackFactory()
    services.change_status(actor=ops, feedback=feedback, to_status=FeedbackStatus.PROCESSED, version=1)
    with pytest.raises(ValidationError) as exc:
        services.change_status(actor=pm, feedback=feedback, to_status=FeedbackStatus.PLANNED, version=1)
    assert isinstance(exc.value, ConcurrentEditError)
    assert "Olivia Ops" in exc.value.message_dict["version"][0]
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PROCESSED


def test_change_status_refuses_stakeholders_and_executives(stakeholder, executive):
    feedback = FeedbackFactory(submitter=stakeholder)
    for actor in (stakeholder, executive):
        with pytest.raises(PermissionDenied):
            services.change_status(actor=actor, feedback=feedback, to_status=FeedbackStatus.PROCESSED, version=1)


def test_bulk_change_status_is_all_or_nothing(pm):
    ok = FeedbackFactory()
    resolved = FeedbackFactory(status=FeedbackStatus.RESOLVED)
    with pytest.raises(ValidationError):
        services.bulk_change_status(
            actor=pm, feedback_ids=[ok.pk, resolved.pk], to_status=FeedbackStatus.DECLINED, reason="x"
        )
    ok.refresh_from_db()
    assert ok.status == FeedbackStatus.NEW
    assert not StatusChange.objects.exists()
    rows = services.bulk_change_status(actor=pm, feedback_ids=[ok.pk], to_status=FeedbackStatus.PROCESSED)
    assert rows[0].status == FeedbackStatus.PROCESSED


def test_bulk_assign_area(pm):
    a, b = FeedbackFactory(), FeedbackFactory()
    area = ProductAreaFactory()
    assert services.bulk_assign_area(actor=pm, feedback_ids=[a.pk, b.pk], product_area=area) == 2
    assert set(Feedback.objects.values_list("product_area", flat=True)) == {area.pk}


def test_merge_carries_accounts_supporters_and_links_over(pm, stakeholder):
    original = FeedbackFactory(account=CustomerAccountFactory())
    duplicate_account = CustomerAccountFactory()
    duplicate = FeedbackFactory(account=duplicate_account, submitter=stakeholder)
    backer = CustomerAccountFactory()
    services.support_feedback(actor=stakeholder, feedback=duplicate, account=backer)
    opportunity = OpportunityFactory()
    FeedbackOpportunityFactory(feedback=duplicate, opportunity=opportunity)

    merged = services.mark_duplicate(actor=pm, feedback=duplicate, original=original, version=1)

    assert merged.status == FeedbackStatus.DUPLICATE
    assert merged.duplicate_of_id == original.pk
    accounts = set(FeedbackSupporter.objects.filter(feedback=original).values_list("account_id", flat=True))
    assert accounts == {duplicate_account.pk, backer.pk}
    original.refresh_from_db()
    assert original.supporter_count == 2
    assert original.opportunity_links.filter(opportunity=opportunity).exists()
    assert merged.history.last().to_status == FeedbackStatus.DUPLICATE
    with pytest.raises(ValidationError):
        services.mark_duplicate(actor=pm, feedback=original, original=original, version=1)


def test_support_on_a_duplicate_goes_to_the_original(pm, stakeholder):
    original = FeedbackFactory()
    duplicate = FeedbackFactory()
    services.mark_duplicate(actor=pm, feedback=duplicate, original=original, version=1)
    duplicate.refresh_from_db()
    supporter = services.support_feedback(actor=stakeholder, feedback=duplicate, account=CustomerAccountFactory())
    assert supporter.feedback_id == original.pk


def test_linking_rescores_the_opportunity(pm):
    smb, enterprise = SegmentFactory(key="smb"), SegmentFactory(key="enterprise")
    a1 = CustomerAccountFactory(segment=smb, arr=Decimal("100000"))
    a2 = CustomerAccountFactory(segment=enterprise, arr=Decimal("400000"))
    opportunity = services.create_opportunity(actor=pm, title="Invoice export", strategic_fit=3, effort=1)
    assert opportunity.priority_score == Decimal("10.00")  # fit 0.5 x 20
    services.link_to_opportunity(actor=pm, feedback=FeedbackFactory(account=a1), opportunity=opportunity)
    services.link_to_opportunity(actor=pm, feedback=FeedbackFactory(account=a2), opportunity=opportunity)
    services.link_to_opportunity(actor=pm, feedback=FeedbackFactory(account=a2), opportunity=opportunity)
    opportunity.refresh_from_db()
    assert (opportunity.feedback_count, opportunity.account_count, opportunity.segment_count) == (3, 2, 2)
    assert opportunity.arr_at_stake == Decimal("500000.00")
    # accounts 2/20 → 3; arr 0.5 → 15; segments 2/3 → 6.67; recency ≈1 → 10; fit → 10
    assert opportunity.score_breakdown["drivers"]["accounts"]["points"] == 3.0
    assert opportunity.score_breakdown["drivers"]["arr"]["points"] == 15.0
    assert opportunity.score_breakdown["drivers"]["segments"]["points"] == 6.67
    assert Decimal("44.6") < opportunity.priority_score <= Decimal("44.67")


def test_roadmap_plans_then_ship_resolves_and_closes_the_loop(
    pm, stakeholder, mailoutbox, django_capture_on_commit_callbacks
):
    opportunity = services.create_opportunity(actor=pm, title="Invoice export")
    feedback = FeedbackFactory(submitter=stakeholder)
    services.link_to_opportunity(actor=pm, feedback=feedback, opportunity=opportunity)
    opportunity = services.set_roadmap_status(
        actor=pm, opportunity=opportunity, status=OpportunityStatus.NOW, version=1
    )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.PLANNED
    with pytest.raises(ValidationError):
        services.ship_opportunity(actor=pm, opportunity=opportunity, version=opportunity.version, release_note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        opportunity = services.ship_opportunity(
            actor=pm, opportunity=opportunity, version=opportunity.version, release_note="Export is live in Billing."
        )
    feedback.refresh_from_db()
    assert opportunity.status == OpportunityStatus.SHIPPED
    assert feedback.status == FeedbackStatus.RESOLVED
    assert feedback.answer == "Export is live in Billing."
    assert feedback.loop_closed_at is not None
    assert Notification.objects.filter(recipient=stakeholder, verb="feedback_resolved").count() == 1
    assert any("Export is live" in m.body for m in mailoutbox)


def test_update_policy_is_product_ops_only_and_versioned(ops, pm):
    with pytest.raises(PermissionDenied):
        services.update_policy(actor=pm, version=1, quality_bar=70)
    policy = services.update_policy(
        actor=ops, version=1, quality_bar=70, status_labels={"processed": {"fr": "Qualifié"}}
    )
    assert (policy.quality_bar, policy.version) == (70, 2)
    with pytest.raises(ValidationError):
        services.update_policy(actor=ops, version=1, quality_bar=80)
    with pytest.raises(ValidationError):
        services.update_policy(actor=ops, version=2, required_fields=["nope"])


def test_changing_the_rubric_rescores_feedback_in_the_background(ops, stakeholder, django_capture_on_commit_callbacks):
    feedback = _submit(stakeholder, evidence="quote")
    assert feedback.quality_score == 50  # problem + evidence
    from guilde.feedback.models import QualityCriterion

    with django_capture_on_commit_callbacks(execute=True):
        for criterion in QualityCriterion.objects.exclude(key="has_evidence"):
            services.save_criterion(
                actor=ops,
                criterion=criterion,
                key=criterion.key,
                kind=criterion.kind,
                label_en=criterion.label_en,
                weight=criterion.weight,
                is_active=False,
            )
    feedback.refresh_from_db()
    assert feedback.quality_score == 100


def test_ensure_default_definition_fills_an_empty_database_once(db):
    from guilde.feedback.models import QualityCriterion, Segment

    FeedbackPolicy.objects.all().delete()
    QualityCriterion.objects.all().delete()
    Segment.objects.all().delete()

    first = services.ensure_default_definition()
    second = services.ensure_default_definition()

    assert first == {"policy": 1, "criteria": 4, "segments": 3}
    assert second == {"policy": 0, "criteria": 0, "segments": 0}
    assert FeedbackPolicy.objects.get().required_fields == ["title", "problem", "source"]
    assert sum(QualityCriterion.objects.values_list("weight", flat=True)) == 100
    keys = list(Segment.objects.order_by("position").values_list("key", flat=True))
    assert keys == ["smb", "mid_market", "enterprise"]


def test_ensure_default_definition_keeps_what_product_ops_configured(db):
    from guilde.feedback.models import QualityCriterion

    QualityCriterion.objects.exclude(key="says_impact").delete()

    services.ensure_default_definition()

    assert list(QualityCriterion.objects.values_list("key", flat=True)) == ["says_impact"]
