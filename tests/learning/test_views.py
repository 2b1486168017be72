import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guilde.learning import services
from guilde.learning.enums import Audience, FeedbackMode, PathPurpose, QuestionKind, QuestionStatus, StepKind
from guilde.learning.models import Attempt, Question
from tests.factories.accounts import UserFactory
from tests.factories.learning import (
    PathFactory,
    QuestionFactory,
    QuizFactory,
    StepFactory,
    submitted_attempt,
)
from tests.learning.conftest import ROLES, make_user

# Page → roles that may open it (everyone else signed in gets 404, anonymous visitors the login page).
EVERYONE = set(ROLES)
AUTHORS = {"volunteer", "product_ops"}
MATRIX = [
    ("learning:index", EVERYONE),
    ("learning:quizzes", EVERYONE),
    ("learning:paths", EVERYONE),
    ("learning:live_join", EVERYONE),
    ("learning:question_bank", AUTHORS),
    ("learning:question_create", AUTHORS),
    ("learning:quiz_create", AUTHORS),
    ("learning:statistics", AUTHORS),
    ("learning:onboarding", {"product_ops"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize(("url_name", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(client, role, url_name, allowed):
    if role != "anonymous":
        client.force_login(make_user(role))

    response = client.get(reverse(url_name))

    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES])
def test_path_report_is_for_product_ops_and_executives(client, role):
    path = PathFactory()
    client.force_login(make_user(role))

    response = client.get(reverse("learning:path_report", args=[path.pk]))

    assert response.status_code == (200 if role in {"product_ops", "executive"} else 404)


@pytest.mark.django_db
def test_learners_never_see_draft_questions_or_quizzes(member_client):
    draft = QuestionFactory(status=QuestionStatus.REVIEW)
    quiz = QuizFactory(is_published=False, questions=[draft])

    assert member_client.get(reverse("learning:question", args=[draft.pk])).status_code == 404
    assert member_client.get(reverse("learning:quiz", args=[quiz.pk])).status_code == 404
    assert quiz.title_en not in member_client.get(reverse("learning:quizzes")).content.decode()


@pytest.mark.django_db
def test_another_learners_attempt_is_a_404(member_client):
    quiz = QuizFactory(questions=[QuestionFactory()])
    theirs = submitted_attempt(quiz=quiz, user=UserFactory(), scores=[1])

    assert member_client.get(reverse("learning:attempt_results", args=[theirs.pk])).status_code == 404
    assert member_client.get(reverse("learning:attempt", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_taking_a_quiz_with_immediate_feedback(member_client, member):
    single = QuestionFactory(explanation_en="Trios share the learning.")
    ordering = QuestionFactory(kind=QuestionKind.ORDERING, answers=[("First", True), ("Second", True), ("Third", True)])
    quiz = QuizFactory(questions=[single, ordering], feedback_mode=FeedbackMode.IMMEDIATE)

    response = member_client.post(reverse("learning:quiz_start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=member)
    assert response["Location"] == reverse("learning:attempt", args=[attempt.pk])
    page = member_client.get(response["Location"]).content.decode()
    assert "<fieldset" in page
    assert "<legend" in page

    right = single.choices.get(is_correct=True)
    feedback = member_client.post(response["Location"], {"question": single.pk, "response": right.pk})
    assert "Right!" in feedback.content.decode()
    assert "Trios share the learning." in feedback.content.decode()

    first, second, third = ordering.choices.order_by("position")
    positions = {f"item_{first.pk}": 1, f"item_{second.pk}": 3, f"item_{third.pk}": 2}
    member_client.post(response["Location"], {"question": ordering.pk, **positions})
    result = member_client.post(reverse("learning:attempt_finish", args=[attempt.pk]), follow=True)

    attempt.refresh_from_db()
    assert attempt.score == pytest.approx((1 + 1 / 3) / 2)
    assert f"{attempt.percent}%" in result.content.decode()


@pytest.mark.django_db
def test_the_same_position_twice_is_a_translated_form_error(member_client, member, settings):
    ordering = QuestionFactory(kind=QuestionKind.ORDERING, answers=[("A", True), ("B", True), ("C", True)])
    quiz = QuizFactory(questions=[ordering])
    attempt = services.start_attempt(actor=member, quiz=quiz)
    a, b, c = ordering.choices.order_by("position")

    response = member_client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {"question": ordering.pk, f"item_{a.pk}": 1, f"item_{b.pk}": 1, f"item_{c.pk}": 2},
        headers={"Accept-Language": "fr"},
    )

    assert "Give each item a different position." in response.content.decode()
    assert not attempt.answers.filter(answered_at__isnull=False).exists()


@pytest.mark.django_db
def test_end_mode_submits_after_the_last_answer(member_client, member):
    question = QuestionFactory()
    quiz = QuizFactory(questions=[question], feedback_mode=FeedbackMode.END)
    attempt = services.start_attempt(actor=member, quiz=quiz)

    response = member_client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {"question": question.pk, "response": question.choices.get(is_correct=False).pk},
    )

    assert response["Location"] == reverse("learning:attempt_results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (0.0, False)


@pytest.mark.django_db
def test_an_author_writes_a_question_with_bilingual_answers(client, volunteer):
    client.force_login(volunteer)

    response = client.post(
        reverse("learning:question_create"),
        {
            "kind": QuestionKind.MULTIPLE,
            "text_en": "Which are product risks?",
            "text_fr": "Quels sont les risques produit ?",
            "choices_en": "*Value\n*Usability\nVelocity",
            "choices_fr": "Valeur\nUtilisabilité\nVélocité",
        },
    )

    question = Question.objects.get()
    assert response["Location"] == question.get_absolute_url()
    assert question.status == QuestionStatus.DRAFT
    assert [(c.text_en, c.text_fr, c.is_correct) for c in question.choices.all()] == [
        ("Value", "Valeur", True),
        ("Usability", "Utilisabilité", True),
        ("Velocity", "Vélocité", False),
    ]


@pytest.mark.django_db
def test_question_form_errors_are_shown_in_french(client, volunteer):
    volunteer.language = "fr"
    volunteer.save()
    client.force_login(volunteer)

    response = client.post(
        reverse("learning:question_create"),
        {"kind": QuestionKind.SINGLE, "text_en": "?", "choices_en": "*a\n*b", "choices_fr": "a"},
        headers={"Accept-Language": "fr"},
    )

    assert response.status_code == 200
    assert not Question.objects.exists()
    assert "choices_fr" in response.context["form"].errors
    assert "Donnez autant de réponses en français" in response.content.decode()


@pytest.mark.django_db
def test_question_bank_filters_through_htmx(client, ops):
    QuestionFactory(text_en="About pricing")
    QuestionFactory(text_en="About discovery")
    client.force_login(ops)

    response = client.get(reverse("learning:question_bank"), {"q": "pricing"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "About pricing" in body
    assert "About discovery" not in body
    assert "<html" not in body


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_list_pages_take_a_constant_number_of_queries(client, django_assert_num_queries):
    ops = make_user("product_ops")
    client.force_login(ops)
    path = PathFactory(purpose=PathPurpose.ONBOARDING, audience=Audience.COMMUNITY)
    StepFactory(path=path, kind=StepKind.READ)
    learners = []

    def add_row():
        question = QuestionFactory()
        quiz = QuizFactory(questions=[question])
        learner = make_user("member")
        learners.append(learner)
        submitted_attempt(quiz=quiz, user=learner, scores=[1])
        services.enrol(actor=ops, path=path, learner=learner)
        PathFactory()

    add_row()
    urls = [
        reverse("learning:quizzes"),
        reverse("learning:question_bank"),
        reverse("learning:paths"),
        reverse("learning:statistics"),
        reverse("learning:onboarding"),
        reverse("learning:index"),
    ]
    one = {url: _count(client, url) for url in urls}
    add_row()
    add_row()
    three = {url: _count(client, url) for url in urls}

    assert three == one


@pytest.mark.django_db
def test_path_page_and_certificate(client, member):
    path = PathFactory(title_en="Welcome")
    step = StepFactory(path=path, kind=StepKind.READ, url="/community/charter/")
    client.force_login(member)

    client.post(reverse("learning:path_enrol", args=[path.pk]))
    response = client.post(reverse("learning:step_done", args=[path.pk, step.pk]))

    enrolment = member.enrolments.get()
    assert response["Location"] == reverse("learning:certificate", args=[enrolment.pk])
    certificate = client.get(response["Location"]).content.decode()
    assert member.full_name in certificate
    assert "Welcome" in certificate
    other = make_user("member")
    client.force_login(other)
    assert client.get(reverse("learning:certificate", args=[enrolment.pk])).status_code == 404


@pytest.mark.django_db
def test_live_stage_poll_answers_204_while_nothing_changes(client, volunteer):
    quiz = QuizFactory(questions=[QuestionFactory()])
    live = services.open_live(actor=volunteer, quiz=quiz)
    player = make_user("member")
    client.force_login(player)
    page = client.get(reverse("learning:live_play", args=[live.code]))
    stage = page.context["stage"]

    unchanged = client.get(reverse("learning:live_stage", args=[live.code]), {"stage": stage})
    services.control_live(actor=volunteer, live=live, action="start", stage="lobby-0")
    changed = client.get(reverse("learning:live_stage", args=[live.code]), {"stage": stage})

    assert unchanged.status_code == 204
    assert changed.status_code == 200
    assert 'hx-trigger="every 2s"' in changed.content.decode()


@pytest.mark.django_db
def test_home_section_lists_my_paths_and_quizzes(client, member):
    QuizFactory(title_en="Discovery basics", questions=[QuestionFactory()])
    client.force_login(member)

    response = client.get("/")

    assert "Discovery basics" in response.content.decode()


@pytest.mark.django_db
def test_member_page_shows_quizzes_passed(client, member):
    quiz = QuizFactory(title_en="Roadmaps", questions=[QuestionFactory()])
    submitted_attempt(quiz=quiz, user=member, scores=[1])
    client.force_login(member)

    html = client.get("/community/me/").content.decode()

    assert "Quizzes passed" in html
    assert "Roadmaps" in html
