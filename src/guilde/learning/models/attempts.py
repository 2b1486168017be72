"""A learner's attempts at a quiz and their answers, scored on the server."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.learning.models.live import LiveSession
from guilde.learning.models.questions import Question
from guilde.learning.models.quizzes import Quiz
from guilde.learning.rules import can_view_attempt


class Attempt(TimeStampedModel, RulesModel):
    """One go at a quiz. `score` is the mean item score (0-1), set once the attempt is submitted."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("learner")
    )
    live = models.ForeignKey(LiveSession, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    raw_score = models.FloatField(default=0)
    points = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(_("passed"), default=False)
    timed_out = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "quiz"]),
            models.Index(fields=["quiz", "submitted_at"]),
        ]
        constraints = [
            # Two simultaneous starts compute the same number: the second insert fails, so a
            # limit of N attempts holds under concurrency on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["quiz", "user", "number"],
                condition=Q(live__isnull=True),
                name="learning_attempt_unique_number",
            ),
            models.UniqueConstraint(
                fields=["live", "user"], condition=Q(live__isnull=False), name="learning_attempt_one_per_live"
            ),
        ]
        rules_permissions = {"view": can_view_attempt}

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.user_id}#{self.number}"

    def get_absolute_url(self) -> str:
        if self.submitted_at:
            return reverse("learning:attempt_results", args=[self.pk])
        return reverse("learning:attempt", args=[self.pk])

    @property
    def percent(self) -> int:
        return round(100 * (self.score or 0))


class AttemptAnswer(models.Model):
    """A question of an attempt and what the learner answered; `score` is 0-1, computed on the server."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(null=True, blank=True)
    score = models.FloatField(default=0)
    points = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="learning_answer_unique")]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"

    @property
    def is_correct(self) -> bool:
        return self.score >= 1
