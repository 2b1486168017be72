from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, error_text
from guilde.rituals import ratelimit, selectors, services
from guilde.rituals.forms import (
    ContactForm,
    ProposeThemeForm,
    SubscribeForm,
)

PUBLIC_FORM_LIMIT = 5

PUBLIC_FORM_WINDOW = 600


def _events_context() -> dict[str, Any]:
    return {
        "sessions": selectors.public_upcoming(),
        "replays": selectors.public_replays(),
        "subscribe_form": SubscribeForm(),
        "propose_form": ProposeThemeForm(),
        "contact_form": ContactForm(),
        "rituals": selectors.visible_rituals(viewer=_anonymous()),
    }


def events(request: HttpRequest) -> HttpResponse:
    return render(request, "rituals/events.html", _events_context())


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _public_form(
    request: HttpRequest, form_class: Any, scope: str, handle: Callable[[dict[str, Any]], object], success: str
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method != "POST":
        return redirect("rituals:events")
    if not ratelimit.allow(
        scope=scope, key=ratelimit.client_ip(request), limit=PUBLIC_FORM_LIMIT, window_seconds=PUBLIC_FORM_WINDOW
    ):
        response = render(
            request,
            "rituals/public_result.html",
            {
                "title": _("Too many attempts"),
                "message": _("Please wait a few minutes before sending this form again."),
            },
            status=429,
        )
        response["Retry-After"] = str(PUBLIC_FORM_WINDOW)
        return response
    if form.is_valid():
        if not form.is_spam:
            try:
                handle(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.errors:
            return render(request, "rituals/public_result.html", {"title": _("Thank you"), "message": success})
    context = {**_events_context(), f"{scope}_form": form, "open_form": scope}
    return render(request, "rituals/events.html", context, status=400)


@require_POST
def events_subscribe(request: HttpRequest) -> HttpResponse:
    language = translation.get_language() or "en"
    return _public_form(
        request,
        SubscribeForm,
        "subscribe",
        lambda data: services.subscribe(email=data["email"], language=language[:2]),
        _("Check your inbox: click the link we sent to confirm your subscription."),
    )


@require_POST
def events_propose(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        ProposeThemeForm,
        "propose",
        lambda data: services.propose_external_topic(
            title=data["title"],
            description=data["description"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
        ),
        _("Your theme reached the community leads. They will write to you if it is picked."),
    )


@require_POST
def events_contact(request: HttpRequest) -> HttpResponse:
    return _public_form(
        request,
        ContactForm,
        "contact",
        lambda data: services.contact_leads(name=data["name"], email=data["email"], message=data["message"]),
        _("Your message reached the community leads. They will answer by e-mail."),
    )


def _token_action(
    request: HttpRequest, token: str, *, kind: str, act: Callable[..., object], title: str, message: str
) -> HttpResponse:
    """GET shows a button (mail scanners open links); POST acts on the signed token."""
    if request.method != "POST":
        return render(request, "rituals/public_confirm.html", {"token": token, "kind": kind})
    try:
        act(token=token)
    except ValidationError as error:
        context = {"title": _("Link not valid"), "message": error_text(error)}
        return render(request, "rituals/public_result.html", context, status=400)
    return render(request, "rituals/public_result.html", {"title": title, "message": message})


def confirm_subscription(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        token,
        kind="confirm",
        act=services.confirm_subscription,
        title=_("Subscription confirmed"),
        message=_(
            "You will receive an e-mail for each upcoming public event. Every e-mail has a one-click unsubscribe link."
        ),
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): mail clients POST here without a CSRF token; the signed token is the proof."""
    return _token_action(
        request,
        token,
        kind="unsubscribe",
        act=services.unsubscribe,
        title=_("You are unsubscribed"),
        message=_("You will not receive any more e-mails about our events."),
    )
