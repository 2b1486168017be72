"""Sign-up, sign-in, e-mail verification and password reset through allauth, with Guilde's rules."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user
from django.urls import reverse

from guilde.accounts.adapters import INVITATION_SESSION_KEY
from guilde.accounts.enums import Role
from guilde.accounts.models import User
from tests.factories.accounts import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = reverse("account_signup")
LOGIN_URL = reverse("account_login")
PASSWORD = "a long and unusual passphrase 42"


def signup_data(email, **extra):
    return {"full_name": "Eve Example", "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}


def test_signup_without_invitation_or_allowed_domain_is_closed(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert "Sign-up by invitation" in response.content.decode()
    assert "form" not in response.context


def test_signup_from_invitation_link_prefills_email_and_asks_full_name(client):
    InvitationFactory(secret="s3cret", email="eve@outside.test")

    response = client.get(reverse("accounts:accept_invitation", args=["s3cret"]), follow=True)

    form = response.context["form"]
    html = response.content.decode()
    assert list(form.fields)[:2] == ["full_name", "email"]
    assert 'value="eve@outside.test"' in html
    assert '<label class="form-label" for="id_full_name">' in html


def test_signup_from_invitation_gives_invited_role_and_signs_in(client, mailoutbox):
    invitation = InvitationFactory(secret="s3cret", email="eve@outside.test", role=Role.EXECUTIVE)
    client.get(reverse("accounts:accept_invitation", args=["s3cret"]))

    response = client.post(SIGNUP_URL, signup_data("Eve@Outside.test"))

    user = User.objects.get(email="eve@outside.test")
    invitation.refresh_from_db()
    assert response.status_code == 302
    assert (user.email, user.full_name, user.role) == ("eve@outside.test", "Eve Example", Role.EXECUTIVE)
    assert invitation.accepted_at is not None
    assert INVITATION_SESSION_KEY not in client.session
    # The link proved the address: no second verification e-mail, signed in at once.
    assert EmailAddress.objects.get(user=user).verified
    assert get_user(client) == user
    assert mailoutbox == []


def test_signup_from_invitation_with_other_email_is_refused(client):
    InvitationFactory(secret="s3cret", email="eve@outside.test", role=Role.PRODUCT_OPS)
    client.get(reverse("accounts:accept_invitation", args=["s3cret"]))

    response = client.post(SIGNUP_URL, signup_data("mallory@outside.test"))

    assert not User.objects.filter(email="mallory@outside.test").exists()
    assert response.context["form"].errors["email"] == [
        "Your invitation is for eve@outside.test: sign up with that address."
    ]


def test_signup_with_invited_email_but_without_the_link_is_refused(client, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]
    InvitationFactory(email="eve@outside.test", role=Role.PRODUCT_OPS)

    response = client.post(SIGNUP_URL, signup_data("eve@outside.test"))

    assert not User.objects.filter(email="eve@outside.test").exists()
    assert "email" in response.context["form"].errors


def test_signup_unknown_domain_is_refused_next_to_the_field(client, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com", "acme.fr"]

    response = client.post(SIGNUP_URL, signup_data("eve@gmail.com"))

    html = response.content.decode()
    message = "Sign-up is open to e-mail addresses at acme.com, acme.fr, or by invitation."
    assert User.objects.count() == 0
    assert response.context["form"].errors["email"] == [message]
    assert 'id="id_email_errors"' in html
    assert message in html


def test_signup_unknown_domain_error_is_translated(client, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    response = client.post(SIGNUP_URL, signup_data("eve@gmail.com"), headers={"accept-language": "fr"})

    assert response.context["form"].errors["email"] == [
        "L\u2019inscription est ouverte aux adresses e-mail de acme.com, ou sur invitation."
    ]


def test_signup_allowed_domain_creates_member_and_sends_verification(client, settings, mailoutbox):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    response = client.post(SIGNUP_URL, signup_data("eve@ACME.com"))

    user = User.objects.get()
    assert response.url == reverse("account_email_verification_sent")
    assert (user.email, user.full_name, user.role) == ("eve@acme.com", "Eve Example", Role.MEMBER)
    assert not EmailAddress.objects.get(user=user).verified
    assert not get_user(client).is_authenticated
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["eve@acme.com"]
    assert mailoutbox[0].subject.startswith("[Guilde] ")


def test_email_verification_link_confirms_address(client, settings, mailoutbox):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]
    client.post(SIGNUP_URL, signup_data("eve@acme.com"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    path = link.split("testserver", 1)[1]

    page = client.get(path)
    response = client.post(path)

    assert page.status_code == 200
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="eve@acme.com").verified


def test_signup_without_full_name_is_refused(client, settings):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]

    response = client.post(SIGNUP_URL, signup_data("eve@acme.com", full_name=""))

    assert User.objects.count() == 0
    assert "full_name" in response.context["form"].errors


def verified_user(email="ada@example.com"):
    user = UserFactory(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_login_with_email_and_password(client):
    user = verified_user()

    response = client.post(LOGIN_URL, {"login": "Ada@Example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert get_user(client) == user


def test_login_with_wrong_password_shows_error(client):
    verified_user()

    response = client.post(LOGIN_URL, {"login": "ada@example.com", "password": "wrong"})

    assert not get_user(client).is_authenticated
    assert response.context["form"].non_field_errors()
    assert "alert-danger" in response.content.decode()


def test_login_of_deactivated_user_is_refused(client):
    user = verified_user()
    user.is_active = False
    user.save()

    client.post(LOGIN_URL, {"login": "ada@example.com", "password": PASSWORD})

    assert not get_user(client).is_authenticated


def test_login_is_rate_limited_after_failures(client):
    verified_user()
    for _ in range(5):
        client.post(LOGIN_URL, {"login": "ada@example.com", "password": "wrong"})

    response = client.post(LOGIN_URL, {"login": "ada@example.com", "password": PASSWORD})

    assert not get_user(client).is_authenticated
    assert "Too many failed login attempts" in str(response.context["form"].non_field_errors())


def test_password_reset_sends_email_with_link(client, mailoutbox):
    verified_user()

    response = client.post(reverse("account_reset_password"), {"email": "ada@example.com"})

    assert response.url == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_password_reset_works_for_addresses_outside_allowed_domains(client, settings, mailoutbox):
    settings.SIGNUP_ALLOWED_DOMAINS = ["acme.com"]
    verified_user("invited@outside.test")

    client.post(reverse("account_reset_password"), {"email": "invited@outside.test"})

    assert [m.to for m in mailoutbox] == [["invited@outside.test"]]


def test_password_reset_from_key_sets_new_password(client, mailoutbox):
    user = verified_user()
    client.post(reverse("account_reset_password"), {"email": "ada@example.com"})
    path = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body).group(1)

    form_page = client.get(path, follow=True)
    new_password = "another long passphrase 7"
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})

    user.refresh_from_db()
    assert form_page.status_code == 200
    assert "accounts/entrance.css" in form_page.content.decode()
    assert response.status_code == 302
    assert user.check_password(new_password)


def test_logout_signs_out(client):
    client.force_login(verified_user())

    client.post(reverse("account_logout"))

    assert not get_user(client).is_authenticated
