from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from guilde.notifications import selectors, services

TEMPLATE = "notifications/list.html"


def _safe_target(request: HttpRequest, url: str) -> str:
    """The notification's link if it stays on this site, else the list: never an open redirect."""
    same_site = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if url and same_site and (url.startswith("/") or "://" in url):
        return url
    return reverse("notifications:list")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = selectors.notifications_for(user=request.user, page=request.GET.get("page"))  # type: ignore[arg-type]
    # Counted here rather than left to the context processor: the page works without it, and
    # the top bar's bell reuses this number instead of counting again.
    unread = selectors.unread_count(user=request.user)  # type: ignore[arg-type]
    template = f"{TEMPLATE}#panel" if request.htmx else TEMPLATE  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "unread_notifications": unread})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.mark_all_read(actor=request.user)  # type: ignore[arg-type]
    if request.htmx:  # type: ignore[attr-defined]
        page = selectors.notifications_for(user=request.user, page=request.POST.get("page"))  # type: ignore[arg-type]
        # The panel, and the top bar's bell swapped out of band, both at zero.
        return render(request, f"{TEMPLATE}#marked", {"page": page, "unread_notifications": 0})
    if changed:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the notification read, then follows its link."""
    notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)  # type: ignore[arg-type]
    services.mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    target = _safe_target(request, notification.url)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(target)
    return redirect(target)
