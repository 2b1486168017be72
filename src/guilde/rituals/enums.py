from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class TopicFormat(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    RETURN_ON_EXPERIENCE = "rex", _("Return on experience")
    CASE_STUDY = "case_study", _("Case study")
    QA = "qa", _("Q&A")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    SCHEDULED = "scheduled", _("Scheduled")
    PRESENTED = "presented", _("Presented")
    DECLINED = "declined", _("Declined")


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    MAYBE = "maybe", _("Maybe")
    NOT_GOING = "not_going", _("Not going")


# One colour per meaning across modules (see the UI guide).
TOPIC_STATUS_BADGES = {
    TopicStatus.PROPOSED: "text-bg-secondary",
    TopicStatus.ACCEPTED: "text-bg-info",
    TopicStatus.SCHEDULED: "text-bg-primary",
    TopicStatus.PRESENTED: "text-bg-success",
    TopicStatus.DECLINED: "text-bg-danger",
}
