"""Reads on notifications: always narrowed to the viewer's own."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from guilde.accounts.models import User
from guilde.notifications.models import Notification

PAGE_SIZE = 25


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first; anyone else's simply are not there (→ 404)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("actor").order_by("-created_at", "-id")


def notifications_for(*, user: User, page: int | str | None = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of the user's notifications, newest first; out-of-range pages give the last one."""
    return Paginator(notifications_of(user=user), per_page).get_page(page)


def unread_count(*, user: User) -> int:
    """How many notifications the user has not read: one count on the (recipient, read_at) index."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
