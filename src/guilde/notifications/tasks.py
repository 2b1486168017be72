"""Background work of notifications, run by `manage.py db_worker`."""

from django.tasks import task

from guilde.notifications.emails import deliver_emails


@task
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mails one batch of notifications created together by `services.notify`."""
    return deliver_emails(notification_ids=notification_ids)
