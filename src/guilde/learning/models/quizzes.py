"""Quizzes and the questions they hold (a fixed list, or drawn at random at the start)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.learning.enums import FeedbackMode, Selection
from guilde.learning.models.bilingual import BilingualContent
from guilde.learning.models.questions import Question
from guilde.learning.rules import can_change_quiz, can_take_quiz, can_view_quiz


class Quiz(TimeStampedModel, BilingualContent, RulesModel):
    selection = models.CharField(_("questions"), max_length=8, choices=Selection.choices, default=Selection.FIXED)
    questions = models.ManyToManyField(Question, through="QuizQuestion", related_name="quizzes", blank=True)
    draw_count = models.PositiveSmallIntegerField(_("questions drawn"), default=10)
    draw_skill = models.ForeignKey(
        "community.Tag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draw from skill"),
    )
    draw_pillar = models.ForeignKey(
        "community.Pillar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draw from pillar"),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Leave empty for unlimited attempts.")
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    feedback_mode = models.CharField(
        _("show answers"), max_length=10, choices=FeedbackMode.choices, default=FeedbackMode.IMMEDIATE
    )
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quizzes_written", verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title_en", "id"]
        rules_permissions = {"view": can_view_quiz, "change": can_change_quiz, "take": can_take_quiz}

    def get_absolute_url(self) -> str:
        return reverse("learning:quiz", args=[self.pk])

    @property
    def is_visible_to_learners(self) -> bool:
        return self.is_published


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="quiz_questions")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="learning_quizquestion_unique")]

    def __str__(self) -> str:
        return f"{self.quiz_id}#{self.position}"
