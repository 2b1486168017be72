import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guilde.accounts.enums import Role
from guilde.community import selectors, services
from guilde.community.enums import Region
from guilde.community.models import Member
from guilde.core.home import home_sections
from guilde.core.navigation import modules_for
from tests.community.conftest import ROLES, make_member
from tests.factories.community import MemberFactory, PillarFactory, TagFactory

OPS_ONLY = {"charter_edit", "pillars", "pillar_edit", "people", "person_deactivate"}
EVERYONE = {"directory", "member", "my_profile", "my_profile_edit", "charter"}


def _url(name, *, other, pillar):
    if name in {"member", "person_deactivate"}:
        return reverse(f"community:{name}", args=[other.pk])
    if name == "pillar_edit":
        return reverse("community:pillar_edit", args=[pillar.pk])
    return reverse(f"community:{name}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("name", sorted(EVERYONE | OPS_ONLY))
def test_permission_matrix(client, role, name):
    other = MemberFactory()
    pillar = PillarFactory(community=selectors.get_community())
    if role != "anonymous":
        client.force_login(make_member(role).user)

    response = client.get(_url(name, other=other, pillar=pillar))

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif name in OPS_ONLY and role != "product_ops":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_deactivated_member_page_is_404_except_for_product_ops(client, role):
    gone = MemberFactory(user__is_active=False)
    client.force_login(make_member(role).user)

    response = client.get(reverse("community:member", args=[gone.pk]))

    assert response.status_code == (200 if role == "product_ops" else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "volunteer", "executive", "stakeholder"])
@pytest.mark.parametrize(
    "name", ["pillar_move", "pillar_archive", "person_role", "person_reactivate", "person_deactivate"]
)
def test_product_ops_actions_are_refused_to_others(client, role, name):
    target = MemberFactory()
    pillar = PillarFactory()
    client.force_login(make_member(role).user)
    pk = pillar.pk if name.startswith("pillar") else target.pk

    response = client.post(reverse(f"community:{name}", args=[pk]), {"role": Role.PRODUCT_OPS, "archived": "1"})

    target.user.refresh_from_db()
    pillar.refresh_from_db()
    assert response.status_code == 403
    assert (target.user.role, target.user.is_active, pillar.is_archived) == (Role.MEMBER, True, False)


@pytest.mark.django_db
def test_directory_lists_members_with_filters_kept_in_pagination(member_client):
    MemberFactory.create_batch(26, region=Region.LYON)

    response = member_client.get(reverse("community:directory"), {"region": "lyon"})

    html = response.content.decode()
    assert len(response.context["members"]) == 25
    assert "?region=lyon&amp;page=2" in html
    assert 'hx-push-url="true"' in html
    assert "<html" in html


