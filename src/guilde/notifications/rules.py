import rules

from guilde.accounts.rules import is_signed_in


@rules.predicate
def is_recipient(user, notification) -> bool:  # type: ignore[no-untyped-def]
    return notification is not None and is_signed_in(user) and notification.recipient_id == user.pk


can_view_notification = is_recipient
can_change_notification = is_recipient
