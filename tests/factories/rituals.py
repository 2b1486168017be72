import datetime

import factory
from django.utils import timezone

from guilde.rituals.enums import RsvpStatus, TopicStatus, Visibility
from guilde.rituals.models import Rating, Ritual, Rsvp, Session, Topic
from tests.factories.accounts import UserFactory


class RitualFactory(factory.django.DjangoModelFactory):
    """A members-only ritual every two weeks on Tuesday at 12:00 Paris; no sessions until asked."""

    class Meta:
        model = Ritual
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Exchange {n}")
    weekday = 1
    interval_weeks = 2
    local_time = datetime.time(12, 0)
    timezone = "Europe/Paris"
    starts_on = datetime.date(2026, 1, 1)
    visibility = Visibility.MEMBERS

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if create and extracted:
            self.hosts.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    """A session starting in three days, one hour long."""

    class Meta:
        model = Session

    ritual = factory.SubFactory(RitualFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=1))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Topic {n}")
    description = "What we learnt."
    proposed_by = factory.SubFactory(UserFactory)
    status = TopicStatus.PROPOSED
    languages = factory.LazyFunction(lambda: ["en"])

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if not create:
            return
        self.speakers.set(extracted if extracted is not None else ([self.proposed_by] if self.proposed_by else []))


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = RsvpStatus.GOING


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    usefulness = 4
