from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guilde.accounts.enums import Role


class SignupNameForm(forms.Form):
    """Extra field on allauth's sign-up form: the name shown to the community."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request: HttpRequest, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Say where it will be used, e.g. “Zendesk sync”, so you know what to revoke later."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
