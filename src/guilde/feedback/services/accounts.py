"""Customer accounts (product side only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guilde.feedback.models import CustomerAccount, FeedbackOpportunity, Segment
from guilde.feedback.rules import can_triage
from guilde.feedback.services._common import _require
from guilde.feedback.services.scores import refresh_opportunities


def _validate_account(account: CustomerAccount) -> None:
    errors: dict[str, Any] = {}
    account.name = (account.name or "").strip()
    if not account.name:
        errors["name"] = _("This field is required.")
    if account.arr is None or Decimal(account.arr) < 0:
        errors["arr"] = _("ARR cannot be negative.")
    account.currency = (account.currency or "EUR").upper()
    if len(account.currency) != 3 or not account.currency.isalpha():
        errors["currency"] = _("A three-letter currency code, such as EUR or USD.")
    if (
        account.external_id
        and CustomerAccount.objects.exclude(pk=account.pk).filter(external_id=account.external_id).exists()
    ):
        errors["external_id"] = _("Another account has this external ID.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_account(
    *,
    actor: Any,
    account: CustomerAccount | None = None,
    name: str,
    segment: Segment | None = None,
    plan: str = "",
    arr: Decimal = Decimal(0),
    currency: str = "EUR",
    owner: Any = None,
    external_id: str = "",
) -> CustomerAccount:
    """Creates or edits a customer account (product side only). Existing feedback keeps the
    figures it was submitted with; opportunities are rescored on the new ARR."""
    _require(can_triage(actor))
    account = account or CustomerAccount()
    account.name, account.segment, account.plan = name, segment, plan.strip()[:60]
    account.arr, account.currency, account.owner, account.external_id = (
        Decimal(arr),
        currency,
        owner,
        external_id.strip(),
    )
    _validate_account(account)
    account.save()
    opportunity_ids = FeedbackOpportunity.objects.filter(
        Q(feedback__account=account) | Q(feedback__supporters__account=account)
    ).values_list("opportunity_id", flat=True)
    refresh_opportunities(opportunity_ids=list(opportunity_ids.distinct()[:1000]))
    return account
