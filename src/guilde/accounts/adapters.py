from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from guilde.accounts import selectors, services

INVITATION_SESSION_KEY = "guilde_invitation"


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is open to invited e-mails and to the company's allowed e-mail domains only."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.SIGNUP_ALLOWED_DOMAINS or request.session.get(INVITATION_SESSION_KEY))

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        if selectors.pending_invitation_for_email(email=email) or services.signup_domain_allowed(email):
            return email
        domains = ", ".join(settings.SIGNUP_ALLOWED_DOMAINS)
        if domains:
            raise forms.ValidationError(
                _("Sign-up is open to e-mail addresses at %(domains)s, or by invitation.") % {"domains": domains}
            )
        raise forms.ValidationError(_("Sign-up is by invitation only. Ask your product ops for an invitation."))

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        invitation = selectors.pending_invitation_for_email(email=user.email)
        if invitation is not None and commit:
            services.accept_invitation(user=user, invitation=invitation)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on may create accounts, but only for allowed domains or invited e-mails."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        email = (sociallogin.user.email or "").lower()
        return bool(email) and (
            services.signup_domain_allowed(email) or selectors.pending_invitation_for_email(email=email) is not None
        )

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.full_name = name or (user.email or "").split("@")[0]
        return user
