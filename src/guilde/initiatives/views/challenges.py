"""Challenge pages: list, create, edit, detail, votes, comments (with their edits), decisions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guilde.core import comments
from guilde.core.viewhelpers import add_service_errors, allowed, is_partial
from guilde.initiatives import selectors, services
from guilde.initiatives.forms import (
    ChallengeFilterForm,
    ChallengeForm,
    CommentEditForm,
    CommentForm,
    MergeForm,
    ReasonForm,
)
from guilde.initiatives.models import Challenge


@allowed("initiatives.browse")
def challenge_list(request: HttpRequest) -> HttpResponse:
    form = ChallengeFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = selectors.challenge_page(viewer=request.user, page=request.GET.get("page"), **filters)
    context = {"form": form, "page": page, "items": page.object_list, "is_filtered": bool(filters) and form.is_filtered}
    template = "initiatives/challenge_list.html#results" if is_partial(request) else "initiatives/challenge_list.html"
    return render(request, template, context)


@allowed("initiatives.add_challenge")
def challenge_create(request: HttpRequest) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            challenge = services.raise_challenge(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge raised. Colleagues can now upvote and comment."))
            return redirect(challenge)
    return render(request, "initiatives/challenge_form.html", {"form": form})


@allowed("initiatives.browse")
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.editable_challenge(viewer=request.user, pk=pk)
    initial = {f: getattr(challenge, f) for f in ("title", "pillar", "affected", "description", "version")}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_challenge(
                actor=request.user, challenge=challenge, version=form.cleaned_data["version"] or 0, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge saved."))
            return redirect(challenge)
    return render(request, "initiatives/challenge_form.html", {"form": form, "challenge": challenge})


@allowed("initiatives.browse")
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    return _challenge_page(request, challenge)


def _challenge_page(request: HttpRequest, challenge: Challenge, *, status: int = 200, **forms: Any) -> HttpResponse:
    can_manage = request.user.has_perm("initiatives.manage")
    context = {
        "challenge": challenge,
        "comments": comments.with_actions(challenge.comments.all(), viewer=request.user, can_moderate=can_manage),
        "initiatives": list(challenge.initiatives.all()),
        "can_change": request.user.has_perm("initiatives.change_challenge", challenge),
        "can_manage": can_manage,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
        "merge_form": forms.get("merge_form") or MergeForm(challenge=challenge, prefix="merge"),
    }
    return render(request, "initiatives/challenge_detail.html", context, status=status)


@require_POST
@allowed("initiatives.browse")
def challenge_vote(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    voted = services.toggle_vote(actor=request.user, challenge=challenge)
    challenge.has_voted = voted  # type: ignore[attr-defined]
    if is_partial(request):
        return render(request, "initiatives/challenge_detail.html#vote", {"challenge": challenge})
    return redirect(request.POST.get("next") or challenge.get_absolute_url())


@require_POST
@allowed("initiatives.browse")
def challenge_comment(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_challenge(actor=request.user, challenge=challenge, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("initiatives:challenge", args=[challenge.pk]) + "#comments")
    return _challenge_page(request, challenge, comment_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_comment_edit(request: HttpRequest, challenge_pk: int, pk: int) -> HttpResponse:
    """Its author rewrites a comment; anyone else gets the 404 of a missing one."""
    comment = selectors.challenge_comment_for(
        viewer=request.user, challenge_pk=challenge_pk, pk=pk, perm="initiatives.change_challengecomment"
    )
    return comments.edit_page(
        request,
        comment=comment,
        form_class=CommentEditForm,
        save=lambda body, version: services.edit_challenge_comment(
            actor=request.user, comment=comment, body=body, version=version
        ),
        back_url=_comment_url(comment),
        template="initiatives/challenge_comment_form.html",
        context={"challenge": comment.challenge},
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_comment_delete(request: HttpRequest, challenge_pk: int, pk: int) -> HttpResponse:
    """Its author takes a comment back, or product ops moderate; anyone else gets a 404."""
    comment = selectors.challenge_comment_for(
        viewer=request.user, challenge_pk=challenge_pk, pk=pk, perm="initiatives.delete_challengecomment"
    )
    return comments.delete_page(
        request,
        comment=comment,
        delete=lambda: services.delete_challenge_comment(actor=request.user, comment=comment),
        back_url=_comment_url(comment),
        done_url=reverse("initiatives:challenge", args=[comment.challenge_id]) + "#comments",
        template="initiatives/challenge_comment_delete.html",
        context={"challenge": comment.challenge},
    )


def _comment_url(comment: Any) -> str:
    return reverse("initiatives:challenge", args=[comment.challenge_id]) + f"#comment-{comment.pk}"


@require_POST
@allowed("initiatives.manage")
def challenge_decline(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            services.decline_challenge(actor=request.user, challenge=challenge, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge declined; its author is told why."))
            return redirect(challenge)
    return _challenge_page(request, challenge, decline_form=form, status=422)


@require_POST
@allowed("initiatives.manage")
def challenge_merge(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = selectors.challenge_for(viewer=request.user, pk=pk)
    form = MergeForm(request.POST, challenge=challenge, prefix="merge")
    if form.is_valid():
        try:
            services.merge_challenge(actor=request.user, challenge=challenge, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Challenge merged; its upvotes moved along."))
            return redirect(challenge)
    return _challenge_page(request, challenge, merge_form=form, status=422)
