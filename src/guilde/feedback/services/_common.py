"""Private helpers shared by the feedback services: permission checks, version claims, row loading."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guilde.core.concurrency import ConcurrentEditError, claim_version
from guilde.feedback.enums import FeedbackStatus
from guilde.feedback.models import Feedback, FeedbackPolicy, FeedbackSupporter, Opportunity

MAX_BULK = 500


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _feedback_url(pk: int) -> str:
    try:
        return reverse("feedback:detail", args=[pk])
    except NoReverseMatch:
        return f"/feedback/{pk}/"


def _opportunity_url(pk: int) -> str:
    try:
        return reverse("feedback:opportunity", args=[pk])
    except NoReverseMatch:
        return f"/feedback/opportunities/{pk}/"


def _claim_version(
    model: type[Feedback] | type[Opportunity] | type[FeedbackPolicy], pk: int, version: int | None, actor: Any
) -> None:
    """Bumps the row's version only if it is still the one the actor saw (core's `claim_version`);
    a stale one raises core's ConcurrentEditError on `version`, naming who changed the row."""
    if version is None:
        model.objects.filter(pk=pk).update(version=F("version") + 1)
        return
    try:
        claim_version(model, pk, version)
    except ConcurrentEditError:
        by: Any = model._default_manager.filter(pk=pk).first()
        who = getattr(by, "last_changed_by", None)
        if who is not None:
            message = format_lazy(
                _("This was changed by {name} meanwhile. Reload to see their change, then try again."), name=str(who)
            )
        else:
            message = _("This was changed by someone else meanwhile. Reload to see their change, then try again.")
        raise ConcurrentEditError({"version": message}, code="conflict") from None


def _root(feedback: Feedback) -> Feedback:
    seen = {feedback.pk}
    while (
        feedback.status == FeedbackStatus.DUPLICATE
        and feedback.duplicate_of_id
        and feedback.duplicate_of_id not in seen
    ):
        seen.add(feedback.duplicate_of_id)
        feedback = Feedback.objects.get(pk=feedback.duplicate_of_id)
    return feedback


def _recount_supporters(feedback_ids: Iterable[int]) -> None:
    for pk in set(feedback_ids):
        Feedback.objects.filter(pk=pk).update(supporter_count=FeedbackSupporter.objects.filter(feedback_id=pk).count())


def _load_for_bulk(feedback_ids: Sequence[int]) -> list[Feedback]:
    ids = list(dict.fromkeys(int(i) for i in feedback_ids))
    if not ids:
        raise ValidationError({"feedbacks": _("Select at least one feedback.")})
    if len(ids) > MAX_BULK:
        raise ValidationError({"feedbacks": _("Select at most 500 feedbacks at a time.")})
    rows = list(Feedback.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(rows) != len(ids):
        raise ValidationError({"feedbacks": _("Some selected feedbacks no longer exist. Reload the list.")})
    return rows
