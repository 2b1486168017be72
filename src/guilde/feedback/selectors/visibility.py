"""What a viewer may see: feedback, customer accounts, confidential figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from guilde.feedback.models import CustomerAccount, Feedback, FeedbackSupporter
from guilde.feedback.rules import is_product_side


def visible_feedback(viewer: Any) -> QuerySet[Feedback]:
    """Every feedback the viewer may open (see guilde.feedback.rules for the decisions)."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return Feedback.objects.none()
    if is_product_side(viewer):
        return Feedback.objects.all()
    # Three indexable terms (submitter, account, primary key) so both databases combine index
    # lookups (SQLite multi-index OR, PostgreSQL BitmapOr) instead of scanning the table.
    owned = CustomerAccount.objects.filter(owner=viewer).values("pk")
    supported = FeedbackSupporter.objects.filter(user=viewer).values("feedback_id")
    return Feedback.objects.filter(Q(submitter=viewer) | Q(account__in=owned) | Q(pk__in=supported))


def visible_accounts(viewer: Any) -> QuerySet[CustomerAccount]:
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return CustomerAccount.objects.none()
    if is_product_side(viewer):
        return CustomerAccount.objects.select_related("segment", "owner")
    return CustomerAccount.objects.select_related("segment", "owner").filter(owner=viewer)


def account_choices(viewer: Any, *, q: str = "", limit: int = 20) -> list[CustomerAccount]:
    """Accounts to pick when submitting (names only are shown): prefix search on the indexed name."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    accounts = CustomerAccount.objects.only("id", "name", "owner_id").order_by("search_name", "id")
    q = (q or "").strip().casefold()
    if q:
        accounts = accounts.filter(search_name__startswith=q)
    return list(accounts[:limit])


def account_for(*, viewer: Any, pk: int) -> CustomerAccount:
    account = visible_accounts(viewer).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def sees_confidential(viewer: Any, account_owner_id: int | None) -> bool:
    return bool(is_product_side(viewer) or (account_owner_id is not None and account_owner_id == viewer.pk))
