from typing import Any

from guilde.accounts.rules import is_community_member, is_product_ops


def may_manage(actor: Any) -> bool:
    return bool(is_product_ops(actor))


def is_member(actor: Any) -> bool:
    return bool(is_community_member(actor))
