import pytest

from guilde.accounts.services import create_api_token
from guilde.learning.enums import QuestionKind
from tests.factories.learning import PathFactory, QuestionFactory, QuizFactory, StepFactory
from tests.learning.conftest import make_user


def auth(user):
    return {"Authorization": f"Bearer {create_api_token(actor=user, name='tests').secret}"}


@pytest.fixture
def quiz(db):
    return QuizFactory(
        questions=[QuestionFactory(), QuestionFactory(kind=QuestionKind.SHORT, answers=[("RICE", True)])],
        max_attempts=1,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/learning/quizzes", "/api/learning/paths", "/api/learning/progress"])
def test_api_refuses_anonymous_calls(client, url):
    assert client.get(url).status_code == 401


@pytest.mark.django_db
def test_take_and_submit_a_quiz_scored_on_the_server(client, quiz, member):
    headers = auth(member)

    started = client.post(f"/api/learning/quizzes/{quiz.pk}/attempts", headers=headers)
    assert started.status_code == 201
    body = started.json()
    single, short = body["questions"]
    assert "is_correct" not in str(body)
    assert short["choices"] == []  # the accepted answers stay secret

    right = QuestionFactory._meta.model.objects.get(pk=single["id"]).choices.get(is_correct=True).pk
    submitted = client.post(
        f"/api/learning/attempts/{body['id']}/submit",
        {"answers": {str(single["id"]): right, str(short["id"]): " rice "}, "score": 0},
        content_type="application/json",
        headers=headers,
    )

    assert submitted.status_code == 200
    result = submitted.json()
    assert (result["score"], result["percent"], result["passed"]) == (1.0, 100, True)
    assert result["answers"][0]["correct_choice_ids"] == [right]


@pytest.mark.django_db
def test_invalid_answers_get_a_422_with_the_question(client, quiz, member):
    headers = auth(member)
    attempt = client.post(f"/api/learning/quizzes/{quiz.pk}/attempts", headers=headers).json()
    question_id = attempt["questions"][0]["id"]

    response = client.post(
        f"/api/learning/attempts/{attempt['id']}/submit",
        {"answers": {str(question_id): 987654}},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == str(question_id)


@pytest.mark.django_db
def test_the_attempts_limit_gives_a_422(client, quiz, member):
    headers = auth(member)
    attempt = client.post(f"/api/learning/quizzes/{quiz.pk}/attempts", headers=headers).json()
    client.post(f"/api/learning/attempts/{attempt['id']}/submit", {}, content_type="application/json", headers=headers)

    response = client.post(f"/api/learning/quizzes/{quiz.pk}/attempts", headers=headers)

    assert response.status_code == 422


@pytest.mark.django_db
def test_another_members_attempt_and_unpublished_quizzes_are_404(client, quiz, member):
    attempt = client.post(f"/api/learning/quizzes/{quiz.pk}/attempts", headers=auth(member)).json()
    other = auth(make_user("member"))
    draft = QuizFactory(is_published=False)

    assert client.get(f"/api/learning/attempts/{attempt['id']}", headers=other).status_code == 404
    assert (
        client.post(
            f"/api/learning/attempts/{attempt['id']}/submit", {}, content_type="application/json", headers=other
        ).status_code
        == 404
    )
    assert client.get(f"/api/learning/quizzes/{draft.pk}", headers=other).status_code == 404
    assert client.get("/api/learning/quizzes/999999", headers=other).status_code == 404


@pytest.mark.django_db
def test_paths_enrol_and_progress(client, member):
    path = PathFactory(title_en="Welcome")
    StepFactory(path=path)
    headers = auth(member)

    enrolled = client.post(f"/api/learning/paths/{path.pk}/enrol", headers=headers)
    progress = client.get("/api/learning/progress", headers=headers)

    assert enrolled.status_code == 200
    assert enrolled.json()["enrolled"] is True
    assert [(p["path_title"], p["completed_steps"], p["step_count"]) for p in progress.json()] == [("Welcome", 0, 1)]


@pytest.mark.django_db
def test_quiz_list_query_count_does_not_grow(client, member, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = auth(member)
    QuizFactory()
    client.get("/api/learning/quizzes", headers=headers)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/learning/quizzes", headers=headers)
    QuizFactory.create_batch(2)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/learning/quizzes", headers=headers).json()) == 3
