import datetime

import factory

from guilde.community import selectors as community_selectors
from guilde.initiatives.models import Absence, Challenge, CheckIn, Initiative, Pledge
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory


def default_pillar():
    """The community's first default pillar (created with the community on first need)."""
    return community_selectors.get_community().pillars.order_by("position").first()


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    title = factory.Sequence(lambda n: f"Challenge {n}")
    description = "It hurts every week."
    pillar = factory.LazyFunction(default_pillar)
    author = factory.SubFactory(UserFactory)


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A planned initiative of 10 person-hours due in 8 weeks."""

    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative {n}")
    goal = "Make product people better at something."
    pillar = factory.LazyFunction(default_pillar)
    effort_hours = 10
    status = "planned"
    target_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(weeks=8))
    lead = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("lead")


class PledgeFactory(factory.django.DjangoModelFactory):
    """60 minutes a week from this week's Monday for 8 weeks, by a new volunteer."""

    class Meta:
        model = Pledge

    initiative = factory.SubFactory(InitiativeFactory)
    member = factory.SubFactory(MemberFactory, is_volunteer=True)
    minutes_per_week = 60
    start = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(weeks=8))


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    initiative = factory.SubFactory(InitiativeFactory)
    author = factory.SubFactory(UserFactory)
    note = "Moved forward."
    minutes_spent = 60
    week = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    )


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    member = factory.SubFactory(MemberFactory, is_volunteer=True)
    start = factory.LazyFunction(datetime.date.today)
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=4))
