import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from guilde.community import selectors
from guilde.community.enums import Region, RoleFamily
from guilde.community.models import Community, Pillar
from tests.community.conftest import make_member
from tests.factories.community import CommunityFactory, MemberFactory, TagFactory


def names(page):
    return [m.user.full_name for m in page.object_list]


@pytest.mark.django_db
def test_directory_searches_name_case_insensitively(member):
    MemberFactory(user__full_name="Hélène Dubois")
    MemberFactory(user__full_name="Thomas Bernard")

    assert names(selectors.directory(viewer=member.user, q="HÉLÈNE")) == ["Hélène Dubois"]


@pytest.mark.django_db
def test_directory_searches_skills_and_interests(member):
    MemberFactory(user__full_name="Ana", skills=[TagFactory(name="Discovery", slug="discovery")])
    MemberFactory(user__full_name="Bob", interests=[TagFactory(name="Pricing", slug="pricing")])
    MemberFactory(user__full_name="Cid")

    assert names(selectors.directory(viewer=member.user, q="discov")) == ["Ana"]
    assert names(selectors.directory(viewer=member.user, q="PRICING")) == ["Bob"]


@pytest.mark.django_db
def test_directory_search_does_not_repeat_a_member_with_several_matching_tags(member):
    MemberFactory(
        user__full_name="Ana",
        skills=[TagFactory(name="UX research", slug="ux-research"), TagFactory(name="UX writing", slug="ux-writing")],
        interests=[TagFactory(name="UX", slug="ux")],
    )

    assert names(selectors.directory(viewer=member.user, q="ux")) == ["Ana"]


@pytest.mark.django_db
def test_directory_filters_combine(member):
    MemberFactory(user__full_name="Ana", role_family=RoleFamily.DESIGNER, region=Region.LYON, brand="Atelier Skin")
    MemberFactory(user__full_name="Bob", role_family=RoleFamily.DESIGNER, region=Region.PARIS, is_volunteer=True)
    MemberFactory(user__full_name="Cid", role_family=RoleFamily.PM, region=Region.LYON, brand="Atelier Skin")

    by_family = selectors.directory(viewer=member.user, role_family=RoleFamily.DESIGNER)
    by_both = selectors.directory(viewer=member.user, role_family=RoleFamily.DESIGNER, region=Region.LYON)
    by_brand = selectors.directory(viewer=member.user, brand="Atelier Skin")
    volunteers = selectors.directory(viewer=member.user, volunteer=True)

    assert names(by_family) == ["Ana", "Bob"]
    assert names(by_both) == ["Ana"]
    assert names(by_brand) == ["Ana", "Cid"]
    assert names(volunteers) == ["Bob"]


@pytest.mark.django_db
def test_directory_hides_deactivated_members_except_from_product_ops(member, ops):
    MemberFactory(user__full_name="Gone", user__is_active=False)

    assert "Gone" not in names(selectors.directory(viewer=member.user))
    assert "Gone" in names(selectors.directory(viewer=ops.user))


@pytest.mark.django_db
def test_directory_pages_by_25(member):
    MemberFactory.create_batch(25)

    first = selectors.directory(viewer=member.user, page=1)
    second = selectors.directory(viewer=member.user, page="2")
    beyond = selectors.directory(viewer=member.user, page="nonsense")

    assert (len(first.object_list), len(second.object_list)) == (25, 1)
    assert beyond.number == 1


@pytest.mark.django_db
def test_member_for_hides_deactivated_members_as_missing(member, ops):
    gone = MemberFactory(user__is_active=False)

    with pytest.raises(Http404):
        selectors.member_for(viewer=member.user, pk=gone.pk)
    with pytest.raises(Http404):
        selectors.member_for(viewer=member.user, pk=999_999)
    assert selectors.member_for(viewer=ops.user, pk=gone.pk) == gone


@pytest.mark.django_db
def test_member_for_refuses_anonymous_viewers(member):
    with pytest.raises(Http404):
        selectors.member_for(viewer=AnonymousUser(), pk=member.pk)


