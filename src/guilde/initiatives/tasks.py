"""Background work of the initiatives domain (run by `manage.py db_worker`)."""

from django.tasks import task


@task()
def send_weekly_digest() -> dict[str, int]:
    """Reminds volunteers of check-ins due and tells product ops of burnout signals; once a week."""
    from guilde.initiatives.services import send_digest

    return send_digest()
