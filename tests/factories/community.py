import datetime

import factory

from guilde.community.models import Community, Member, Pillar, Tag
from guilde.community.services import search_name_for
from tests.factories.accounts import UserFactory


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda tag: tag.name.lower().replace(" ", "-"))


class MemberFactory(factory.django.DjangoModelFactory):
    """A profile and its user; `user__role=...` or `user__is_active=False` reach the user."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    job_title = "Product Manager"
    joined_on = datetime.date(2026, 1, 5)
    search_name = factory.LazyAttribute(lambda member: search_name_for(member.user.full_name))

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(extracted)


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = "Test Guild"
    purpose = "Learn together."


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar

    community = factory.SubFactory(CommunityFactory)
    position = factory.Sequence(lambda n: n + 1)
    name_en = factory.Sequence(lambda n: f"Pillar {n}")
    name_fr = factory.Sequence(lambda n: f"Pilier {n}")
