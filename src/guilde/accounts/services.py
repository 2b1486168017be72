"""Writes on accounts. Each function takes the acting user and runs in one transaction."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guilde.accounts.enums import Role, Theme
from guilde.accounts.models import ApiToken, Invitation, User
from guilde.accounts.rules import is_product_ops
from guilde.accounts.tokens import hash_secret, new_secret

INVITATION_VALIDITY = timedelta(days=14)


@dataclass(frozen=True)
class IssuedSecret[T]:
    """A newly created row and its secret, which is shown once and never stored."""

    obj: T
    secret: str


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> IssuedSecret[ApiToken]:
    secret = new_secret(settings.API_TOKEN_PREFIX)
    token = ApiToken.objects.create(user=actor, name=name.strip(), prefix=secret[:8], token_hash=hash_secret(secret))
    return IssuedSecret(token, secret)


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])


def signup_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.SIGNUP_ALLOWED_DOMAINS


@transaction.atomic
def invite_person(*, actor: User, email: str, role: str, base_url: str) -> IssuedSecret[Invitation]:
    """Creates an invitation and e-mails its link. Refuses e-mails that already have an account."""
    if not is_product_ops(actor):
        raise PermissionDenied
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Someone with this e-mail address is already in the community.")})
    secret = new_secret()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        token_hash=hash_secret(secret),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    link = base_url.rstrip("/") + reverse("accounts:accept_invitation", args=[secret])
    context = {"invitation": invitation, "link": link, "inviter": actor, "days": INVITATION_VALIDITY.days}
    send_mail(
        subject=_("%(name)s invites you to the product community") % {"name": actor.full_name},
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return IssuedSecret(invitation, secret)


@transaction.atomic
def accept_invitation(*, user: User, invitation: Invitation) -> None:
    """Gives the new account the invited role and closes the invitation."""
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    user.role = invitation.role
    user.save(update_fields=["role"])


@transaction.atomic
def change_role(*, actor: User, user: User, role: str) -> None:
    if not is_product_ops(actor):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if user.pk == actor.pk and role != Role.PRODUCT_OPS:
        raise ValidationError({"role": _("You cannot remove your own product ops role; ask another product ops.")})
    user.role = role
    user.save(update_fields=["role"])


@transaction.atomic
def set_active(*, actor: User, user: User, active: bool) -> None:
    """Deactivates (or reactivates) an account. Nothing is deleted: history stays attributed."""
    if not is_product_ops(actor):
        raise PermissionDenied
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account; ask another product ops."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def set_theme(*, actor: User, theme: str) -> None:
    if theme in Theme.values and actor.theme != theme:
        actor.theme = theme
        actor.save(update_fields=["theme"])
