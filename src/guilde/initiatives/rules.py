"""Who may do what with challenges, initiatives and pledges.

Decisions:
- the community (members, volunteers, product ops, executives) sees challenges, initiatives, the
  boards and the capacity plan; stakeholders do not (they come for feedback and the roadmap);
- any community member raises a challenge, upvotes and comments; its author edits it while open;
  product ops accept, merge or decline it;
- a comment's author edits and deletes it; product ops delete any comment (moderation) but never
  rewrite someone else's words;
- any community member proposes an initiative (as an idea) and leads it; the lead and its creator
  edit it; product ops edit every initiative, archive them, and see archived ones;
- volunteers pledge their own hours; a pledge is withdrawn by its volunteer or product ops;
- check-ins are written by the people working on the initiative (lead, volunteers) and product ops.
"""

import rules

from guilde.accounts.rules import is_community_member, is_product_ops, is_signed_in, is_volunteer
from guilde.initiatives.enums import PLEDGEABLE


@rules.predicate
def is_challenge_author(user, challenge) -> bool:  # type: ignore[no-untyped-def]
    return challenge is not None and is_signed_in(user) and challenge.author_id == user.pk


@rules.predicate
def is_open_challenge(user, challenge) -> bool:  # type: ignore[no-untyped-def]
    return challenge is not None and challenge.status == "open"


@rules.predicate
def wrote_comment(user, comment) -> bool:  # type: ignore[no-untyped-def]
    return comment is not None and is_signed_in(user) and comment.author_id == user.pk


@rules.predicate
def leads_initiative(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    if initiative is None or not is_signed_in(user):
        return False
    return user.pk in (initiative.lead_id, initiative.created_by_id)


@rules.predicate
def is_live_initiative(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    return initiative is not None and not initiative.is_archived


@rules.predicate
def is_pledgeable(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    return initiative is not None and not initiative.is_archived and initiative.status in PLEDGEABLE


@rules.predicate
def pledges_to_initiative(user, initiative) -> bool:  # type: ignore[no-untyped-def]
    if initiative is None or not is_signed_in(user) or initiative.pk is None:
        return False
    return bool(initiative.pledges.filter(member__user_id=user.pk).exists())


@rules.predicate
def owns_pledge(user, pledge) -> bool:  # type: ignore[no-untyped-def]
    return pledge is not None and is_signed_in(user) and pledge.member.user_id == user.pk


@rules.predicate
def owns_absence(user, absence) -> bool:  # type: ignore[no-untyped-def]
    return absence is not None and is_signed_in(user) and absence.member.user_id == user.pk


can_browse = is_community_member
can_manage = is_product_ops
can_view_challenge = is_community_member
can_change_challenge = is_community_member & ((is_challenge_author & is_open_challenge) | is_product_ops)
can_change_comment = is_community_member & wrote_comment
can_delete_comment = is_community_member & (wrote_comment | is_product_ops)
can_view_initiative = is_community_member & (is_live_initiative | is_product_ops)
can_change_initiative = is_community_member & ((leads_initiative & is_live_initiative) | is_product_ops)
can_pledge = is_community_member & is_volunteer & is_pledgeable
can_check_in = is_community_member & is_live_initiative & (leads_initiative | pledges_to_initiative | is_product_ops)
can_change_pledge = is_community_member & (owns_pledge | is_product_ops)
can_change_absence = is_community_member & (owns_absence | is_product_ops)

rules.add_perm("initiatives.browse", can_browse)
rules.add_perm("initiatives.manage", can_manage)
rules.add_perm("initiatives.pledge", can_pledge)
rules.add_perm("initiatives.check_in", can_check_in)
rules.add_perm("initiatives.volunteer", is_community_member & is_volunteer)
