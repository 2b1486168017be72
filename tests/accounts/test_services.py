from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guilde.accounts import selectors, services
from guilde.accounts.enums import Role, Theme
from guilde.accounts.models import ApiToken, Invitation
from guilde.accounts.tokens import hash_secret
from tests.factories.accounts import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops():
    return UserFactory(role=Role.PRODUCT_OPS, full_name="Olivia Ops")


def test_invite_person_creates_invitation_and_emails_link(ops, mailoutbox):
    issued = services.invite_person(
        actor=ops, email=" New.Person@Outside.test ", role=Role.EXECUTIVE, base_url="https://guilde.example.com/"
    )

    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == ("new.person@outside.test", "executive", ops)
    assert invitation.token_hash == hash_secret(issued.secret)
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.person@outside.test"]
    assert mail.subject == "Olivia Ops invites you to the product community"
    assert f"https://guilde.example.com/accounts/invitation/{issued.secret}/" in mail.body
    assert "valid for 14 days" in mail.body


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXECUTIVE, Role.STAKEHOLDER])
def test_invite_person_by_non_product_ops_is_denied(role, mailoutbox):
    with pytest.raises(PermissionDenied):
        services.invite_person(actor=UserFactory(role=role), email="x@outside.test", role=Role.MEMBER, base_url="")

    assert (Invitation.objects.count(), len(mailoutbox)) == (0, 0)


def test_invite_person_already_in_community_is_refused(ops, mailoutbox):
    UserFactory(email="taken@example.com")

    with pytest.raises(ValidationError) as error:
        services.invite_person(actor=ops, email="Taken@Example.com", role=Role.MEMBER, base_url="")

    assert "email" in error.value.message_dict
    assert len(mailoutbox) == 0


def test_invite_person_with_invalid_email_or_role_is_refused(ops):
    with pytest.raises(ValidationError) as bad_email:
        services.invite_person(actor=ops, email="not-an-email", role=Role.MEMBER, base_url="")
    with pytest.raises(ValidationError) as bad_role:
        services.invite_person(actor=ops, email="x@outside.test", role="emperor", base_url="")

    assert "email" in bad_email.value.message_dict
    assert "role" in bad_role.value.message_dict
    assert Invitation.objects.count() == 0


def test_accept_invitation_sets_role_and_closes_invitation():
    invitation = InvitationFactory(email="eve@outside.test", role=Role.STAKEHOLDER)
    user = UserFactory(email="eve@outside.test")

    services.accept_invitation(user=user, invitation=invitation)

    user.refresh_from_db()
    invitation.refresh_from_db()
    assert user.role == Role.STAKEHOLDER
    assert invitation.accepted_at is not None
    assert selectors.pending_invitation_for_email(email="eve@outside.test") is None


def test_accept_invitation_for_another_email_is_denied():
    invitation = InvitationFactory(email="eve@outside.test", role=Role.PRODUCT_OPS)
    user = UserFactory(email="mallory@outside.test")

    with pytest.raises(PermissionDenied):
        services.accept_invitation(user=user, invitation=invitation)

    user.refresh_from_db()
    assert user.role == Role.MEMBER


def test_pending_invitation_ignores_expired_and_accepted():
    InvitationFactory(secret="expired", expires_at=timezone.now() - timedelta(minutes=1))
    InvitationFactory(secret="accepted", accepted_at=timezone.now())
    pending = InvitationFactory(secret="pending")

    assert selectors.pending_invitation(secret="expired") is None
    assert selectors.pending_invitation(secret="accepted") is None
    assert selectors.pending_invitation(secret="pending") == pending
    assert list(selectors.pending_invitations()) == [pending]


def test_change_role_by_product_ops(ops):
    user = UserFactory()

    services.change_role(actor=ops, user=user, role=Role.EXECUTIVE)

    user.refresh_from_db()
    assert user.role == Role.EXECUTIVE


def test_change_role_by_non_product_ops_is_denied():
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        services.change_role(actor=UserFactory(role=Role.EXECUTIVE), user=user, role=Role.PRODUCT_OPS)

    user.refresh_from_db()
    assert user.role == Role.MEMBER


def test_change_role_to_unknown_role_is_refused(ops):
    with pytest.raises(ValidationError) as error:
        services.change_role(actor=ops, user=UserFactory(), role="emperor")

    assert "role" in error.value.message_dict


def test_change_own_role_away_from_product_ops_is_refused(ops):
    with pytest.raises(ValidationError):
        services.change_role(actor=ops, user=ops, role=Role.MEMBER)

    ops.refresh_from_db()
    assert ops.role == Role.PRODUCT_OPS


def test_set_active_false_deactivates_and_revokes_tokens(ops):
    user = UserFactory()
    services.create_api_token(actor=user, name="CI")

    services.set_active(actor=ops, user=user, active=False)

    user.refresh_from_db()
    assert not user.is_active
    assert ApiToken.objects.get().revoked_at is not None


def test_set_active_true_reactivates(ops):
    user = UserFactory(is_active=False)

    services.set_active(actor=ops, user=user, active=True)

    user.refresh_from_db()
    assert user.is_active


def test_set_active_on_self_is_refused(ops):
    with pytest.raises(ValidationError):
        services.set_active(actor=ops, user=ops, active=False)

    ops.refresh_from_db()
    assert ops.is_active


def test_set_active_by_non_product_ops_is_denied():
    user = UserFactory()

    with pytest.raises(PermissionDenied):
        services.set_active(actor=UserFactory(), user=user, active=False)

    user.refresh_from_db()
    assert user.is_active


def test_set_theme_saves_a_known_theme():
    user = UserFactory()

    services.set_theme(actor=user, theme=Theme.DARK)

    user.refresh_from_db()
    assert user.theme == Theme.DARK


def test_set_theme_ignores_an_unknown_theme():
    user = UserFactory(theme=Theme.LIGHT)

    services.set_theme(actor=user, theme="neon")

    user.refresh_from_db()
    assert user.theme == Theme.LIGHT


@pytest.mark.parametrize(
    ("email", "allowed"),
    [("a@acme.com", True), ("a@ACME.com", True), ("a@sub.acme.com", False), ("a@other.com", False)],
)
def test_signup_domain_allowed(settings, email, allowed):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    assert services.signup_domain_allowed(email) is allowed
