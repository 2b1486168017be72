from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.community.models import Member, Pillar, Tag
from guilde.core.models import TimeStampedModel
from guilde.initiatives.enums import ChallengeStatus, InitiativeKind, InitiativeStatus
from guilde.initiatives.rules import (
    can_browse,
    can_change_absence,
    can_change_challenge,
    can_change_comment,
    can_change_initiative,
    can_change_pledge,
    can_check_in,
    can_delete_comment,
    can_manage,
    can_view_challenge,
    can_view_initiative,
    is_community_member,
)


class Challenge(TimeStampedModel, RulesModel):
    """A problem members face, raised so the community can take it on."""

    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown. What hurts, and for whom."))
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="challenges", verbose_name=_("pillar"))
    affected = models.CharField(
        _("who is affected"), max_length=200, blank=True, help_text=_("For example: new PMs in the US teams.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges", verbose_name=_("raised by")
    )
    status = models.CharField(_("status"), max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_challenges",
        verbose_name=_("merged into"),
    )
    vote_count = models.PositiveIntegerField(_("upvotes"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-vote_count", "-created_at", "-id"]
        rules_permissions = {"view": can_view_challenge, "add": is_community_member, "change": can_change_challenge}
        indexes = [
            models.Index(fields=["status", "-vote_count", "-created_at"], name="ini_challenge_status_idx"),
            models.Index(fields=["pillar", "status"], name="ini_challenge_pillar_idx"),
            models.Index(fields=["author", "-created_at"], name="ini_challenge_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:challenge", args=[self.pk])


class ChallengeVote(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("upvote")
        verbose_name_plural = _("upvotes")
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="ini_vote_once")]
        indexes = [models.Index(fields=["user", "challenge"], name="ini_vote_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.challenge_id}"


class ChallengeComment(TimeStampedModel, RulesModel):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    # Edits claim it (core.concurrency); the database default serves rows bulk-loaded without the ORM.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["challenge", "created_at"], name="ini_comment_challenge_idx")]
        rules_permissions = {"change": can_change_comment, "delete": can_delete_comment}

    def __str__(self) -> str:
        return self.body[:40]

    @property
    def is_edited(self) -> bool:
        # The version counts edits exactly, so it also says whether there was one; `updated_at`
        # alone would need a threshold (it is set a few microseconds after `created_at` on insert).
        return self.version > 1


class Initiative(TimeStampedModel, RulesModel):
    """A tactical action volunteers take on, with an effort estimate the planner checks against their time."""

    title = models.CharField(_("title"), max_length=160)
    goal = models.TextField(_("goal"), help_text=_("Markdown. What this initiative changes for the community."))
    expected_outcome = models.TextField(
        _("expected outcome"), blank=True, help_text=_("How we will know it worked, e.g. 20 PMs took the quiz.")
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("pillar"))
    kind = models.CharField(_("kind"), max_length=20, choices=InitiativeKind.choices, default=InitiativeKind.WORKSHOP)
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("from challenge"),
    )
    effort_hours = models.PositiveIntegerField(_("effort estimate (person-hours)"))
    value = models.PositiveSmallIntegerField(
        _("value"), default=3, help_text=_("1 (nice to have) to 5 (the community needs it now).")
    )
    rank = models.PositiveIntegerField(
        _("priority rank"), default=100, help_text=_("Product ops' ranking: 1 comes first.")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_initiatives",
        verbose_name=_("lead"),
    )
    skills = models.ManyToManyField(
        Tag, blank=True, related_name="initiatives", verbose_name=_("skills and interests that help")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA
    )
    status_reason = models.TextField(_("reason"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("What happened, recorded at delivery."))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    # Sum of check-ins, kept in step by the services so lists and the planner need no aggregate.
    spent_minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["rank", "target_date", "id"]
        rules_permissions = {
            "view": can_view_initiative,
            "add": is_community_member,
            "change": can_change_initiative,
            "delete": can_manage,
        }
        indexes = [
            models.Index(fields=["is_archived", "status", "rank"], name="ini_status_rank_idx"),
            models.Index(fields=["is_archived", "pillar", "rank"], name="ini_pillar_rank_idx"),
            models.Index(fields=["lead", "status"], name="ini_lead_idx"),
            models.Index(fields=["target_date"], name="ini_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(target_date__gte=models.F("start_date")),
                name="ini_target_after_start",
            ),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="ini_value_1_5"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative", args=[self.pk])

    @property
    def remaining_minutes(self) -> int:
        return max(0, self.effort_hours * 60 - self.spent_minutes)


class StatusChange(models.Model):
    """The initiative's history of status moves: why it was paused, deprioritised or delivered."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=InitiativeStatus.choices)
    to_status = models.CharField(max_length=20, choices=InitiativeStatus.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["initiative", "-at"], name="ini_change_initiative_idx")]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Pledge(TimeStampedModel, RulesModel):
    """Hours a week a volunteer gives an initiative, for a period."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="pledges")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("volunteer"))
    minutes_per_week = models.PositiveSmallIntegerField(_("minutes per week"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["start", "id"]
        rules_permissions = {"view": can_browse, "change": can_change_pledge, "delete": can_change_pledge}
        indexes = [
            models.Index(fields=["member", "end", "start"], name="ini_pledge_member_idx"),
            models.Index(fields=["initiative", "end"], name="ini_pledge_initiative_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="ini_pledge_end_after_start"),
            models.CheckConstraint(condition=models.Q(minutes_per_week__gt=0), name="ini_pledge_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.initiative}"

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative", args=[self.initiative_id])


class CheckIn(TimeStampedModel, RulesModel):
    """A short progress note with the time spent since the last one."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="check_ins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("progress note"))
    minutes_spent = models.PositiveSmallIntegerField(_("time spent (minutes)"))
    week = models.DateField(_("week of"), help_text=_("The Monday of the week the time was spent."))

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-week", "-created_at", "-id"]
        rules_permissions = {"view": can_browse, "add": can_check_in}
        indexes = [
            models.Index(fields=["initiative", "-created_at"], name="ini_checkin_initiative_idx"),
            models.Index(fields=["author", "week"], name="ini_checkin_author_idx"),
            # The planner's burnout signal sums the last weeks' time per volunteer from this index alone.
            models.Index(fields=["week", "author", "minutes_spent"], name="ini_checkin_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.week}"


class Absence(TimeStampedModel, RulesModel):
    """A period a volunteer declares they will not give time: the planner counts them out."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="absences")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start", "id"]
        rules_permissions = {"view": can_browse, "change": can_change_absence, "delete": can_change_absence}
        indexes = [models.Index(fields=["member", "end"], name="ini_absence_member_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="ini_absence_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.start} to {self.end}"


class PlanStamp(models.Model):
    """One row whose `token` changes with every write the capacity plan reads.

    Plans computed for the current token are still right (`selectors.stored_plan`); a random token,
    not a counter, so a change rolled back never leaves a value a later change could reuse.
    """

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return str(self.token)
