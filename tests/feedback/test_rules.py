import pytest

from guilde.accounts.enums import Role
from guilde.feedback.models import CustomerAccount, Feedback
from tests.factories.accounts import UserFactory
from tests.factories.feedback import CustomerAccountFactory, FeedbackFactory, FeedbackSupporterFactory

pytestmark = pytest.mark.django_db

# role → (view any feedback, triage, configure, KPIs, see any account's figures)
MATRIX = {
    Role.PRODUCT_OPS: (True, True, True, True, True),
    Role.MEMBER: (True, True, False, True, True),
    Role.EXECUTIVE: (True, False, False, True, True),
    Role.STAKEHOLDER: (False, False, False, False, False),
}


@pytest.mark.parametrize(("role", "expected"), list(MATRIX.items()))
def test_permission_matrix_per_role(role, expected):
    user = UserFactory(role=role)
    feedback = FeedbackFactory()
    account = CustomerAccountFactory()
    actual = (
        user.has_perm(Feedback.get_perm("view"), feedback),
        user.has_perm("feedback.triage"),
        user.has_perm("feedback.configure"),
        user.has_perm("feedback.view_kpis"),
        user.has_perm(CustomerAccount.get_perm("view"), account),
    )
    assert actual == expected
    assert user.has_perm("feedback.submit_feedback")
    assert user.has_perm("feedback.view_roadmap")


def test_stakeholder_sees_own_owned_account_and_supported_feedback_only():
    sam = UserFactory(role=Role.STAKEHOLDER)
    own = FeedbackFactory(submitter=sam)
    of_my_account = FeedbackFactory(account=CustomerAccountFactory(owner=sam))
    supported = FeedbackFactory()
    FeedbackSupporterFactory(feedback=supported, user=sam)
    other = FeedbackFactory()
    perm = Feedback.get_perm("view")
    assert [sam.has_perm(perm, f) for f in (own, of_my_account, supported, other)] == [True, True, True, False]


def test_confidential_figures_only_for_product_and_account_owner():
    sam = UserFactory(role=Role.STAKEHOLDER)
    mine, theirs = CustomerAccountFactory(owner=sam), CustomerAccountFactory()
    perm = CustomerAccount.get_perm("view")
    assert sam.has_perm(perm, mine)
    assert not sam.has_perm(perm, theirs)


def test_anonymous_and_inactive_users_get_nothing():
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(role=Role.PRODUCT_OPS, is_active=False)
    for user in (AnonymousUser(), inactive):
        assert not user.has_perm("feedback.submit_feedback")
        assert not user.has_perm(Feedback.get_perm("view"), FeedbackFactory())
