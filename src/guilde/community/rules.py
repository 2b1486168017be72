import rules

from guilde.accounts.rules import is_product_ops, is_signed_in


@rules.predicate
def is_own_profile(user, member) -> bool:  # type: ignore[no-untyped-def]
    return member is not None and is_signed_in(user) and member.user_id == user.pk


@rules.predicate
def is_active_profile(user, member) -> bool:  # type: ignore[no-untyped-def]
    return member is not None and member.user.is_active


can_view_community = is_signed_in
can_change_community = is_product_ops
can_view_member = is_signed_in & (is_active_profile | is_own_profile | is_product_ops)
can_change_member = is_signed_in & (is_own_profile | is_product_ops)
# Deactivated profiles stay readable by product ops, who can reactivate them.
can_see_inactive_members = is_product_ops

rules.add_perm("community.browse_directory", is_signed_in)
rules.add_perm("community.see_inactive_members", can_see_inactive_members)
rules.add_perm("community.manage_pillars", can_change_community)