@pytest.mark.django_db
def test_get_community_creates_the_singleton_with_four_bilingual_pillars_once():
    first = selectors.get_community()
    second = selectors.get_community()

    assert first == second
    assert Community.objects.count() == 1
    assert list(Pillar.objects.values_list("name_en", "name_fr")) == selectors.DEFAULT_PILLARS
    assert Pillar.objects.count() == 4


@pytest.mark.django_db
def test_community_name_is_guilde_without_a_community():
    assert selectors.community_name() == "Guilde"


@pytest.mark.django_db
def test_community_name_reads_the_community(django_assert_num_queries):
    CommunityFactory(name="Guilde Produit")

    with django_assert_num_queries(1):
        assert selectors.community_name() == "Guilde Produit"
    with django_assert_num_queries(0):
        assert selectors.community_name() == "Guilde Produit"


@pytest.mark.django_db
def test_profile_completeness_lists_what_is_missing():
    member = MemberFactory(job_title="", bio="")

    completeness = selectors.profile_completeness(member)

    missing = [key for key, _label in completeness.missing]
    assert missing == ["job_title", "team", "brand", "region", "languages", "skills", "interests", "bio"]
    assert completeness.percent == 11
    assert completeness.percent_step == 10


@pytest.mark.django_db
def test_profile_completeness_is_100_for_a_full_profile():
    member = MemberFactory(
        team="Checkout",
        brand="Maison Digital",
        region=Region.PARIS,
        languages=["fr"],
        bio="Hi",
        skills=[TagFactory()],
        interests=[TagFactory()],
    )

    completeness = selectors.profile_completeness(member)

    assert (completeness.percent, completeness.is_complete) == (100, True)


@pytest.mark.django_db
def test_brands_lists_distinct_brands_of_visible_members():
    viewer = make_member("member", brand="Nova Learning")
    MemberFactory(brand="Atelier Skin")
    MemberFactory(brand="Atelier Skin")
    MemberFactory(brand="Hidden", user__is_active=False)

    assert selectors.brands(viewer=viewer.user) == ["Atelier Skin", "Nova Learning"]


@pytest.mark.django_db
def test_directory_search_ignores_accents_both_ways(member):
    MemberFactory(user__full_name="Léa Martin")
    MemberFactory(user__full_name="Lea Roux")
    MemberFactory(user__full_name="Thomas Bernard")

    assert names(selectors.directory(viewer=member.user, q="lea")) == ["Léa Martin", "Lea Roux"]
    assert names(selectors.directory(viewer=member.user, q="LÉA")) == ["Léa Martin", "Lea Roux"]


@pytest.mark.django_db
def test_directory_sorts_accented_names_with_their_letter(member):
    for name in ("Zoé Petit", "Émile Roy", "Eva Long", "Lucas Blanc"):
        MemberFactory(user__full_name=name, brand="Atelier")

    page = selectors.directory(viewer=member.user, brand="Atelier")

    assert names(page) == ["Émile Roy", "Eva Long", "Lucas Blanc", "Zoé Petit"]


@pytest.mark.django_db
def test_people_search_ignores_accents(ops):
    MemberFactory(user__full_name="Hélène Dubois")
    MemberFactory(user__full_name="Thomas Bernard")

    assert names(selectors.people(viewer=ops.user, q="helene")) == ["Hélène Dubois"]


@pytest.mark.django_db
def test_a_name_changed_outside_the_profile_form_is_found_by_its_new_name(member, django_assert_num_queries):
    renamed = MemberFactory(user__full_name="Thomas Bernard")
    user = renamed.user
    user.full_name = "Zoé Lefèvre"
    user.save()  # as the Django admin does

    assert names(selectors.directory(viewer=member.user, q="zoe lef")) == ["Zoé Lefèvre"]
    assert names(selectors.directory(viewer=member.user, q="thomas")) == []
    with django_assert_num_queries(1):  # a sign-in: no search key to refresh
        user.save(update_fields=["last_login"])
