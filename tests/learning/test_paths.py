import pytest
from allauth.account.signals import user_signed_up
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from guilde.accounts.enums import Role
from guilde.community.enums import RoleFamily
from guilde.learning import selectors, services
from guilde.learning.enums import Audience, EnrolmentSource, PathPurpose, StepKind
from guilde.learning.models import Enrolment
from tests.factories.accounts import UserFactory
from tests.factories.community import MemberFactory
from tests.factories.learning import PathFactory, QuestionFactory, QuizFactory, StepFactory
from tests.learning.conftest import make_user


@pytest.fixture
def onboarding(db):
    path = PathFactory(
        title_en="Welcome", purpose=PathPurpose.ONBOARDING, audience=Audience.COMMUNITY, auto_enrol=True, due_days=30
    )
    StepFactory(path=path, kind=StepKind.READ, url="/community/charter/")
    StepFactory(path=path, kind=StepKind.MEET)
    return path


@pytest.fixture
def culture(db):
    quiz = QuizFactory(questions=[QuestionFactory()])
    path = PathFactory(
        title_en="Product culture", purpose=PathPurpose.PRODUCT_CULTURE, audience=Audience.CS_REVENUE, auto_enrol=True
    )
    StepFactory(path=path, kind=StepKind.READ, url="/feedback/")
    StepFactory(path=path, kind=StepKind.QUIZ, quiz=quiz)
    return path


def test_progress_counts_steps_and_completes_the_path(onboarding, member):
    enrolment = services.enrol(actor=member, path=onboarding)
    read, meet = onboarding.steps.order_by("position")

    services.complete_step(actor=member, enrolment=enrolment, step=read)
    enrolment.refresh_from_db()
    assert (enrolment.completed_steps, enrolment.completed_at) == (1, None)

    services.complete_step(actor=member, enrolment=enrolment, step=read)  # twice is harmless
    services.complete_step(actor=member, enrolment=enrolment, step=meet)
    enrolment.refresh_from_db()
    assert enrolment.completed_steps == 2
    assert enrolment.completed_at is not None
    assert selectors.achievements_for(member).paths_completed == [enrolment]


def test_a_quiz_step_completes_when_the_quiz_is_passed_not_by_hand(culture, stakeholder):
    enrolment = services.enrol(actor=stakeholder, path=culture)
    read, quiz_step = culture.steps.order_by("position")
    with pytest.raises(ValidationError):
        services.complete_step(actor=stakeholder, enrolment=enrolment, step=quiz_step)

    attempt = services.start_attempt(actor=stakeholder, quiz=quiz_step.quiz)
    question = attempt.answers.get().question
    correct = question.choices.get(is_correct=True)
    services.submit_attempt(actor=stakeholder, attempt=attempt, answers={question.pk: correct.pk})
    services.complete_step(actor=stakeholder, enrolment=enrolment, step=read)

    enrolment.refresh_from_db()
    assert enrolment.completed_steps == 2
    assert enrolment.completed_at is not None
    assert selectors.achievements_for(stakeholder).quizzes_passed == [quiz_step.quiz]


def test_a_quiz_passed_before_enrolling_counts(culture, stakeholder):
    quiz = culture.steps.get(kind=StepKind.QUIZ).quiz
    attempt = services.start_attempt(actor=stakeholder, quiz=quiz)
    question = attempt.answers.get().question
    services.submit_attempt(
        actor=stakeholder, attempt=attempt, answers={question.pk: question.choices.get(is_correct=True).pk}
    )

    enrolment = services.enrol(actor=stakeholder, path=culture)

    assert enrolment.completed_steps == 1


def test_only_the_learner_buddy_or_product_ops_confirm_a_step(onboarding, member, ops):
    enrolment = services.enrol(actor=member, path=onboarding)
    read, meet = onboarding.steps.order_by("position")
    buddy = make_user("member")
    services.set_buddy(actor=ops, enrolment=enrolment, buddy=buddy)
    stranger = make_user("member")

    with pytest.raises(PermissionDenied):
        services.complete_step(actor=stranger, enrolment=enrolment, step=meet)
    with pytest.raises(PermissionDenied):
        services.complete_step(actor=buddy, enrolment=enrolment, step=read)  # reading is the learner's own
    services.complete_step(actor=buddy, enrolment=enrolment, step=meet)

    assert enrolment.completions.get().confirmed_by == buddy


