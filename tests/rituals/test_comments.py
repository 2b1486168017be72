"""Editing and deleting topic comments: who may, stale edits, empty text, and what the topic page shows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from guilde.core import comments
from guilde.core.comments import STALE_COMMENT
from guilde.notifications.models import Notification
from guilde.rituals import services
from guilde.rituals.forms import CommentEditForm
from guilde.rituals.models import TopicComment
from tests.factories.rituals import TopicFactory
from tests.rituals.conftest import ROLES, make_user

pytestmark = pytest.mark.django_db

MAY = {"edit": {"author"}, "delete": {"author", "product_ops"}}


def _comment(*, author=None, topic=None, body="Could we cover pricing pages too?"):
    return services.comment_topic(actor=author or make_user("member"), topic=topic or TopicFactory(), body=body)


def _url(action, comment):
    return reverse(f"rituals:topic_comment_{action}", args=[comment.topic_id, comment.pk])


def _topic_url(comment):
    return reverse("rituals:topic", args=[comment.topic_id])


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

    rows = list(TopicComment.objects.filter(pk=comment.pk).values_list("body", "version"))
    if who in MAY[action]:
        assert response.status_code == 302
        assert response["Location"].startswith(_topic_url(comment) + "#comment")
        assert rows == ([("Rewritten by someone.", 2)] if action == "edit" else [])
    else:
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:
            assert response.status_code == 404
        assert rows == [("The original words.", 1)]


def test_a_comment_under_another_topic_is_404(client):
    comment = _comment()
    other = TopicFactory()
    client.force_login(comment.author)

    for action in ("edit", "delete"):
        url = reverse(f"rituals:topic_comment_{action}", args=[other.pk, comment.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "Moved?", "version": 1}).status_code == 404
    assert TopicComment.objects.filter(pk=comment.pk).values_list("body", flat=True).get() == comment.body


def test_the_edit_form_starts_from_the_comment_and_its_version(client):
    comment = _comment(body="Could we cover **pricing**?")
    client.force_login(comment.author)

    form = client.get(_url("edit", comment)).context["form"]

    assert form.initial == {"body": "Could we cover **pricing**?", "version": 1}


def test_the_author_edits_and_the_topic_page_shows_it_at_once(client):
    comment = _comment(body="Old words.")
    client.force_login(comment.author)
    assert b"Old words." in client.get(_topic_url(comment)).content

    response = _post(client, "edit", comment, body="  New words.  ")

    assert response["Location"] == f"{_topic_url(comment)}#comment-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "New words." in page
    assert "Old words." not in page
    assert "Comment saved." in page
    assert "· edited" in page
    assert TopicComment.objects.values_list("body", "version").get(pk=comment.pk) == ("New words.", 2)


def test_the_topic_page_offers_edit_and_delete_with_accessible_names(client):
    author = make_user("member", user__full_name="Ada Lovelace")
    mine = _comment(author=author)
    theirs = _comment(topic=mine.topic)
    client.force_login(author)

    page = client.get(_topic_url(mine)).content.decode()

    assert 'aria-label="Edit comment by Ada Lovelace"' in page
    assert 'aria-label="Delete comment by Ada Lovelace"' in page
    assert _url("edit", mine) in page
    assert _url("delete", mine) in page
    assert _url("edit", theirs) not in page
    assert _url("delete", theirs) not in page
    assert "· edited" not in page


def test_product_ops_see_delete_but_not_edit_on_others_comments(client, ops):
    comment = _comment()
    client.force_login(ops)

    page = client.get(_topic_url(comment)).content.decode()

    assert _url("delete", comment) in page
    assert _url("edit", comment) not in page


def test_a_stale_edit_is_refused_and_keeps_the_text(client):
    comment = _comment(body="First version.")
    client.force_login(comment.author)
    seen = client.get(_url("edit", comment)).context["form"].initial["version"]
    services.edit_topic_comment(actor=comment.author, comment=comment, body="Edited in another tab.", version=seen)

    response = _post(client, "edit", comment, body="My late rewrite.", version=seen)

    assert response.status_code == 409
    assert response.context["form"].errors["body"] == [str(STALE_COMMENT)]
    page = response.content.decode()
    assert escape(str(STALE_COMMENT)) in page
    assert "My late rewrite." in page
    # The text saved meanwhile is shown, and the form now names its version.
    assert "Edited in another tab." in page
    assert TopicComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "Edited in another tab."
    newer = response.context["form"]["version"].value()
    assert int(newer) == seen + 1

    # Saving again is a knowing choice: it replaces the text seen above.
    again = _post(client, "edit", comment, body="My late rewrite.", version=newer)

    assert again.status_code == 302
    assert TopicComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "My late rewrite."


def test_saving_a_comment_deleted_in_another_tab_is_a_404(client):
    comment = _comment(body="First version.")
    client.force_login(comment.author)
    seen = client.get(_url("edit", comment)).context["form"].initial["version"]
    services.delete_topic_comment(actor=comment.author, comment=comment)

    assert _post(client, "edit", comment, body="My late rewrite.", version=seen).status_code == 404


def test_an_edit_without_version_is_refused(client):
    comment = _comment(body="First version.")
    client.force_login(comment.author)

    response = client.post(_url("edit", comment), {"body": "No version."})

    assert response.context["form"].errors["body"] == [str(STALE_COMMENT)]
    assert TopicComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "First version."


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_edit_is_refused_next_to_the_field(client, body):
    comment = _comment(body="Keep me.")
    client.force_login(comment.author)

    response = _post(client, "edit", comment, body=body)

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert TopicComment.objects.values_list("body", "version").get(pk=comment.pk) == ("Keep me.", 1)


def test_the_service_refuses_blank_text_and_someone_elses_words(ops):
    comment = _comment(body="Mine.")
    with pytest.raises(ValidationError) as error:
        services.edit_topic_comment(actor=comment.author, comment=comment, body="  ", version=1)
    assert list(error.value.message_dict) == ["body"]
    with pytest.raises(PermissionDenied):
        services.edit_topic_comment(actor=ops, comment=comment, body="Ops' words.", version=1)
    with pytest.raises(PermissionDenied):
        services.delete_topic_comment(actor=make_user("member"), comment=comment)
    assert TopicComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "Mine."


def test_a_superuser_deletes_but_never_rewrites_someone_elses_words(client):
    comment = _comment(body="Mine.")
    client.force_login(make_user("member", user__is_superuser=True))

    assert client.get(_url("edit", comment)).status_code == 404
    assert _post(client, "edit", comment).status_code == 404
    assert client.get(_url("delete", comment)).status_code == 200
    assert TopicComment.objects.values_list("body", flat=True).get(pk=comment.pk) == "Mine."


@pytest.mark.parametrize("who", ["author", "product_ops"])
def test_delete_asks_first_then_removes_the_comment(client, who):
    comment = _comment(body="To be removed.")
    kept = _comment(topic=comment.topic, body="Stays.")
    _sign_in(client, who, comment)

    confirm = client.get(_url("delete", comment)).content.decode()
    assert "To be removed." in confirm
    assert "Delete the comment" in confirm
    assert TopicComment.objects.filter(pk=comment.pk).exists()

    response = _post(client, "delete", comment)

    assert response["Location"] == f"{_topic_url(comment)}#comments"
    assert list(TopicComment.objects.filter(topic=comment.topic).values_list("pk", flat=True)) == [kept.pk]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Comment deleted." in page.content.decode()
    assert "To be removed." not in page.content.decode()


@pytest.mark.parametrize("role", ["member", "product_ops"])
def test_topic_page_has_constant_queries_whatever_the_number_of_comments(client, role):
    viewer = make_user(role)
    topic = TopicFactory()
    client.force_login(viewer)
    url = reverse("rituals:topic", args=[topic.pk])

    def add(count):
        for index in range(count):
            author = viewer if index % 2 else make_user("member")
            comment = _comment(author=author, topic=topic)
            services.edit_topic_comment(actor=author, comment=comment, body="Edited.", version=1)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    add(1)
    client.get(url)  # warm the per-process caches
    one = queries()
    add(2)
    assert queries() == one


def test_an_edited_comment_says_so_in_french_with_the_exact_time_on_hover(client):
    comment = _comment(author=make_user("member", user__language="fr"), body="Premier jet.")
    services.edit_topic_comment(actor=comment.author, comment=comment, body="Version revue.", version=1)
    client.force_login(comment.author)

    page = client.get(_topic_url(comment)).content.decode()

    assert "· modifié <time" in page
    assert page.count("<time datetime=") >= 2  # created and edited, each with its exact date in `title`


def test_the_author_is_told_when_product_ops_remove_their_comment():
    comment = _comment(body="Off-topic words.")
    own = _comment(body="Taken back.")
    moderator = make_user("product_ops")

    services.delete_topic_comment(actor=moderator, comment=comment)
    services.delete_topic_comment(actor=own.author, comment=own)

    notices = Notification.objects.filter(title="Product ops removed your comment")
    assert [(n.recipient_id, n.body) for n in notices] == [(comment.author.pk, "Off-topic words.")]
    assert notices.get().url == comment.topic.get_absolute_url()


def test_a_comment_deleted_while_its_edit_is_being_saved_is_a_404(rf):
    """The page found the comment, then another tab deleted it before the save: a 404, not an error."""
    comment = _comment(body="First version.")
    request = rf.post("/", {"body": "My late rewrite.", "version": comment.version})
    request.user = comment.author
    TopicComment.objects.filter(pk=comment.pk).delete()

    with pytest.raises(Http404):
        comments.edit_page(
            request,
            comment=comment,
            form_class=CommentEditForm,
            save=lambda body, version: comments.rewrite(comment, body, version=version),
            back_url="/",
            template="rituals/topic_comment_form.html",
            context={"topic": comment.topic},
        )
