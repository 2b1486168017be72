from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """What happened: lets the list show an icon and, later, lets people mute a kind of news."""

    FEEDBACK_PROCESSED = "feedback_processed", _("Feedback processed")
    FEEDBACK_PLANNED = "feedback_planned", _("Feedback planned")
    FEEDBACK_RESOLVED = "feedback_resolved", _("Feedback resolved")
    FEEDBACK_DECLINED = "feedback_declined", _("Feedback declined")
    OPPORTUNITY_SHIPPED = "opportunity_shipped", _("Opportunity shipped")
    SESSION_CHANGED = "session_changed", _("Session news")
    TOPIC_UPDATE = "topic_update", _("Topic news")
    PUBLIC_MESSAGE = "public_message", _("Message from the public page")
    INITIATIVE_UPDATE = "initiative_update", _("Initiative news")
    LEARNING_UPDATE = "learning_update", _("Learning news")
    GENERIC = "generic", _("Notice")


VERB_ICONS = {
    Verb.FEEDBACK_PROCESSED: "inbox",
    Verb.FEEDBACK_PLANNED: "signpost-split",
    Verb.FEEDBACK_RESOLVED: "check2-circle",
    Verb.FEEDBACK_DECLINED: "x-circle",
    Verb.OPPORTUNITY_SHIPPED: "rocket-takeoff",
    Verb.SESSION_CHANGED: "calendar-event",
    Verb.TOPIC_UPDATE: "lightbulb",
    Verb.PUBLIC_MESSAGE: "envelope",
    Verb.INITIATIVE_UPDATE: "kanban",
    Verb.LEARNING_UPDATE: "mortarboard",
    Verb.GENERIC: "bell",
}
