import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guilde.accounts.enums import Role
from guilde.community.enums import RoleFamily
from guilde.core.concurrency import ConcurrentEditError
from guilde.learning import selectors, services
from guilde.learning.enums import Audience, EnrolmentSource, PathPurpose, StepKind
from guilde.learning.models import Enrolment, LiveSession, Path, Step
from tests.factories.community import MemberFactory
from tests.factories.learning import EnrolmentFactory, PathFactory, QuestionFactory, QuizFactory, StepFactory
from tests.factories.rituals import SessionFactory
from tests.learning.conftest import ROLES, make_user


def _titles(path):
    return list(path.steps.order_by("position").values_list("title_en", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_path_editing_pages_are_for_product_ops_only(client, role):
    path = PathFactory()
    step = StepFactory(path=path)
    client.force_login(make_user(role))
    urls = [
        reverse("learning:path_create"),
        reverse("learning:path_edit", args=[path.pk]),
        reverse("learning:step_create", args=[path.pk]),
        reverse("learning:step_edit", args=[path.pk, step.pk]),
        reverse("learning:path_enrol_people", args=[path.pk]),
    ]

    statuses = {client.get(url).status_code for url in urls}
    moved = client.post(reverse("learning:step_move", args=[path.pk, step.pk]), {"direction": "up", "version": 1})

    expected = 200 if role == "product_ops" else 404
    assert statuses == {expected}
    assert moved.status_code == (302 if role == "product_ops" else 404)


def test_product_ops_create_a_path_then_add_and_order_its_steps(ops_client, ops):
    response = ops_client.post(
        reverse("learning:path_create"),
        {
            "title_en": "Designers' first month",
            "title_fr": "Le premier mois des designers",
            "purpose": PathPurpose.ONBOARDING,
            "audience": Audience.NEW_DESIGNER,
            "auto_enrol": "on",
            "auto_role_families": [RoleFamily.DESIGNER],
            "due_days": "30",
            "is_published": "on",
        },
    )
    path = Path.objects.get(title_en="Designers' first month")
    assert response["Location"] == reverse("learning:path_edit", args=[path.pk])
    assert (path.author, path.auto_role_families, path.due_days, path.version) == (ops, ["designer"], 30, 1)

    for title, kind in (("Read the charter", StepKind.READ), ("Meet your buddy", StepKind.MEET)):
        ops_client.post(
            reverse("learning:step_create", args=[path.pk]),
            {"kind": kind, "title_en": title, "version": Path.objects.get(pk=path.pk).version},
        )
    meet = path.steps.get(title_en="Meet your buddy")
    ops_client.post(
        reverse("learning:step_move", args=[path.pk, meet.pk]),
        {"direction": "up", "version": Path.objects.get(pk=path.pk).version},
    )

    assert _titles(path) == ["Meet your buddy", "Read the charter"]
    assert Path.objects.get(pk=path.pk).version == 4


def test_a_stale_path_edit_is_refused_and_nothing_changes(ops):
    path = PathFactory(title_en="Original")
    step = StepFactory(path=path, title_en="First")
    StepFactory(path=path, title_en="Second")
    services.update_path(actor=ops, path=path, data={"title_en": "Theirs"}, version=1)

    with pytest.raises(ConcurrentEditError):
        services.update_path(actor=ops, path=Path.objects.get(pk=path.pk), data={"title_en": "Mine"}, version=1)
    with pytest.raises(ConcurrentEditError):
        services.move_step(actor=ops, step=step, direction="down", version=1)
    with pytest.raises(ConcurrentEditError):
        services.remove_step(actor=ops, step=step, version=1)

    path.refresh_from_db()
    assert (path.title_en, path.version, _titles(path)) == ("Theirs", 2, ["First", "Second"])


def test_the_edit_page_shows_a_stale_save_as_an_error(ops_client):
    path = PathFactory(title_en="Original")
    Path.objects.filter(pk=path.pk).update(version=5)

    response = ops_client.post(
        reverse("learning:path_edit", args=[path.pk]),
        {"title_en": "Mine", "purpose": "general", "audience": "everyone", "version": 4},
    )

    assert response.status_code == 200
    assert "Someone changed this in the meantime" in response.content.decode()
    assert Path.objects.get(pk=path.pk).title_en == "Original"


def test_removing_a_step_renumbers_and_recounts_progress(ops, member):
    path = PathFactory()
    read = StepFactory(path=path, kind=StepKind.READ, title_en="Read")
    do = StepFactory(path=path, kind=StepKind.DO, title_en="Do")
    StepFactory(path=path, kind=StepKind.READ, title_en="Last")
    enrolment = services.enrol(actor=member, path=path)
    services.complete_step(actor=member, enrolment=enrolment, step=read)
    services.complete_step(actor=member, enrolment=enrolment, step=do)

    services.remove_step(actor=ops, step=Step.objects.get(title_en="Last"), version=1)

    enrolment.refresh_from_db()
    assert list(path.steps.values_list("title_en", "position")) == [("Read", 0), ("Do", 1)]
    assert enrolment.completed_steps == 2
    assert enrolment.completed_at is not None


def test_a_quiz_step_needs_its_quiz(ops):
    path = PathFactory()

    with pytest.raises(ValidationError) as error:
        services.add_step(actor=ops, path=path, data={"kind": StepKind.QUIZ, "title_en": "Quiz"}, version=1)

    assert "quiz" in error.value.message_dict
    assert not path.steps.exists()


def test_only_product_ops_edit_paths_in_services(member):
    path = PathFactory()

    with pytest.raises(PermissionDenied):
        services.create_path(actor=member, data={"title_en": "Mine"})
    with pytest.raises(PermissionDenied):
        services.add_step(actor=member, path=path, data={"kind": "read", "title_en": "Step"}, version=1)


def test_enrol_people_picks_people_a_team_and_a_role_family(ops_client, ops):
    path = PathFactory()
    picked = make_user("member")
    team_a = [make_user("member", team="Payments") for _ in range(2)]
    designer = make_user("member", role_family=RoleFamily.DESIGNER)
    make_user("member", team="Growth")  # not picked
    EnrolmentFactory(path=path, user=team_a[0])

    response = ops_client.post(
        reverse("learning:path_enrol_people", args=[path.pk]),
        {"users": [picked.pk], "team": "Payments", "role_family": RoleFamily.DESIGNER},
    )

    assert response.status_code == 302, response.context["form"].errors
    enrolled = set(Enrolment.objects.filter(path=path).values_list("user_id", flat=True))
    assert enrolled == {picked.pk, team_a[0].pk, team_a[1].pk} | set(
        selectors.people_in(role_family=RoleFamily.DESIGNER).values_list("pk", flat=True)
    )
    assert designer.pk in enrolled
    assert Enrolment.objects.get(path=path, user=picked).source == EnrolmentSource.MANUAL


def test_enrolling_nobody_is_refused(ops_client):
    path = PathFactory()

    response = ops_client.post(reverse("learning:path_enrol_people", args=[path.pk]), {})

    assert response.status_code == 200
    assert not Enrolment.objects.filter(path=path).exists()


def test_auto_enrolment_by_role_family_overrides_the_audience(db):
    designers = PathFactory(auto_enrol=True, audience=Audience.EVERYONE, auto_role_families=[RoleFamily.DESIGNER])
    stakeholders = PathFactory(auto_enrol=True, audience=Audience.EVERYONE, auto_roles=[Role.STAKEHOLDER])
    everyone = PathFactory(auto_enrol=True, audience=Audience.EVERYONE)
    designer = MemberFactory(role_family=RoleFamily.DESIGNER).user

    enrolments = services.enrol_new_user(user=designer)

    assert {e.path for e in enrolments} == {designers, everyone}
    assert stakeholders not in {e.path for e in enrolments}


# Buddies --------------------------------------------------------------------------------------


@pytest.fixture
def newcomer_path(db):
    path = PathFactory(purpose=PathPurpose.ONBOARDING)
    StepFactory(path=path, kind=StepKind.READ, title_en="Read the charter")
    StepFactory(path=path, kind=StepKind.DO, title_en="Write a feedback")
    StepFactory(path=path, kind=StepKind.MEET, title_en="Coffee with the buddy")
    return path


def test_the_buddy_sees_and_confirms_pending_do_and_meet_steps(client, newcomer_path):
    buddy = make_user("member")
    newcomer = make_user("member")
    enrolment = EnrolmentFactory(path=newcomer_path, user=newcomer, buddy=buddy)
    client.force_login(buddy)

    page = client.get(reverse("learning:buddy")).content.decode()
    assert "Write a feedback" in page
    assert "Coffee with the buddy" in page
    assert "Read the charter" not in page
    assert selectors.buddy_pending_count(viewer=buddy) == 2

    do = newcomer_path.steps.get(kind=StepKind.DO)
    response = client.post(reverse("learning:buddy_confirm", args=[enrolment.pk, do.pk]))

    assert response["Location"] == reverse("learning:buddy")
    completion = enrolment.completions.get()
    assert (completion.step, completion.confirmed_by) == (do, buddy)
    assert selectors.buddy_pending_count(viewer=buddy) == 1
    (row,) = client.get(reverse("learning:buddy")).context["rows"]
    assert [step.title_en for step in row.pending] == ["Coffee with the buddy"]


def test_someone_else_cannot_confirm_and_a_buddy_cannot_confirm_a_read_step(client, newcomer_path):
    buddy = make_user("member")
    enrolment = EnrolmentFactory(path=newcomer_path, user=make_user("member"), buddy=buddy)
    do = newcomer_path.steps.get(kind=StepKind.DO)
    read = newcomer_path.steps.get(kind=StepKind.READ)

    client.force_login(make_user("member"))
    assert client.post(reverse("learning:buddy_confirm", args=[enrolment.pk, do.pk])).status_code == 404
    client.force_login(buddy)
    assert client.post(reverse("learning:buddy_confirm", args=[enrolment.pk, read.pk])).status_code == 404
    client.force_login(make_user("stakeholder"))
    assert client.get(reverse("learning:buddy")).status_code == 404

    assert not enrolment.completions.exists()


def test_the_buddy_page_has_a_constant_number_of_queries(client, newcomer_path, django_assert_num_queries):
    buddy = make_user("member")
    client.force_login(buddy)
    EnrolmentFactory(path=newcomer_path, user=make_user("member"), buddy=buddy)
    client.get(reverse("learning:buddy"))  # warm the session and permission caches

    with django_assert_num_queries(_queries(client, "learning:buddy")) as one:
        client.get(reverse("learning:buddy"))
    for _ in range(2):
        EnrolmentFactory(path=PathFactory(purpose=PathPurpose.ONBOARDING), user=make_user("member"), buddy=buddy)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("learning:buddy"))
    assert len(response.context["rows"]) == 3


def _queries(client, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(reverse(url_name))
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_completion_page_lists_rates_per_path(client):
    path = PathFactory(title_en="Product culture")
    EnrolmentFactory(path=path)
    done = EnrolmentFactory(path=path)
    Enrolment.objects.filter(pk=done.pk).update(completed_at="2026-11-01T10:00:00Z")
    client.force_login(make_user("executive"))

    response = client.get(reverse("learning:path_reports"))

    row = next(p for p in response.context["paths"] if p.pk == path.pk)
    assert (row.enrolled, row.completed, row.percent) == (2, 1, 50)
    client.force_login(make_user("member"))
    assert client.get(reverse("learning:path_reports")).status_code == 404


# Live quiz in a Guilde session -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_host_opens_a_live_quiz_for_an_upcoming_session(client):
    volunteer = make_user("volunteer")
    quiz = QuizFactory(questions=[QuestionFactory()])
    session = SessionFactory(title="Product exchange")
    client.force_login(volunteer)

    page = client.get(reverse("learning:quiz", args=[quiz.pk])).content.decode()
    assert "Product exchange" in page
    client.post(reverse("learning:live_open", args=[quiz.pk]), {"session": session.pk})

    live = LiveSession.objects.get(quiz=quiz)
    assert live.session == session
    play = client.get(reverse("learning:live_host", args=[live.code])).content.decode()
    assert session.get_absolute_url() in play


@pytest.mark.django_db
def test_a_past_session_cannot_be_picked(client):
    import datetime

    from django.utils import timezone

    volunteer = make_user("volunteer")
    quiz = QuizFactory(questions=[QuestionFactory()])
    past = SessionFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    client.force_login(volunteer)

    client.post(reverse("learning:live_open", args=[quiz.pk]), {"session": past.pk})

    assert not LiveSession.objects.filter(quiz=quiz).exists()