@pytest.mark.django_db
def test_directory_htmx_request_renders_only_the_results(member_client):
    MemberFactory(user__full_name="Zoé Perrin")

    response = member_client.get(reverse("community:directory"), {"q": "zoé"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="directory-results"')
    assert "Zoé Perrin" in html
    assert "<html" not in html


@pytest.mark.django_db
def test_directory_htmx_history_restore_gets_the_whole_page(member_client):
    response = member_client.get(
        reverse("community:directory"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


@pytest.mark.django_db
def test_directory_empty_search_offers_to_clear_filters(member_client):
    response = member_client.get(reverse("community:directory"), {"q": "nobody-has-this-name"})

    assert "Nobody matches these filters" in response.content.decode()


@pytest.mark.django_db
def test_directory_query_count_does_not_grow_with_members(member_client, django_assert_num_queries):
    skills = [TagFactory(), TagFactory()]
    url = reverse("community:directory")
    member_client.get(url)  # warms the cached community name and the session

    with CaptureQueriesContext(connection) as one:
        member_client.get(url)
    MemberFactory.create_batch(2, skills=skills, interests=skills)
    with django_assert_num_queries(len(one.captured_queries)):
        response = member_client.get(url)

    assert len(response.context["members"]) == 3


@pytest.mark.django_db
def test_member_page_shows_facts_badges_and_local_time(member_client):
    other = MemberFactory(
        user__full_name="Ryan Clark",
        user__timezone="America/Chicago",
        skills=[TagFactory(name="Mobile", slug="mobile")],
        languages=["en", "es"],
    )

    response = member_client.get(other.get_absolute_url())

    html = response.content.decode()
    assert "Mobile" in html
    assert "America/Chicago" in html
    assert "English, Spanish" in html
    assert ">RC<" in html


@pytest.mark.django_db
def test_my_profile_creates_a_missing_profile(client):
    user = MemberFactory.build().user
    user.save()
    client.force_login(user)

    response = client.get(reverse("community:my_profile"))

    assert response.status_code == 200
    assert Member.objects.filter(user=user).exists()
    assert "Complete my profile" in response.content.decode()


@pytest.mark.django_db
def test_my_profile_edit_saves_and_redirects(member_client, member):
    data = {
        "full_name": "Léa Martin",
        "job_title": "Senior PM",
        "role_family": "pm",
        "region": "paris",
        "timezone": "Europe/Paris",
        "language": "fr",
        "languages": ["fr", "en"],
        "skills": "Discovery, Pricing",
        "interests": "Mentoring",
        "weekly_minutes": "60",
        "is_volunteer": "on",
        "version": str(member.version),
    }

    response = member_client.post(reverse("community:my_profile_edit"), data)

    member.refresh_from_db()
    assert response.status_code == 302
    assert response.cookies["guilde_language"].value == "fr"
    assert (member.user.full_name, member.job_title, member.is_volunteer) == ("Léa Martin", "Senior PM", True)
    assert sorted(t.name for t in member.skills.all()) == ["Discovery", "Pricing"]


@pytest.mark.django_db
def test_my_profile_edit_shows_field_errors(member_client, member):
    response = member_client.post(
        reverse("community:my_profile_edit"),
        {"full_name": "X", "role_family": "pm", "timezone": "Europe/Paris", "language": "en",
         "weekly_minutes": "700", "version": "1"},
    )  # fmt: skip

    member.refresh_from_db()
    assert response.status_code == 200
    assert "weekly_minutes" in response.context["form"].errors
    assert member.user.full_name != "X"


@pytest.mark.django_db
def test_my_profile_edit_reports_a_concurrent_change(member_client, member):
    services.update_profile(actor=member.user, member=member, data={"team": "Theirs"}, version=1)

    response = member_client.post(
        reverse("community:my_profile_edit"),
        {"full_name": "Me", "role_family": "pm", "timezone": "Europe/Paris", "language": "en",
         "weekly_minutes": "60", "version": "1"},
    )  # fmt: skip

    assert response.status_code == 200
    assert "Someone else changed this profile" in response.content.decode()


@pytest.mark.django_db
def test_charter_markdown_is_sanitised(member_client, ops):
    community = selectors.get_community()
    services.update_charter(
        actor=ops.user,
        community=community,
        version=community.version,
        name="Guilde",
        purpose="",
        charter='## Hello\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[x](javascript:alert(3))',
        official_status="official",
        sponsor=None,
        weekly_minutes=60,
        officialised_on=None,
    )

    html = member_client.get(reverse("community:charter")).content.decode()

    assert "<h2>Hello</h2>" in html
    assert "alert(1)" not in html.split('<article class="card">')[1]
    assert "onerror" not in html
    assert "javascript:" not in html


@pytest.mark.django_db
def test_charter_edit_saves_and_shows_who_changed_it(ops_client, ops):
    community = selectors.get_community()

    response = ops_client.post(
        reverse("community:charter_edit"),
        {"name": "Guilde Produit", "purpose": "Learn", "charter": "## Why", "official_status": "official",
         "sponsor": "", "weekly_minutes": "60", "officialised_on": "2026-03-02", "version": str(community.version)},
    )  # fmt: skip
    page = ops_client.get(reverse("community:charter")).content.decode()

    community.refresh_from_db()
    assert response.status_code == 302
    assert (community.name, community.charter_updated_by) == ("Guilde Produit", ops.user)
    assert f"by {ops.user.full_name}" in page


@pytest.mark.django_db
def test_pillars_page_adds_moves_and_archives(ops_client):
    community = selectors.get_community()
    url = reverse("community:pillars")

    ops_client.post(url, {"name_en": "Coaching", "name_fr": "Coaching"})
    added = community.pillars.get(name_en="Coaching")
    ops_client.post(reverse("community:pillar_move", args=[added.pk]), {"direction": "up"})
    ops_client.post(reverse("community:pillar_archive", args=[added.pk]), {"archived": "1"})
    ops_client.post(
        reverse("community:pillar_edit", args=[added.pk]), {"name_en": "Coaching sessions", "name_fr": "Coaching"}
    )

    added.refresh_from_db()
    assert (added.position, added.is_archived, added.name_en) == (4, True, "Coaching sessions")


@pytest.mark.django_db
def test_people_page_invites_by_email(ops_client):
    response = ops_client.post(
        reverse("community:people"), {"invite-email": "new@example.com", "invite-role": "member"}
    )

    assert response.status_code == 302
    assert mail.outbox[0].to == ["new@example.com"]
    assert "new@example.com" in ops_client.get(reverse("community:people")).content.decode()


@pytest.mark.django_db
def test_people_page_refuses_an_existing_email(ops_client, member):
    response = ops_client.post(
        reverse("community:people"), {"invite-email": member.user.email, "invite-role": "member"}
    )

    assert response.status_code == 200
    assert "already in the community" in response.content.decode()


@pytest.mark.django_db
def test_people_page_shows_an_invitation_error_beside_its_field(ops_client):
    response = ops_client.post(reverse("community:people"), {"invite-email": "not-an-address", "invite-role": "member"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="invalid-feedback d-block">Enter a valid email address.</div>' in html
    assert mail.outbox == []


@pytest.mark.django_db
def test_people_page_changes_role(ops_client, member):
    ops_client.post(reverse("community:person_role", args=[member.pk]), {"role": Role.EXECUTIVE})

    member.user.refresh_from_db()
    assert member.user.role == Role.EXECUTIVE


@pytest.mark.django_db
def test_deactivation_asks_for_confirmation_then_deactivates_and_reactivates(ops_client, member):
    url = reverse("community:person_deactivate", args=[member.pk])

    confirmation = ops_client.get(url)
    member.user.refresh_from_db()
    assert member.user.is_active
    assert "can no longer sign in" in confirmation.content.decode()

    ops_client.post(url)
    member.user.refresh_from_db()
    assert not member.user.is_active
    assert Member.objects.filter(pk=member.pk).exists()

    ops_client.post(reverse("community:person_reactivate", args=[member.pk]))
    member.user.refresh_from_db()
    assert member.user.is_active


@pytest.mark.django_db
def test_product_ops_cannot_deactivate_themselves(ops_client, ops):
    response = ops_client.post(reverse("community:person_deactivate", args=[ops.pk]), follow=True)

    ops.user.refresh_from_db()
    assert ops.user.is_active
    assert "cannot deactivate your own account" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_the_community_section(member_client):
    response = member_client.get(reverse("core:home"))

    html = response.content.decode()
    assert "What&#x27;s next" in html or "What's next" in html
    assert reverse("community:my_profile_edit") in html
    assert selectors.get_community().name in html


@pytest.mark.django_db
def test_home_section_is_first_and_created_for_a_new_user(rf, member):
    request = rf.get("/")
    request.user = member.user

    sections = home_sections(request)

    assert sections[0].template == "community/_home_section.html"
    assert sections[0].context["completeness"].percent < 100


@pytest.mark.django_db
def test_navigation_lists_community_for_signed_in_users(member):
    items = modules_for(member.user, "/community/members/")

    community = next(item for item in items if item.key == "community")
    assert (community.url, community.active) == ("/community/members/", True)


@pytest.mark.django_db
def test_context_processor_gives_the_community_name(rf, ops):
    from guilde.community.context_processors import community

    selectors.get_community()
    community_obj = selectors.get_community()
    community_obj.name = "Guilde Produit"
    community_obj.save()

    assert str(community(rf.get("/"))["community_name"]) == "Guilde Produit"


@pytest.mark.django_db
def test_people_query_count_does_not_grow_with_members(ops_client, django_assert_num_queries):
    url = reverse("community:people")
    ops_client.get(url)

    with CaptureQueriesContext(connection) as one:
        ops_client.get(url)
    MemberFactory.create_batch(2)
    with django_assert_num_queries(len(one.captured_queries)):
        response = ops_client.get(url)

    assert len(response.context["members"]) == 3


@pytest.mark.django_db
def test_directory_speaks_french_with_french_typography(client):
    user = make_member("member").user
    user.language = "fr"
    user.save()
    client.force_login(user)

    html = client.get(reverse("community:directory")).content.decode()
    profile = client.get(reverse("community:my_profile")).content.decode()

    assert "Annuaire" in html
    assert "Nom, compétence ou centre d\u2019intérêt" in html
    assert "Il manque\u202f:" in profile
