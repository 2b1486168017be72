from typing import Any, cast

from allauth.account.adapter import get_adapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guilde.accounts.adapters import AccountAdapter
from guilde.accounts.enums import Role


class SignupNameForm(forms.Form):
    """Base of allauth's sign-up forms: the name shown to the community, and who may sign up."""

    field_order = ["full_name", "email", "password1", "password2"]

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As your colleagues know you."),
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned_data = super().clean()
        email = self.cleaned_data.get("email")
        if email:
            error = cast(AccountAdapter, get_adapter()).signup_email_error(email)
            if error:
                self.add_error("email", error)
        return cleaned_data

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
