"""Learning paths, their steps, who is enrolled and which steps they completed."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.learning.enums import Audience, EnrolmentSource, PathPurpose, StepKind
from guilde.learning.models.bilingual import BilingualContent
from guilde.learning.models.quizzes import Quiz
from guilde.learning.rules import can_manage_paths, can_view_attempt, can_view_path


class Path(TimeStampedModel, BilingualContent, RulesModel):
    purpose = models.CharField(
        _("kind of path"), max_length=20, choices=PathPurpose.choices, default=PathPurpose.GENERAL
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    auto_enrol = models.BooleanField(
        _("enrol automatically at join"), default=False, help_text=_("Newcomers of this audience are enrolled.")
    )
    # When either list is set it decides who is enrolled at join, instead of the audience.
    auto_roles = models.JSONField(_("enrol these roles"), default=list, blank=True)
    auto_role_families = models.JSONField(_("enrol these role families"), default=list, blank=True)
    due_days = models.PositiveSmallIntegerField(_("days to complete"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="paths_written", verbose_name=_("author")
    )
    # The path and its steps are edited as one: any change to either claims this version.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering = ["title_en", "id"]
        indexes = [models.Index(fields=["auto_enrol", "is_published"])]
        rules_permissions = {"view": can_view_path, "change": can_manage_paths, "add": can_manage_paths}

    def get_absolute_url(self) -> str:
        return reverse("learning:path", args=[self.pk])

    @property
    def is_visible_to_learners(self) -> bool:
        return self.is_published


class Step(BilingualContent):
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=StepKind.choices, default=StepKind.READ)
    url = models.CharField(_("link"), max_length=500, blank=True, help_text=_("The article or replay to open."))
    quiz = models.ForeignKey(
        Quiz, on_delete=models.SET_NULL, null=True, blank=True, related_name="steps", verbose_name=_("quiz")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person to meet"),
        help_text=_("Leave empty to meet the learner's buddy."),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["path", "position", "id"]


class Enrolment(TimeStampedModel, RulesModel):
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("path"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("learner")
    )
    source = models.CharField(max_length=10, choices=EnrolmentSource.choices, default=EnrolmentSource.MANUAL)
    buddy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buddy_of",
        verbose_name=_("buddy"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_steps = models.PositiveSmallIntegerField(default=0)
    last_progress_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["path", "completed_at"])]
        constraints = [models.UniqueConstraint(fields=["path", "user"], name="learning_enrolment_unique")]
        rules_permissions = {"view": can_view_attempt}

    def __str__(self) -> str:
        return f"{self.user_id} → {self.path_id}"

    def get_absolute_url(self) -> str:
        return reverse("learning:path", args=[self.path_id])


class StepCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["enrolment", "step__position"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "step"], name="learning_stepcompletion_unique")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.step_id}"
