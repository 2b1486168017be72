"""Learning: a reviewed question bank, quizzes (at one's pace or live), learning paths and progress.

Content is bilingual in the row itself (`*_en` / `*_fr` fields): a question, its answers and its
explanation are written once in each language and shown in the viewer's, falling back to English.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.learning.enums import (
    Audience,
    EnrolmentSource,
    FeedbackMode,
    LiveStatus,
    PathPurpose,
    QuestionKind,
    QuestionStatus,
    Selection,
    StepKind,
)
from guilde.learning.rules import (
    can_change_question,
    can_change_quiz,
    can_control_live,
    can_manage_paths,
    can_review_question,
    can_take_quiz,
    can_view_attempt,
    can_view_path,
    can_view_question,
    can_view_quiz,
)


def localized(obj: object, field: str) -> str:
    """The field in the active language, falling back to English when the French is empty."""
    english = getattr(obj, f"{field}_en", "")
    if translation.get_language() == "fr":
        return getattr(obj, f"{field}_fr", "") or english
    return english


class BilingualContent(models.Model):
    """A title and a description written in English and French, shown in the viewer's language."""

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


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


class QuestionStat(models.Model):
    """Running sums over the submitted attempts of one quiz for one question (see `guilde.learning.aggregates`).

    With x the item score and y the rest of the attempt (its raw score minus x): facility is
    Σx / answers and discrimination the Pearson correlation of the sums, as from the rows.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    answers = models.IntegerField(default=0)
    sum_x = models.FloatField(default=0)
    sum_y = models.FloatField(default=0)
    sum_xy = models.FloatField(default=0)
    sum_xx = models.FloatField(default=0)
    sum_yy = models.FloatField(default=0)

    class Meta:
        verbose_name = _("question statistic")
        verbose_name_plural = _("question statistics")
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="learning_questionstat_unique")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.question_id}: {self.answers}"


class QuizStat(models.Model):
    """A quiz's submitted attempts, distinct learners, passes, score sum and attempts per score band
    (`band_0` is 0-9 %, …, `band_9` is 90-100 %), kept by `guilde.learning.aggregates`."""

    quiz = models.OneToOneField(Quiz, on_delete=models.CASCADE, primary_key=True, related_name="+")
    attempts = models.IntegerField(default=0)
    learners = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    score_sum = models.FloatField(default=0)
    band_0 = models.IntegerField(default=0)
    band_1 = models.IntegerField(default=0)
    band_2 = models.IntegerField(default=0)
    band_3 = models.IntegerField(default=0)
    band_4 = models.IntegerField(default=0)
    band_5 = models.IntegerField(default=0)
    band_6 = models.IntegerField(default=0)
    band_7 = models.IntegerField(default=0)
    band_8 = models.IntegerField(default=0)
    band_9 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("quiz statistic")
        verbose_name_plural = _("quiz statistics")

    def __str__(self) -> str:
        return f"{self.quiz_id}: {self.attempts}"

    @property
    def bands(self) -> list[int]:
        return [getattr(self, f"band_{i}") for i in range(10)]


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
