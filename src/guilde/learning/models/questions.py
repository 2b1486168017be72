"""The reviewed question bank: questions and their answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.learning.enums import QuestionKind, QuestionStatus
from guilde.learning.models.bilingual import localized
from guilde.learning.rules import can_change_question, can_review_question, can_view_question


class Question(TimeStampedModel, RulesModel):
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    status = models.CharField(
        _("status"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT, db_index=True
    )
    text_en = models.TextField(_("question (English)"))
    text_fr = models.TextField(_("question (French)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    explanation_fr = models.TextField(_("explanation (French)"), blank=True)
    pillar = models.ForeignKey(
        "community.Pillar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("pillar"),
    )
    skill = models.ForeignKey(
        "community.Tag",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("skill"),
    )
    link_url = models.CharField(_("to learn more (link)"), max_length=500, blank=True)
    link_title = models.CharField(_("to learn more (title)"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions_written", verbose_name=_("author")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_reviewed",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "skill"]), models.Index(fields=["author", "status"])]
        rules_permissions = {
            "view": can_view_question,
            "change": can_change_question,
            "review": can_review_question,
        }

    def __str__(self) -> str:
        return self.text_en[:80]

    def get_absolute_url(self) -> str:
        return reverse("learning:question", args=[self.pk])

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def explanation(self) -> str:
        return localized(self, "explanation")

    @property
    def is_visible_to_learners(self) -> bool:
        return self.status == QuestionStatus.PUBLISHED


class Choice(models.Model):
    """An answer of a choice question, an accepted answer of a short-answer one, or an item to order.

    For ordering questions `position` is the correct order; learners see the items shuffled.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_en = models.CharField(_("answer (English)"), max_length=300)
    text_fr = models.CharField(_("answer (French)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return localized(self, "text")
