from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """What happened: lets the list show an icon and, later, lets people mute a kind of news."""

    FEEDBACK_PROCESSED = "feedback_processed", _("Feedback processed")
    FEEDBACK_PLANNED = "feedback_planned", _("Feedback planned")
    FEEDBACK_RESOLVED = "feedback_resolved", _("Feedback resolved")
    FEEDBACK_DECLINED = "feedback_declined", _("Feedback declined")
    OPPORTUNITY_SHIPPED = "opportunity_shipped", _("Opportunity shipped")
    GENERIC = "generic", _("Notice")
