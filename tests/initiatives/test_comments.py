"""Editing and deleting challenge comments: who may, stale edits, empty text, and what the challenge page shows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from guilde.core.comments import STALE_COMMENT
from guilde.initiatives import services
from guilde.initiatives.models import Challenge, ChallengeComment
from guilde.notifications.models import Notification
from tests.factories.initiatives import ChallengeFactory
from tests.initiatives.conftest import ROLES, make_member

pytestmark = pytest.mark.django_db

MAY = {"edit": {"author"}, "delete": {"author", "product_ops"}}


def make_user(role, **kwargs):
    return make_member(role, **kwargs).user


def _comment(*, author=None, challenge=None, body="Same here, every week."):
    return services.comment_challenge(
        actor=author or make_user("member"), challenge=challenge or ChallengeFactory(), body=body
    )


def _url(action, comment):
    return reverse(f"initiatives:challenge_comment_{action}", args=[comment.challenge_id, comment.pk])


def _challenge_url(comment):
    return reverse("initiatives:challenge", args=[comment.challenge_id])


def _sign_in(client, who, comment):
    if who == "author":
        client.force_login(comment.author)
    elif who != "anonymous":
        client.force_login(make_user(who))


def _post(client, action, comment, *, body="Rewritten by someone.", version=None):
    data = {"body": body, "version": comment.version if version is None else version} if action == "edit" else {}
    return client.post(_url(action, comment), data)


@pytest.mark.parametrize("action", ["edit", "delete"])
@pytest.mark.parametrize("who", ["author", *ROLES, "anonymous"])
def test_comment_pages_permission_matrix_on_get(client, who, action):
    comment = _comment()
    _sign_in(client, who, comment)

    response = client.get(_url(action, comment))

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        # Forbidden answers exactly like a missing comment.
        assert response.status_code == (200 if who in MAY[action] else 404)


@pytest.mark.parametrize("action", ["edit", "delete"])
@pytest.mark.parametrize("who", ["author", *ROLES, "anonymous"])
def test_comment_writes_permission_matrix_on_post(client, who, action):
    comment = _comment(body="The original words.")
    _sign_in(client, who, comment)

    response = _post(client, action, comment)

    rows = list(ChallengeComment.objects.filter(pk=comment.pk).values_list("body", "version"))
    if who in MAY[action]:
        assert response.status_code == 302
        assert response["Location"].startswith(_challenge_url(comment) + "#comment")
        assert rows == ([("Rewritten by someone.", 2)] if action == "edit" else [])
    else:
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 404
        assert rows == [("The original words.", 1)]


def test_a_comment_under_another_challenge_is_404(client):
    comment = _comment()
    other = ChallengeFactory()
    client.force_login(comment.author)

    for action in ("edit", "delete"):
        url = reverse(f"initiatives:challenge_comment_{action}", args=[other.pk, comment.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Moved?", "version": 1}).status_code == 404
    assert ChallengeComment.objects.filter(pk=comment.pk).values_list("body", flat=True).get() == comment.body


def test_the_edit_form_starts_from_the_comment_and_its_version(client):
    comment = _comment(body="Could we cover **pricing**?")
    client.force_login(comment.author)

    form = client.get(_url("edit", comment)).context["form"]

    assert form.initial == {"body": "Could we cover **pricing**?", "version": 1}


def test_the_author_edits_and_the_challenge_page_shows_it_at_once(client):
    comment = _comment(body="Old words.")
    client.force_login(comment.author)
    assert b"Old words." in client.get(_challenge_url(comment)).content

    response = _post(client, "edit", comment, body="  New words.  ")

    assert response["Location"] == f"{_challenge_url(comment)}#comment-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "New words." in page
    assert "Old words." not in page
    assert "Comment saved." in page
    assert "· edited" in page
    assert ChallengeComment.objects.values_list("body", "version").get(pk=comment.pk) == ("New words.", 2)


def test_the_challenge_page_offers_edit_and_delete_with_accessible_names(client):
    author = make_user("member", user__full_name="Ada Lovelace")
    mine = _comment(author=author)
    theirs = _comment(challenge=mine.challenge)
    client.force_login(author)

    page = client.get(_challenge_url(mine)).content.decode()

    assert 'aria-label="Edit comment by Ada Lovelace"' in page
    assert 'aria-label="Delete comment by Ada Lovelace"' in page
    assert _url("edit", mine) in page
    assert _url("delete", mine) in page
    assert _url("edit", theirs) not in page
    assert _url("delete", theirs) not in page
    assert "· edited" not in page


def test_product_ops_see_delete_but_not_edit_on_others_comments(client, ops):
    comment = _comment()
    client.force_login(ops.user)

    page = client.get(_challenge_url(comment)).content.decode()

    assert _url("delete", comment) in page
    assert _url("edit", comment) not in page


def test_a_stale_edit_is_refused_and_keeps_the_text(client):
    comment = _comment(body="First version.")
    client.force_login(comment.author)
    seen = client.get(_url("edit", comment)).context["form"].initial["version"]
    services.edit_challenge_comment(actor=comment.author, comment=comment, body="Edited in another tab.", version=seen)

    response = _post(client, "edit", comment, body="My late rewrite.", version=seen)

    assert response.status_code == 409
    assert response.context["form"].errors["body"] == [str(STALE_COMMENT)]
    page = response.content.decode()
    assert escape(str(STALE_COMMENT)) in page
    assert "My late rewrite." in page
    # The text saved meanwhile is shown, and the form now names its version.
    assert "Edited in another tab." in page
    assert ChallengeComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "Edited in another tab."
    newer = response.context["form"]["version"].value()
    assert int(newer) == seen + 1

    # Saving again is a knowing choice: it replaces the text seen above.
    again = _post(client, "edit", comment, body="My late rewrite.", version=newer)

    assert again.status_code == 302
    assert ChallengeComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "My late rewrite."


def test_saving_a_comment_deleted_in_another_tab_is_a_404(client):
    comment = _comment(body="First version.")
    client.force_login(comment.author)
    seen = client.get(_url("edit", comment)).context["form"].initial["version"]
    services.delete_challenge_comment(actor=comment.author, comment=comment)

    assert _post(client, "edit", comment, body="My late rewrite.", version=seen).status_code == 404


def test_an_edit_without_version_is_refused(client):
    comment = _comment(body="First version.")
    client.force_login(comment.author)

    response = client.post(_url("edit", comment), {"body": "No version."})

    assert response.context["form"].errors["body"] == [str(STALE_COMMENT)]
    assert ChallengeComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "First version."


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_edit_is_refused_next_to_the_field(client, body):
    comment = _comment(body="Keep me.")
    client.force_login(comment.author)

    response = _post(client, "edit", comment, body=body)

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert ChallengeComment.objects.values_list("body", "version").get(pk=comment.pk) == ("Keep me.", 1)


def test_the_service_refuses_blank_text_and_someone_elses_words(ops):
    comment = _comment(body="Mine.")
    with pytest.raises(ValidationError) as error:
        services.edit_challenge_comment(actor=comment.author, comment=comment, body="  ", version=1)
    assert list(error.value.message_dict) == ["body"]
    with pytest.raises(PermissionDenied):
        services.edit_challenge_comment(actor=ops.user, comment=comment, body="Ops' words.", version=1)
    with pytest.raises(PermissionDenied):
        services.delete_challenge_comment(actor=make_user("member"), comment=comment)
    assert ChallengeComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "Mine."


def test_a_superuser_deletes_but_never_rewrites_someone_elses_words(client):
    comment = _comment(body="Mine.")
    client.force_login(make_user("member", user__is_superuser=True))

    assert client.get(_url("edit", comment)).status_code == 404
    assert _post(client, "edit", comment).status_code == 404
    assert client.get(_url("delete", comment)).status_code == 200
    assert ChallengeComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "Mine."


@pytest.mark.parametrize("who", ["author", "product_ops"])
def test_delete_asks_first_then_removes_the_comment(client, who):
    comment = _comment(body="To be removed.")
    kept = _comment(challenge=comment.challenge, body="Stays.")
    _sign_in(client, who, comment)

    confirm = client.get(_url("delete", comment)).content.decode()
    assert "To be removed." in confirm
    assert "Delete the comment" in confirm
    assert ChallengeComment.objects.filter(pk=comment.pk).exists()

    response = _post(client, "delete", comment)

    assert response["Location"] == f"{_challenge_url(comment)}#comments"
    assert list(ChallengeComment.objects.filter(challenge=comment.challenge).values_list("pk", flat=True)) == [kept.pk]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Comment deleted." in page.content.decode()
    assert "To be removed." not in page.content.decode()
    assert Challenge.objects.values_list("comment_count", flat=True).get(pk=comment.challenge_id) == 1


def test_deleting_twice_counts_once(ops):
    comment = _comment()
    _comment(challenge=comment.challenge)

    services.delete_challenge_comment(actor=ops.user, comment=comment)
    services.delete_challenge_comment(actor=ops.user, comment=comment)

    assert Challenge.objects.values_list("comment_count", flat=True).get(pk=comment.challenge_id) == 1


@pytest.mark.parametrize("role", ["member", "product_ops"])
def test_challenge_page_has_constant_queries_whatever_the_number_of_comments(client, role):
    viewer = make_user(role)
    challenge = ChallengeFactory()
    client.force_login(viewer)
    url = reverse("initiatives:challenge", args=[challenge.pk])

    def add(count):
        for index in range(count):
            author = viewer if index % 2 else make_user("member")
            comment = _comment(author=author, challenge=challenge)
            services.edit_challenge_comment(actor=author, comment=comment, body="Edited.", version=1)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add(1)
    client.get(url)  # warm the per-process caches
    one = queries()
    add(2)
    assert queries() == one


def test_an_edited_comment_says_so_in_french(client):
    comment = _comment(author=make_user("member", user__language="fr"), body="Premier jet.")
    services.edit_challenge_comment(actor=comment.author, comment=comment, body="Version revue.", version=1)
    client.force_login(comment.author)

    page = client.get(_challenge_url(comment)).content.decode()

    assert "· modifié <time" in page
    assert 'aria-label="Modifier le commentaire de' in page


def test_the_author_is_told_when_product_ops_remove_their_comment(ops):
    comment = _comment(body="Off-topic words.")
    own = _comment(body="Taken back.")
    moderator = ops.user

    services.delete_challenge_comment(actor=moderator, comment=comment)
    services.delete_challenge_comment(actor=own.author, comment=own)

    notices = Notification.objects.filter(title="Product ops removed your comment")
    assert [(n.recipient_id, n.body) for n in notices] == [(comment.author.pk, "Off-topic words.")]
    assert notices.get().url == comment.challenge.get_absolute_url()
