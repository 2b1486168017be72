from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.notifications.enums import VERB_ICONS, Verb
from guilde.notifications.rules import can_change_notification, can_view_notification


class Notification(TimeStampedModel, RulesModel):
    """One piece of news for one person, shown in the app and optionally e-mailed once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        # The composite indexes below start with the recipient: a lone index would only slow writes.
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    verb = models.CharField(_("kind"), max_length=40, choices=Verb.choices, default=Verb.GENERIC)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, help_text=_("Plain text or Markdown."))
    # A path inside Guilde ("/feedback/12/") in practice; the list only follows same-host links.
    url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread count of the top bar, and the unread ones newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notif_recipient_read_idx"),
            # The list: everything of one person, newest first, without a sort.
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
        ]
        rules_permissions = {"view": can_view_notification, "change": can_change_notification}

    def __str__(self) -> str:
        return self.title

    @property
    def icon(self) -> str:
        return VERB_ICONS.get(Verb(self.verb), "bell") if self.verb in Verb.values else "bell"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
