"""What comments have in common across domains (topics, challenges): marking a page's comments with
what the viewer may do, rewriting one under its version, and the edit and delete pages.

Each domain keeps its own model, rules, text checks and notifications; core imports none of them.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.core.concurrency import ConcurrentEditError, claim_version
from guilde.core.viewhelpers import add_service_errors

#: Why a stale edit is refused; `edit_page` then shows the text saved meanwhile above the form.
STALE_COMMENT = gettext_lazy(
    "This comment changed after you opened it (in another tab or window): its current text is shown "
    "above, and yours is kept below."
)


def with_actions(comments: Iterable[Any], *, viewer: Any, can_moderate: bool) -> list[Any]:
    """The comments, each marked `can_edit` (its author) and `can_delete` (its author, or a moderator).

    Mirrors the domains' comment rules from one role check per page, so a long thread costs no
    rule evaluation per comment (the viewer already sees the page the comments are on).
    """
    rows = list(comments)
    for comment in rows:
        comment.can_edit = comment.author_id == viewer.pk
        comment.can_delete = comment.can_edit or can_moderate
    return rows


def rewrite(comment: Model, text: str, *, version: int | None) -> Model:
    """Saves `text` as the comment's body only if its version is still `version`; a stale one is
    refused on the `body` field rather than erasing the newer words."""
    try:
        claim_version(type(comment), comment.pk, version, STALE_COMMENT)
    except ConcurrentEditError as error:
        raise ConcurrentEditError({"body": error.error_list}) from error
    comment.body = text  # type: ignore[attr-defined]
    comment.version = (version or 0) + 1  # type: ignore[attr-defined]
    comment.save(update_fields=["body", "updated_at"])
    return comment


def edit_page(
    request: HttpRequest,
    *,
    comment: Any,
    form_class: type[forms.Form],
    save: Callable[[str, int | None], Any],
    back_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET: the comment's text in a form, with its version; POST: `save(body, version)`, then back.

    A save refused as stale (the comment changed in another tab) keeps the typed text in the box,
    shows the text saved meanwhile, and takes that version: saving again replaces it knowingly.
    """
    form = form_class(request.POST or None, initial={"body": comment.body, "version": comment.version})
    saved_meanwhile = None
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data["body"], form.cleaned_data["version"])
        except ConcurrentEditError as error:
            saved_meanwhile = type(comment)._default_manager.filter(pk=comment.pk).first()
            if saved_meanwhile is None:  # deleted in another tab: gone, like any missing comment
                raise Http404 from error
            form = _with_version(form, saved_meanwhile.version)
            add_service_errors(form, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Comment saved."))
            return redirect(back_url)
    return render(
        request,
        template,
        {**context, "form": form, "comment": comment, "back_url": back_url, "saved_meanwhile": saved_meanwhile},
        status=409 if saved_meanwhile is not None else 200,
    )


def _with_version(form: forms.Form, version: int) -> forms.Form:
    """The same submitted form, naming `version` as the one its text replaces."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = version
    fresh = type(form)(data, initial=form.initial)
    fresh.is_valid()
    return fresh


def delete_page(
    request: HttpRequest,
    *,
    comment: Any,
    delete: Callable[[], Any],
    back_url: str,
    done_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """GET asks for confirmation, showing what is lost; POST `delete()`s, then goes to `done_url`."""
    if request.method == "POST":
        delete()
        messages.success(request, _("Comment deleted."))
        return redirect(done_url)
    return render(request, template, {**context, "comment": comment, "back_url": back_url})
