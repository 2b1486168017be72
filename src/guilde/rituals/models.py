import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.accounts.models import TIMEZONE_CHOICES
from guilde.core.models import TimeStampedModel
from guilde.rituals.enums import RsvpStatus, SessionStatus, TopicFormat, TopicStatus, Visibility, Weekday
from guilde.rituals.rules import (
    can_change_topic,
    can_change_topic_comment,
    can_delete_topic_comment,
    can_manage_ritual,
    can_manage_session,
    can_view_ritual,
    can_view_session,
    can_view_topic,
    is_community_member,
    is_product_ops,
)


def new_checkin_code() -> str:
    return secrets.token_urlsafe(12)


class Ritual(TimeStampedModel, RulesModel):
    """A recurring series of sessions: every N weeks on a weekday, at a time in a reference time zone."""

    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True, help_text=_("Markdown."))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, default=Weekday.TUESDAY)
    interval_weeks = models.PositiveSmallIntegerField(
        _("every (weeks)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    local_time = models.TimeField(_("time"), default=datetime.time(12, 0))
    timezone = models.CharField(
        _("reference time zone"), max_length=64, choices=TIMEZONE_CHOICES, default="Europe/Paris"
    )
    starts_on = models.DateField(_("first session on or after"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    topic_slots = models.PositiveSmallIntegerField(
        _("topic slots"), default=2, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit; beyond it people join a waiting list."),
    )
    video_url = models.URLField(_("video link"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_rituals", blank=True, verbose_name=_("hosts")
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("ritual")
        verbose_name_plural = _("rituals")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["visibility", "is_active"], name="rit_visibility_idx")]
        rules_permissions = {"view": can_view_ritual, "add": is_product_ops, "change": can_manage_ritual}

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rituals:ritual", args=[self.pk])


class Session(TimeStampedModel, RulesModel):
    """One occurrence of a ritual. Generated from the cadence (occurrence_date set) or added by hand."""

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("ritual"))
    # The cadence date this session stands for, in the ritual's time zone; None when added by hand.
    occurrence_date = models.DateField(_("cadence date"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    is_moved = models.BooleanField(_("moved by hand"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # iCalendar SEQUENCE: raised on every change calendar clients must apply.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    replay_url = models.URLField(_("replay link"), blank=True)
    resources = models.TextField(_("slides and resources"), blank=True, help_text=_("Markdown: one link per line."))
    notes = models.TextField(_("notes and key takeaways"), blank=True, help_text=_("Markdown."))
    checkin_code = models.CharField(max_length=32, default=new_checkin_code, editable=False)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ritual", "occurrence_date"],
                condition=Q(occurrence_date__isnull=False),
                name="rit_session_one_per_occurrence",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="rit_session_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["starts_at", "status"], name="rit_session_starts_idx"),
            models.Index(fields=["ritual", "starts_at"], name="rit_session_ritual_idx"),
        ]
        rules_permissions = {"view": can_view_session, "change": can_manage_session}

    def __str__(self) -> str:
        return self.title or self.ritual.name

    def get_absolute_url(self) -> str:
        return reverse("rituals:session", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def uid(self) -> str:
        """The iCalendar UID: stable for the life of the session, whatever changes."""
        return f"session-{self.pk}@guilde"


class Topic(TimeStampedModel, RulesModel):
    """A subject in the always-open pool; scheduled into a session slot when chosen."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    pillar = models.ForeignKey(
        "community.Pillar", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pillar")
    )
    format = models.CharField(_("format"), max_length=12, choices=TopicFormat.choices, default=TopicFormat.TALK)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="topics_to_present", blank=True, verbose_name=_("speakers")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_topics",
        verbose_name=_("proposed by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.PROPOSED, db_index=True
    )
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics", verbose_name=_("session")
    )
    slot = models.PositiveSmallIntegerField(_("slot"), null=True, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    is_external = models.BooleanField(_("proposed from outside"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    # Never shown publicly; product ops use it to answer an outside proposal.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-vote_count", "created_at", "id"]
        indexes = [
            models.Index(fields=["status", "-vote_count"], name="rit_topic_status_votes_idx"),
            models.Index(fields=["session", "slot"], name="rit_topic_session_idx"),
        ]
        rules_permissions = {"view": can_view_topic, "add": is_community_member, "change": can_change_topic}

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rituals:topic", args=[self.pk])


class Vote(models.Model):
    """One member's vote for a topic; the unique constraint makes a second one impossible, even concurrently."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["topic", "voter"], name="rit_one_vote_per_member")]
        indexes = [models.Index(fields=["voter", "topic"], name="rit_vote_voter_idx")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.topic_id}"


class TopicComment(TimeStampedModel, RulesModel):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("comment"))
    # Edits claim it (core.concurrency); the database default serves rows bulk-loaded without the ORM.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["topic", "created_at"], name="rit_comment_topic_idx")]
        rules_permissions = {"change": can_change_topic_comment, "delete": can_delete_topic_comment}

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_edited(self) -> bool:
        # The version counts edits exactly, so it also says whether there was one; `updated_at`
        # alone would need a threshold (it is set a few microseconds after `created_at` on insert).
        return self.version > 1


class Rsvp(TimeStampedModel):
    """A person's answer for one session (not the series), their place on the waiting list, their check-in."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_rsvps")
    status = models.CharField(_("answer"), max_length=10, choices=RsvpStatus.choices)
    waitlisted = models.BooleanField(_("on the waiting list"), default=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="rit_one_rsvp_per_session")]
        indexes = [
            models.Index(fields=["user", "status"], name="rit_rsvp_user_idx"),
            models.Index(fields=["session", "status", "waitlisted"], name="rit_rsvp_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.session_id} · {self.status}"


class Rating(TimeStampedModel):
    """After the session: how useful it was (1 to 5) and whether the attendee will apply something."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_ratings")
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    will_apply = models.BooleanField(_("I will apply something"), default=False)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="rit_one_rating_per_session"),
            models.CheckConstraint(condition=Q(usefulness__gte=1, usefulness__lte=5), name="rit_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.usefulness}"


class CalendarFeed(TimeStampedModel):
    """A member's personal calendar feed; the secret is in the URL, so revoking replaces it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user_id)


class Subscriber(TimeStampedModel):
    """Someone outside who wants to hear about public events: double opt-in, one-click unsubscribe."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"], name="rit_subscriber_active_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ContactMessage(TimeStampedModel):
    """A message to the community leads from the public page."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("message to the leads")
        verbose_name_plural = _("messages to the leads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
