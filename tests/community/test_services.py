import pytest
from allauth.account.signals import user_signed_up
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from guilde.accounts.enums import Role
from guilde.community import selectors, services
from guilde.community.enums import RoleFamily
from guilde.community.models import Member, Pillar, Tag
from guilde.core.concurrency import ConcurrentEditError
from tests.community.conftest import make_member
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory, PillarFactory


@pytest.mark.django_db
def test_ensure_member_creates_the_profile_once():
    user = UserFactory(full_name="Jordan Miller", role=Role.PRODUCT_OPS)

    first = services.ensure_member(user=user)
    second = services.ensure_member(user=user)

    assert first == second
    assert (first.search_name, first.role_family, first.weekly_minutes) == ("jordan miller", RoleFamily.PRODUCT_OPS, 60)


@pytest.mark.django_db
def test_sign_up_signal_creates_the_profile():
    user = UserFactory()

    user_signed_up.send(sender=user.__class__, request=RequestFactory().get("/"), user=user)

    assert Member.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_update_profile_changes_profile_and_account_fields(member):
    data = {
        "full_name": "  Léa   Martin ",
        "timezone": "America/New_York",
        "language": "fr",
        "job_title": "Lead PM",
        "weekly_minutes": 90,
        "is_volunteer": True,
        "languages": ["fr", "en"],
    }

    services.update_profile(actor=member.user, member=member, data=data, version=member.version)

    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.user.full_name, member.user.timezone, member.user.language) == (
        "Léa Martin",
        "America/New_York",
        "fr",
    )
    assert (member.job_title, member.weekly_minutes, member.is_volunteer) == ("Lead PM", 90, True)
    assert (member.search_name, member.languages, member.version) == ("lea martin", ["fr", "en"], 2)


@pytest.mark.django_db
def test_update_profile_creates_tags_by_slug_without_duplicates(member):
    Tag.objects.create(name="Discovery", slug="discovery")

    services.update_profile(
        actor=member.user,
        member=member,
        data={"skills": ["discovery", "Pricing", "pricing ", "  "], "interests": ["Stratégie produit"]},
        version=member.version,
    )

    assert [t.name for t in member.skills.order_by("name")] == ["Discovery", "Pricing"]
    assert [t.slug for t in member.interests.all()] == ["strategie-produit"]
    assert Tag.objects.count() == 3


@pytest.mark.django_db
def test_update_profile_refuses_a_stale_version(member):
    stale = member.version
    services.update_profile(actor=member.user, member=member, data={"team": "Checkout"}, version=stale)

    with pytest.raises(ConcurrentEditError) as caught:
        services.update_profile(actor=member.user, member=member, data={"team": "Loyalty"}, version=stale)

    member.refresh_from_db()
    assert "Someone else changed this profile" in caught.value.messages[0]
    assert (member.team, member.version) == ("Checkout", 2)


@pytest.mark.django_db
def test_update_profile_refuses_someone_elses_profile(member):
    other = MemberFactory()

    with pytest.raises(PermissionDenied):
        services.update_profile(actor=member.user, member=other, data={"team": "X"}, version=other.version)


@pytest.mark.django_db
def test_update_profile_lets_product_ops_fix_a_profile(ops, member):
    services.update_profile(actor=ops.user, member=member, data={"team": "Fixed"}, version=member.version)

    member.refresh_from_db()
    assert member.team == "Fixed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weekly_minutes": 601}, "weekly_minutes"),
        ({"weekly_minutes": -1}, "weekly_minutes"),
        ({"full_name": "   "}, "full_name"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"role_family": "wizard"}, "role_family"),
        ({"languages": ["klingon"]}, "languages"),
        ({"region": "atlantis"}, "region"),
        ({"skills": [f"tag {n}" for n in range(21)]}, "skills"),
        ({"email": "x@example.com"}, "__all__"),
    ],
)
def test_update_profile_refuses_bad_values_and_changes_nothing(member, data, field):
    with pytest.raises(ValidationError) as caught:
        services.update_profile(actor=member.user, member=member, data=data, version=member.version)

    member.refresh_from_db()
    assert list(caught.value.message_dict) == [field]
    assert member.version == 1


def _charter_args(community, **overrides):
    args = {
        "community": community,
        "version": community.version,
        "name": "Guilde Produit",
        "purpose": "Learn together",
        "charter": "## Why",
        "official_status": "official",
        "sponsor": None,
        "weekly_minutes": 60,
        "officialised_on": None,
    }
    return {**args, **overrides}


