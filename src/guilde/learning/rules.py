"""Who may do what in learning. Authors are volunteers and product ops; everyone signed in learns."""

import rules

from guilde.accounts.rules import is_executive, is_product_ops, is_signed_in, is_stakeholder, is_volunteer


@rules.predicate
def is_author(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return obj is not None and is_signed_in(user) and getattr(obj, "author_id", None) == user.pk


@rules.predicate
def is_published(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return obj is not None and bool(getattr(obj, "is_visible_to_learners", False))


@rules.predicate
def is_draft(user, question) -> bool:  # type: ignore[no-untyped-def]
    return question is not None and question.status == "draft"


@rules.predicate
def is_in_review(user, question) -> bool:  # type: ignore[no-untyped-def]
    return question is not None and question.status == "review"


@rules.predicate
def is_own(user, obj) -> bool:  # type: ignore[no-untyped-def]
    return obj is not None and is_signed_in(user) and getattr(obj, "user_id", None) == user.pk


@rules.predicate
def is_host(user, live) -> bool:  # type: ignore[no-untyped-def]
    return live is not None and is_signed_in(user) and live.host_id == user.pk


is_learning_author = is_signed_in & (is_product_ops | is_volunteer)

can_learn = is_signed_in
can_author = is_learning_author
can_view_question = is_learning_author | is_author
can_change_question = is_signed_in & ((is_author & is_draft) | is_product_ops)
# Four eyes: whoever wrote a question does not publish it.
can_review_question = is_learning_author & is_in_review & ~is_author
can_view_quiz = is_signed_in & (is_published | is_learning_author)
can_change_quiz = is_signed_in & (is_author | is_product_ops)
can_take_quiz = is_signed_in & is_published
can_view_attempt = is_own
can_view_stats = is_learning_author
can_host_live = is_learning_author
can_control_live = is_host | is_product_ops
can_view_path = is_signed_in & (is_published | is_product_ops)
can_manage_paths = is_product_ops
can_view_path_reports = is_product_ops | is_executive
can_see_newcomers = is_product_ops
# Buddies are chosen among the community, never among stakeholders.
can_be_buddy = is_signed_in & ~is_stakeholder

rules.add_perm("learning.learn", can_learn)
rules.add_perm("learning.author", can_author)
rules.add_perm("learning.view_stats", can_view_stats)
rules.add_perm("learning.host_live", can_host_live)
rules.add_perm("learning.manage_paths", can_manage_paths)
rules.add_perm("learning.view_path_reports", can_view_path_reports)
rules.add_perm("learning.see_newcomers", can_see_newcomers)
rules.add_perm("learning.be_buddy", can_be_buddy)
