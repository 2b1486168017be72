from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.accounts import selectors, services
from guilde.accounts.adapters import INVITATION_SESSION_KEY
from guilde.accounts.forms import ApiTokenForm
from guilde.accounts.http import AuthenticatedHttpRequest
from guilde.accounts.models import ApiToken


@login_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        issued = services.create_api_token(actor=request.user, name=form.cleaned_data["name"])
        new_secret = issued.secret
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        form = ApiTokenForm()
    context = {"form": form, "tokens": selectors.api_tokens_of(user=request.user), "new_secret": new_secret}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
@require_POST
def set_theme(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.set_theme(actor=request.user, theme=request.POST.get("theme", ""))
    return HttpResponse(status=204)


def accept_invitation(request: HttpRequest, secret: str) -> HttpResponse:
    """The invitation link: remembers the invitation and sends the person to sign up.

    Holding the link proves the address received it, so allauth is told the address is
    verified: the new account signs in at once instead of waiting for a second e-mail.
    """
    invitation = selectors.pending_invitation(secret=secret)
    if invitation is None:
        raise Http404
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in."))
        return redirect("core:home")
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    get_adapter(request).stash_verified_email(request, invitation.email)
    return redirect(f"{reverse('account_signup')}?{urlencode({'email': invitation.email})}")