@pytest.mark.django_db(transaction=True)
def test_update_charter_records_who_and_when_and_renames_the_layout(ops):
    community = selectors.get_community()
    assert selectors.community_name() == "Guilde"

    services.update_charter(actor=ops.user, **_charter_args(community))

    community.refresh_from_db()
    assert (community.charter, community.charter_updated_by, community.version) == ("## Why", ops.user, 2)
    assert community.charter_updated_at is not None
    assert cache.get(selectors.COMMUNITY_NAME_CACHE_KEY) is None
    assert selectors.community_name() == "Guilde Produit"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "volunteer", "executive", "stakeholder"])
def test_update_charter_is_for_product_ops_only(role):
    actor = make_member(role).user
    community = selectors.get_community()

    with pytest.raises(PermissionDenied):
        services.update_charter(actor=actor, **_charter_args(community))


@pytest.mark.django_db
def test_update_charter_refuses_a_stale_version(ops):
    community = selectors.get_community()
    services.update_charter(actor=ops.user, **_charter_args(community))

    with pytest.raises(ConcurrentEditError):
        services.update_charter(actor=ops.user, **_charter_args(community, version=1, charter="Older"))

    community.refresh_from_db()
    assert community.charter == "## Why"


@pytest.mark.django_db
def test_update_charter_refuses_an_inactive_sponsor(ops):
    community = selectors.get_community()
    sponsor = UserFactory(is_active=False)

    with pytest.raises(ValidationError) as caught:
        services.update_charter(actor=ops.user, **_charter_args(community, sponsor=sponsor))

    assert list(caught.value.message_dict) == ["sponsor"]


@pytest.mark.django_db
def test_create_pillar_appends_it(ops):
    community = selectors.get_community()

    pillar = services.create_pillar(actor=ops.user, community=community, name_en=" Coaching ", name_fr="Coaching")

    assert (pillar.position, pillar.name_en) == (5, "Coaching")


@pytest.mark.django_db
def test_create_pillar_needs_both_names(ops):
    community = selectors.get_community()

    with pytest.raises(ValidationError) as caught:
        services.create_pillar(actor=ops.user, community=community, name_en="", name_fr="")

    assert sorted(caught.value.message_dict) == ["name_en", "name_fr"]


@pytest.mark.django_db
def test_pillar_services_are_for_product_ops_only(member):
    pillar = PillarFactory()

    with pytest.raises(PermissionDenied):
        services.create_pillar(actor=member.user, community=pillar.community, name_en="A", name_fr="A")
    with pytest.raises(PermissionDenied):
        services.update_pillar(actor=member.user, pillar=pillar, name_en="A", name_fr="A")
    with pytest.raises(PermissionDenied):
        services.set_pillar_archived(actor=member.user, pillar=pillar, archived=True)
    with pytest.raises(PermissionDenied):
        services.reorder_pillars(actor=member.user, community=pillar.community, pillar_ids=[pillar.pk])


@pytest.mark.django_db
def test_update_pillar_changes_names(ops):
    pillar = PillarFactory()

    services.update_pillar(actor=ops.user, pillar=pillar, name_en="Learn", name_fr="Apprendre", description_en="Why")

    pillar.refresh_from_db()
    assert (pillar.name_en, pillar.name_fr, pillar.description_en) == ("Learn", "Apprendre", "Why")


@pytest.mark.django_db
def test_reorder_and_move_pillars(ops):
    community = selectors.get_community()
    first, second, third, fourth = community.pillars.all()

    services.reorder_pillars(actor=ops.user, community=community, pillar_ids=[third.pk, first.pk])
    assert list(community.pillars.all()) == [third, first, second, fourth]

    services.move_pillar(actor=ops.user, pillar=fourth, offset=-1)
    assert list(community.pillars.all()) == [third, first, fourth, second]


@pytest.mark.django_db
def test_reorder_pillars_refuses_foreign_pillars(ops):
    community = selectors.get_community()
    foreign = PillarFactory()

    with pytest.raises(ValidationError):
        services.reorder_pillars(actor=ops.user, community=community, pillar_ids=[foreign.pk])


@pytest.mark.django_db
def test_archived_pillars_leave_the_list_and_can_come_back(ops):
    community = selectors.get_community()
    pillar = community.pillars.first()

    services.set_pillar_archived(actor=ops.user, pillar=pillar, archived=True)
    assert pillar not in selectors.pillars(community=community)
    assert Pillar.objects.filter(pk=pillar.pk).exists()

    services.set_pillar_archived(actor=ops.user, pillar=pillar, archived=False)
    assert pillar in selectors.pillars(community=community)


def test_search_name_is_lower_cased_without_accents_or_extra_spaces():
    assert services.search_name_for("  Ève   LÉGER-Çelik ") == "eve leger-celik"


@pytest.mark.django_db
def test_update_profile_folds_accents_in_the_search_name():
    member = MemberFactory(user__full_name="Lea Martin")

    services.update_profile(actor=member.user, member=member, data={"full_name": "Hélène Dubois"}, version=1)

    member.refresh_from_db()
    assert member.search_name == "helene dubois"
