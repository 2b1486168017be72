"""Who may do what with feedback.

Decisions:
- the *product side* (members — PMs, designers —, product ops, executives) sees every feedback and
  every account's confidential figures (ARR, segment);
- *triage* (qualify, decline, merge, link, prioritise, edit the roadmap) is for product ops and
  members; executives read (feedback, KPIs) but do not triage;
- the useful-feedback policy, rubric, areas and segments are configured by product ops only;
- a stakeholder sees the feedback they submitted, the feedback of accounts they own and the
  feedback they added a customer to; they see confidential figures only of accounts they own;
- everyone signed in submits feedback and sees the roadmap (titles and statuses only for
  stakeholders).
"""

import rules

from guilde.accounts.enums import Role
from guilde.accounts.rules import is_community_member, is_product_ops, is_signed_in


@rules.predicate
def is_member_role(user) -> bool:  # type: ignore[no-untyped-def]
    return is_signed_in(user) and user.role == Role.MEMBER


is_product_side = is_community_member
can_triage = is_product_ops | is_member_role
can_configure = is_product_ops
can_submit = is_signed_in


@rules.predicate
def is_submitter(user, feedback) -> bool:  # type: ignore[no-untyped-def]
    return feedback is not None and is_signed_in(user) and feedback.submitter_id == user.pk


@rules.predicate
def owns_feedback_account(user, feedback) -> bool:  # type: ignore[no-untyped-def]
    if feedback is None or not is_signed_in(user) or feedback.account_id is None:
        return False
    return bool(feedback.account.owner_id == user.pk)


@rules.predicate
def supports_feedback(user, feedback) -> bool:  # type: ignore[no-untyped-def]
    if feedback is None or not is_signed_in(user) or feedback.pk is None:
        return False
    return bool(feedback.supporters.filter(user_id=user.pk).exists())


@rules.predicate
def owns_account(user, account) -> bool:  # type: ignore[no-untyped-def]
    return account is not None and is_signed_in(user) and account.owner_id == user.pk


can_view_feedback = is_product_side | is_submitter | owns_feedback_account | supports_feedback
can_change_feedback = can_triage
can_see_confidential = is_product_side | owns_account
can_view_account = is_product_side | owns_account
can_view_roadmap = is_signed_in
can_view_kpis = is_product_side
can_view_opportunity = is_signed_in

rules.add_perm("feedback.submit_feedback", can_submit)
rules.add_perm("feedback.triage", can_triage)
rules.add_perm("feedback.configure", can_configure)
rules.add_perm("feedback.view_kpis", can_view_kpis)
rules.add_perm("feedback.view_roadmap", can_view_roadmap)
rules.add_perm("feedback.import_feedback", can_triage)
rules.add_perm("feedback.export_feedback", is_signed_in)
