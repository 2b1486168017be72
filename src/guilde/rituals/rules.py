"""Who may do what with rituals, sessions and topics; bound in the models' Meta.rules_permissions."""

import rules

from guilde.accounts.rules import is_community_member, is_product_ops, is_signed_in
from guilde.rituals.enums import TopicStatus, Visibility


@rules.predicate
def is_public_ritual(user, ritual) -> bool:  # type: ignore[no-untyped-def]
    return ritual is not None and ritual.visibility == Visibility.PUBLIC


@rules.predicate
def is_public_session(user, session) -> bool:  # type: ignore[no-untyped-def]
    return session is not None and session.ritual.visibility == Visibility.PUBLIC


@rules.predicate
def hosts_ritual(user, ritual) -> bool:  # type: ignore[no-untyped-def]
    return ritual is not None and is_signed_in(user) and any(host.pk == user.pk for host in ritual.hosts.all())


@rules.predicate
def hosts_session(user, session) -> bool:  # type: ignore[no-untyped-def]
    return session is not None and hosts_ritual(user, session.ritual)


@rules.predicate
def proposed_topic(user, topic) -> bool:  # type: ignore[no-untyped-def]
    return topic is not None and is_signed_in(user) and topic.proposed_by_id == user.pk


@rules.predicate
def topic_still_open(user, topic) -> bool:  # type: ignore[no-untyped-def]
    return topic is not None and topic.status in (TopicStatus.PROPOSED, TopicStatus.ACCEPTED)


@rules.predicate
def wrote_comment(user, comment) -> bool:  # type: ignore[no-untyped-def]
    return comment is not None and is_signed_in(user) and comment.author_id == user.pk


can_view_ritual = is_public_ritual | is_community_member
can_manage_ritual = is_product_ops | hosts_ritual
can_view_session = is_public_session | is_community_member
can_manage_session = is_product_ops | hosts_session
can_rsvp_session = is_signed_in & can_view_session
can_view_topic = is_community_member
can_change_topic = is_product_ops | (proposed_topic & topic_still_open)
# Words stay their author's: product ops moderate by deleting, never by rewriting.
can_change_topic_comment = is_community_member & wrote_comment
can_delete_topic_comment = is_community_member & (wrote_comment | is_product_ops)

rules.add_perm("rituals.browse", is_signed_in)
rules.add_perm("rituals.manage", is_product_ops)
rules.add_perm("rituals.propose_topic", is_community_member)
rules.add_perm("rituals.vote_topic", is_community_member)
rules.add_perm("rituals.comment_topic", is_community_member)
rules.add_perm("rituals.decide_topic", is_product_ops)
rules.add_perm("rituals.rsvp_session", can_rsvp_session)
rules.add_perm("rituals.manage_session", can_manage_session)
rules.add_perm("rituals.use_calendar_feed", is_signed_in)
