from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guilde.core import comments
from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.rituals import selectors, services
from guilde.rituals.enums import TOPIC_STATUS_BADGES
from guilde.rituals.forms import (
    CommentEditForm,
    CommentForm,
    DeclineForm,
    TopicFilterForm,
    TopicForm,
)
from guilde.rituals.views._common import _pillars


@allowed("rituals.propose_topic")
def topic_list(request: HttpRequest) -> HttpResponse:
    form = TopicFilterForm(request.GET, pillars=_pillars())
    page = selectors.topic_page(viewer=request.user, page=request.GET.get("page"), **form.filters())
    context = {
        "form": form,
        "page": page,
        "topics": page.object_list,
        "is_filtered": form.is_filtered,
        "badges": TOPIC_STATUS_BADGES,
        "can_manage": request.user.has_perm("rituals.manage"),
    }
    template = "rituals/topics.html#results" if is_partial(request) else "rituals/topics.html"
    return render(request, template, context)


@allowed("rituals.propose_topic")
def topic_create(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None, pillars=_pillars())
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.propose_topic(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! Your topic is in the pool; members can vote for it."))
            return redirect(topic)
    return render(request, "rituals/topic_form.html", {"form": form, "topic": None})


@allowed("rituals.propose_topic")
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST" and comment_form.is_valid():
        try:
            services.comment_topic(actor=request.user, topic=topic, body=comment_form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(comment_form, error)
        else:
            return redirect(reverse("rituals:topic", args=[topic.pk]) + "#comments")
    can_manage = request.user.has_perm("rituals.manage")
    context = {
        "topic": topic,
        "comments": comments.with_actions(
            selectors.comments_of(topic=topic), viewer=request.user, can_moderate=can_manage
        ),
        "comment_form": comment_form,
        "decline_form": DeclineForm(),
        "can_edit": request.user.has_perm("rituals.change_topic", topic),
        "can_manage": can_manage,
        "badges": TOPIC_STATUS_BADGES,
        "open_sessions": selectors.sessions_with_free_slots(viewer=request.user) if can_manage else [],
    }
    return render(request, "rituals/topic.html", context)


@allowed("rituals.propose_topic")
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    if not request.user.has_perm("rituals.change_topic", topic):
        raise PermissionDenied
    initial = {
        "title": topic.title,
        "description": topic.description,
        "pillar": topic.pillar_id,
        "format": topic.format,
        "duration_minutes": topic.duration_minutes,
        "languages": topic.languages,
        "speakers": [s.pk for s in topic.speakers.all()],
    }
    form = TopicForm(request.POST or None, initial=initial, pillars=_pillars())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_topic(actor=request.user, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Topic saved."))
            return redirect(topic)
    return render(request, "rituals/topic_form.html", {"form": form, "topic": topic})


@require_POST
@allowed("rituals.vote_topic")
def topic_vote(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    try:
        if topic.has_voted:  # type: ignore[attr-defined]
            services.withdraw_vote(actor=request.user, topic=topic)
        else:
            services.vote_topic(actor=request.user, topic=topic)
    except ValidationError as error:
        messages.error(request, error_text(error))
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    if is_partial(request):
        return render(request, "rituals/_vote_button.html", {"topic": topic})
    next_url = str(request.POST.get("next", ""))
    return redirect(next_url if next_url.startswith("/sessions/") else topic.get_absolute_url())


@require_POST
@allowed("rituals.decide_topic")
def topic_decide(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.topic_for(viewer=request.user, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_topic(actor=request.user, topic=topic, accept=accept, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Topic accepted.") if accept else _("Topic declined; the proposer is told why."))
    return redirect(topic)


@login_required
@require_http_methods(["GET", "POST"])
def topic_comment_edit(request: HttpRequest, topic_pk: int, pk: int) -> HttpResponse:
    """Its author rewrites a comment; anyone else gets the 404 of a missing one."""
    comment = selectors.topic_comment_for(
        viewer=request.user, topic_pk=topic_pk, pk=pk, perm="rituals.change_topiccomment"
    )
    return comments.edit_page(
        request,
        comment=comment,
        form_class=CommentEditForm,
        save=lambda body, version: services.edit_topic_comment(
            actor=request.user, comment=comment, body=body, version=version
        ),
        back_url=_comment_url(comment),
        template="rituals/topic_comment_form.html",
        context={"topic": comment.topic},
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_comment_delete(request: HttpRequest, topic_pk: int, pk: int) -> HttpResponse:
    """Its author takes a comment back, or product ops moderate; anyone else gets a 404."""
    comment = selectors.topic_comment_for(
        viewer=request.user, topic_pk=topic_pk, pk=pk, perm="rituals.delete_topiccomment"
    )
    return comments.delete_page(
        request,
        comment=comment,
        delete=lambda: services.delete_topic_comment(actor=request.user, comment=comment),
        back_url=_comment_url(comment),
        done_url=reverse("rituals:topic", args=[comment.topic_id]) + "#comments",
        template="rituals/topic_comment_delete.html",
        context={"topic": comment.topic},
    )


def _comment_url(comment: Any) -> str:
    return reverse("rituals:topic", args=[comment.topic_id]) + f"#comment-{comment.pk}"
