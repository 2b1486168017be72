from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    MERGED = "merged", _("Merged")
    DECLINED = "declined", _("Declined")


class InitiativeKind(models.TextChoices):
    QUIZ = "quiz", _("Quiz")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    WORKSHOP = "workshop", _("Workshop")
    CONTENT = "content", _("Content")
    PROCESS = "process", _("Process")
    TOOLING = "tooling", _("Tooling")
    EVENT = "event", _("Event")


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    PAUSED = "paused", _("Paused")
    DEPRIORITISED = "deprioritised", _("Deprioritised")
    ABANDONED = "abandoned", _("Abandoned")


# The kanban's main flow, left to right; the others sit in a side column.
FLOW = [InitiativeStatus.IDEA, InitiativeStatus.PLANNED, InitiativeStatus.IN_PROGRESS, InitiativeStatus.DELIVERED]
# Statuses the capacity planner plans for.
ACTIVE_STATUSES = [InitiativeStatus.PLANNED, InitiativeStatus.IN_PROGRESS]
# Leaving the flow for one of these needs a reason.
NEEDS_REASON = [InitiativeStatus.PAUSED, InitiativeStatus.DEPRIORITISED, InitiativeStatus.ABANDONED]
# Pledges end when an initiative reaches one of these: the volunteer's hours are free again.
ENDS_PLEDGES = [
    InitiativeStatus.DELIVERED,
    InitiativeStatus.PAUSED,
    InitiativeStatus.DEPRIORITISED,
    InitiativeStatus.ABANDONED,
]
# Volunteers may pledge to initiatives in these statuses.
PLEDGEABLE = [InitiativeStatus.IDEA, InitiativeStatus.PLANNED, InitiativeStatus.IN_PROGRESS]

# One colour per meaning across modules (docs: ui.md).
STATUS_BADGE = {
    InitiativeStatus.IDEA: "text-bg-secondary",
    InitiativeStatus.PLANNED: "badge-indigo",
    InitiativeStatus.IN_PROGRESS: "text-bg-primary",
    InitiativeStatus.DELIVERED: "text-bg-success",
    InitiativeStatus.PAUSED: "text-bg-warning",
    InitiativeStatus.DEPRIORITISED: "text-bg-warning",
    InitiativeStatus.ABANDONED: "text-bg-danger",
}
CHALLENGE_BADGE = {
    ChallengeStatus.OPEN: "text-bg-secondary",
    ChallengeStatus.ACCEPTED: "text-bg-success",
    ChallengeStatus.MERGED: "badge-indigo",
    ChallengeStatus.DECLINED: "text-bg-danger",
}