def test_sign_up_enrols_by_role_family_when_the_profile_exists(onboarding, culture):
    designer = MemberFactory(user__role=Role.MEMBER, role_family=RoleFamily.DESIGNER).user
    seller = MemberFactory(user__role=Role.STAKEHOLDER, role_family=RoleFamily.SALES).user

    user_signed_up.send(sender=None, request=None, user=designer)
    user_signed_up.send(sender=None, request=None, user=seller)

    assert [e.path for e in Enrolment.objects.filter(user=designer)] == [onboarding]
    assert [e.path for e in Enrolment.objects.filter(user=seller)] == [culture]
    assert Enrolment.objects.get(user=seller).source == EnrolmentSource.AUTOMATIC


def test_auto_enrolment_falls_back_on_the_role_without_a_profile(onboarding, culture):
    newcomer = UserFactory(role=Role.STAKEHOLDER)

    enrolments = services.enrol_new_user(user=newcomer)

    assert [e.path for e in enrolments] == [culture]
    assert services.enrol_new_user(user=newcomer) == enrolments  # idempotent


def test_onboarding_enrolment_suggests_a_buddy_from_the_same_team(onboarding):
    MemberFactory(team="Checkout", weekly_minutes=0)  # no time to give
    teammate = MemberFactory(team="Checkout", weekly_minutes=60).user
    MemberFactory(team="Search", weekly_minutes=60)
    newcomer = MemberFactory(team="Checkout").user

    enrolment = services.enrol_new_user(user=newcomer)[0]

    assert enrolment.buddy == teammate
    assert enrolment.due_on is not None


def test_unpublished_and_unmatched_paths_are_not_auto_enrolled(onboarding):
    PathFactory(auto_enrol=True, is_published=False, audience=Audience.EVERYONE)
    PathFactory(auto_enrol=True, audience=Audience.NEW_DESIGNER)
    PathFactory(auto_enrol=False, audience=Audience.EVERYONE)
    pm = MemberFactory(role_family=RoleFamily.PM).user

    assert [e.path for e in services.enrol_new_user(user=pm)] == [onboarding]


def test_newcomers_overview_flags_who_is_stuck(onboarding, ops):
    from datetime import timedelta

    from django.utils import timezone

    moving = services.enrol(actor=ops, path=onboarding, learner=make_user("member"))
    stuck = services.enrol(actor=ops, path=onboarding, learner=make_user("member"))
    Enrolment.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(days=20))
    services.complete_step(actor=moving.user, enrolment=moving, step=onboarding.steps.first())

    rows = selectors.newcomers(viewer=ops)

    assert [(row.enrolment, row.is_stuck, row.percent) for row in rows] == [(stuck, True, 0), (moving, False, 50)]
    with pytest.raises(Http404):
        selectors.newcomers(viewer=moving.user)


def test_completion_by_team_for_the_vp_product(culture, ops):
    executive = make_user("executive")
    for team, done in (("Sales EMEA", True), ("Sales EMEA", False), ("Support", True)):
        learner = MemberFactory(user__role=Role.STAKEHOLDER, team=team).user
        enrolment = services.enrol(actor=ops, path=culture, learner=learner)
        if done:
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=enrolment.created_at)

    teams = selectors.completion_by_team(viewer=executive, path=culture)

    assert [(t.team, t.enrolled, t.completed, t.percent) for t in teams] == [
        ("Sales EMEA", 2, 1, 50),
        ("Support", 1, 1, 100),
    ]
    with pytest.raises(Http404):
        selectors.completion_by_team(viewer=make_user("member"), path=culture)


def test_members_cannot_enrol_someone_else(onboarding, member):
    with pytest.raises(PermissionDenied):
        services.enrol(actor=member, path=onboarding, learner=make_user("member"))
