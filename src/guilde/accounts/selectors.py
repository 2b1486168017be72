from django.db.models import F, QuerySet
from django.utils import timezone

from guilde.accounts.models import ApiToken, Invitation, User
from guilde.accounts.tokens import hash_secret


def user_for_api_token(*, secret: str) -> User | None:
    """The active user a bearer token belongs to, or None for an unknown or revoked token."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every request would serialise API traffic on SQLite: a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """Active tokens first (NULL sorts differently on SQLite and PostgreSQL, hence `nulls_first`)."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at")


def pending_invitation(*, secret: str) -> Invitation | None:
    return Invitation.objects.filter(
        token_hash=hash_secret(secret), accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def pending_invitation_by_pk(*, pk: int | None) -> Invitation | None:
    """The invitation a visitor opened through its link (kept in their session), if still pending."""
    if pk is None:
        return None
    return Invitation.objects.filter(pk=pk, accepted_at__isnull=True, expires_at__gt=timezone.now()).first()


def pending_invitation_for_email(*, email: str) -> Invitation | None:
    return (
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


def pending_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=timezone.now()).select_related(
        "invited_by"
    )
