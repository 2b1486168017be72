import pytest
from django.utils import translation

from tests.factories.community import CommunityFactory, MemberFactory, PillarFactory


@pytest.mark.django_db
def test_member_str_and_url_name_the_person():
    member = MemberFactory(user__full_name="Léa Martin")

    assert str(member) == "Léa Martin"
    assert member.get_absolute_url() == f"/community/members/{member.pk}/"


@pytest.mark.django_db
def test_community_url_is_the_charter():
    community = CommunityFactory(name="Guilde Produit")

    assert str(community) == "Guilde Produit"
    assert community.get_absolute_url() == "/community/charter/"


@pytest.mark.django_db
def test_pillar_name_follows_the_active_language():
    pillar = PillarFactory(name_en="Share and learn better", name_fr="Mieux partager et apprendre")

    with translation.override("fr"):
        assert pillar.name == "Mieux partager et apprendre"
    with translation.override("en"):
        assert str(pillar) == "Share and learn better"


@pytest.mark.django_db
def test_pillar_description_falls_back_to_english_when_french_is_missing():
    pillar = PillarFactory(description_en="Rituals", description_fr="")

    with translation.override("fr"):
        assert pillar.description == "Rituals"
