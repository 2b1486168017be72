"""Role predicates shared by every domain's rules.

Each domain binds these (and its own object predicates) to actions in its models'
`Meta.rules_permissions`; views only declare `permission_required`.
"""

import rules

from guilde.accounts.enums import Role


@rules.predicate
def is_signed_in(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_product_ops(user) -> bool:  # type: ignore[no-untyped-def]
    return is_signed_in(user) and (user.role == Role.PRODUCT_OPS or user.is_superuser)


@rules.predicate
def is_executive(user) -> bool:  # type: ignore[no-untyped-def]
    return is_signed_in(user) and user.role == Role.EXECUTIVE


@rules.predicate
def is_stakeholder(user) -> bool:  # type: ignore[no-untyped-def]
    return is_signed_in(user) and user.role == Role.STAKEHOLDER


@rules.predicate
def is_community_member(user) -> bool:  # type: ignore[no-untyped-def]
    """Members of the product community proper: everyone signed in but stakeholders."""
    return is_signed_in(user) and user.role != Role.STAKEHOLDER


@rules.predicate
def is_volunteer(user) -> bool:  # type: ignore[no-untyped-def]
    profile = getattr(user, "member", None) if is_signed_in(user) else None
    return bool(profile and profile.is_volunteer)


@rules.predicate
def is_self(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return is_signed_in(user) and obj is not None and getattr(obj, "pk", None) == user.pk


rules.add_perm("accounts.manage_people", is_product_ops)
rules.add_perm("accounts.use_api_tokens", is_signed_in)
