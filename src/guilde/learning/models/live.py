"""Live quizzes: a quiz played together, paced by its host."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.learning.enums import LiveStatus
from guilde.learning.models.quizzes import Quiz
from guilde.learning.rules import can_control_live


class LiveSession(TimeStampedModel, RulesModel):
    """A quiz played together: a host advances the questions, players answer from their phone."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="live_sessions", verbose_name=_("quiz"))
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_quizzes_hosted", verbose_name=_("host")
    )
    code = models.CharField(_("join code"), max_length=6, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=LiveStatus.choices, default=LiveStatus.LOBBY)
    current_index = models.PositiveSmallIntegerField(default=0)
    question_started_at = models.DateTimeField(null=True, blank=True)
    question_ids = models.JSONField(default=list)
    speed_bonus = models.BooleanField(
        _("speed bonus"), default=False, help_text=_("Faster right answers earn up to 50 extra points.")
    )
    session = models.ForeignKey(
        "rituals.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
    )
    # For a session held outside Guilde: named and linked by hand.
    session_title = models.CharField(_("session"), max_length=200, blank=True)
    session_url = models.CharField(_("session link"), max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("live quiz")
        verbose_name_plural = _("live quizzes")
        ordering = ["-created_at"]
        rules_permissions = {"control": can_control_live}

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("learning:live_play", args=[self.code])

    @property
    def question_count(self) -> int:
        return len(self.question_ids)

    @property
    def current_question_id(self) -> int | None:
        if self.status in (LiveStatus.QUESTION, LiveStatus.REVEAL) and self.current_index < len(self.question_ids):
            return int(self.question_ids[self.current_index])
        return None

    @property
    def stage_key(self) -> str:
        return f"{self.status}-{self.current_index}"
