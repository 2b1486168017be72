from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer")
    ORDERING = "ordering", _("Ordering")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Selection(models.TextChoices):
    FIXED = "fixed", _("A fixed set of questions")
    RANDOM = "random", _("Drawn at random from a skill or pillar")


class FeedbackMode(models.TextChoices):
    IMMEDIATE = "immediate", _("After each question")
    END = "end", _("At the end")


class LiveStatus(models.TextChoices):
    LOBBY = "lobby", _("Waiting for players")
    QUESTION = "question", _("Question open")
    REVEAL = "reveal", _("Answer shown")
    FINISHED = "finished", _("Finished")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    COMMUNITY = "community", _("Product community (PM, designers, product ops)")
    NEW_PM = "new_pm", _("New product managers")
    NEW_DESIGNER = "new_designer", _("New designers")
    CS_REVENUE = "cs_revenue", _("Customer success and revenue teams")


class PathPurpose(models.TextChoices):
    GENERAL = "general", _("General")
    ONBOARDING = "onboarding", _("Onboarding")
    PRODUCT_CULTURE = "product_culture", _("Product culture")


class StepKind(models.TextChoices):
    READ = "read", _("Read")
    WATCH = "watch", _("Watch")
    QUIZ = "quiz", _("Quiz")
    DO = "do", _("Do")
    MEET = "meet", _("Meet")


class EnrolmentSource(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic at join")
    MANUAL = "manual", _("Manual")
