from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from guilde.accounts import selectors, services
from guilde.accounts.models import Invitation

INVITATION_SESSION_KEY = "guilde_invitation"


def session_invitation(request: HttpRequest) -> Invitation | None:
    """The pending invitation whose link this visitor opened, if any."""
    session = getattr(request, "session", None)
    return selectors.pending_invitation_by_pk(pk=session.get(INVITATION_SESSION_KEY) if session else None)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open to the company's allowed e-mail domains, and to whoever opened an invitation link.

    An invitation is honoured only for the visitor holding its link (the secret is the proof of
    the e-mail address), never merely because an address has a pending invitation: otherwise
    anyone could claim an invited address and its role.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.SIGNUP_ALLOWED_DOMAINS) or session_invitation(request) is not None

    def signup_email_error(self, email: str) -> str | None:
        """Why this address may not sign up, or None when it may.

        Checked by the sign-up form only: `clean_email` also serves password reset and e-mail
        management, which must keep working for every existing account.
        """
        email = email.strip().lower()
        if services.signup_domain_allowed(email):
            return None
        invitation = session_invitation(self.request) if self.request is not None else None
        if invitation is not None and invitation.email.lower() == email:
            return None
        if settings.SIGNUP_ALLOWED_DOMAINS:
            domains = ", ".join(settings.SIGNUP_ALLOWED_DOMAINS)
            return _("Sign-up is open to e-mail addresses at %(domains)s, or by invitation.") % {"domains": domains}
        if invitation is not None:
            return _("Your invitation is for %(email)s: sign up with that address.") % {"email": invitation.email}
        return _("Sign-up is by invitation only. Ask your product ops for an invitation.")

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        full_name = (form.cleaned_data.get("full_name") or "").strip()
        if full_name:
            user.full_name = full_name
        user = super().save_user(request, user, form, commit=commit)
        invitation = session_invitation(request)
        if commit and invitation is not None and invitation.email.lower() == (user.email or "").lower():
            services.accept_invitation(user=user, invitation=invitation)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user


def _sociallogin_email(sociallogin: Any) -> str:
    email = sociallogin.user.email or ""
    if not email and sociallogin.email_addresses:
        email = sociallogin.email_addresses[0].email
    return email.strip().lower()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on may create accounts, but only for allowed domains or invited e-mails.

    The company's identity provider vouches for the address, so a pending invitation for it
    is honoured even without its link.
    """

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        email = _sociallogin_email(sociallogin)
        return bool(email) and (
            services.signup_domain_allowed(email) or selectors.pending_invitation_for_email(email=email) is not None
        )

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.full_name = name or (user.email or "").split("@")[0]
        return user

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        invitation = selectors.pending_invitation_for_email(email=user.email or "")
        if invitation is not None:
            services.accept_invitation(user=user, invitation=invitation)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user
