from decimal import Decimal

import factory
from django.utils import timezone

from guilde.feedback.enums import FeedbackStatus, Impact, SourceChannel
from guilde.feedback.models import (
    CustomerAccount,
    Feedback,
    FeedbackOpportunity,
    FeedbackSupporter,
    Opportunity,
    ProductArea,
    Segment,
    StatusChange,
)
from tests.factories.accounts import UserFactory


class ProductAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductArea

    name_en = factory.Sequence(lambda n: f"Area {n}")
    name_fr = factory.Sequence(lambda n: f"Domaine {n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"segment-{n}")
    name_en = factory.Sequence(lambda n: f"Segment {n}")


class CustomerAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerAccount

    name = factory.Sequence(lambda n: f"Customer {n}")
    segment = factory.SubFactory(SegmentFactory)
    plan = "Pro"
    arr = Decimal("12000.00")
    currency = "EUR"
    owner = factory.SubFactory(UserFactory)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A plain new feedback; figures copied from the account as the service would."""

    class Meta:
        model = Feedback

    title = factory.Sequence(lambda n: f"Feedback {n}")
    problem = "Customers cannot export their invoices, they lose hours every month."
    source = SourceChannel.SUPPORT_TICKET
    impact = Impact.MEDIUM
    submitter = factory.SubFactory(UserFactory)
    account = None
    status = FeedbackStatus.NEW
    received_at = factory.LazyFunction(timezone.now)
    quality_score = 50

    @factory.lazy_attribute
    def segment(self):
        return self.account.segment if self.account else None

    @factory.lazy_attribute
    def arr(self):
        return self.account.arr if self.account else Decimal(0)


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    feedback = factory.SubFactory(FeedbackFactory)
    from_status = FeedbackStatus.NEW
    to_status = FeedbackStatus.PROCESSED


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Opportunity {n}")
    strategic_fit = 3
    effort = 2


class FeedbackOpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackOpportunity

    feedback = factory.SubFactory(FeedbackFactory)
    opportunity = factory.SubFactory(OpportunityFactory)


class FeedbackSupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackSupporter

    feedback = factory.SubFactory(FeedbackFactory)
    account = factory.SubFactory(CustomerAccountFactory)
    user = factory.SubFactory(UserFactory)
