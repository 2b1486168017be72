from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.community.enums import OfficialStatus, Region, RoleFamily
from guilde.community.rules import can_change_community, can_change_member, can_view_community, can_view_member
from guilde.core.models import TimeStampedModel


class Community(TimeStampedModel, RulesModel):
    """The one community of this installation, and its charter."""

    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    charter = models.TextField(
        _("charter"), blank=True, help_text=_("Markdown. Links and lists are fine; HTML is removed.")
    )
    official_status = models.CharField(
        _("officialisation"), max_length=20, choices=OfficialStatus.choices, default=OfficialStatus.INFORMAL
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("executive sponsor"),
    )
    weekly_minutes = models.PositiveSmallIntegerField(_("time members may dedicate per week (minutes)"), default=60)
    officialised_on = models.DateField(_("officialised on"), null=True, blank=True)
    charter_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("charter last changed by"),
    )
    charter_updated_at = models.DateTimeField(_("charter last changed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        rules_permissions = {"view": can_view_community, "change": can_change_community}

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:charter")


class Pillar(TimeStampedModel, RulesModel):
    """A theme the community organises its challenges around; ordered and bilingual."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="pillars")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["position", "id"]
        rules_permissions = {"view": can_view_community, "add": can_change_community, "change": can_change_community}

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:pillars")

    @property
    def name(self) -> str:
        """The name in the active language, falling back to English when the French is missing."""
        return (self.name_fr or self.name_en) if translation.get_language() == "fr" else self.name_en

    @property
    def description(self) -> str:
        if translation.get_language() == "fr":
            return self.description_fr or self.description_en
        return self.description_en


class Tag(models.Model):
    """A skill or interest members tag themselves with; shared so the directory can filter on it."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(TimeStampedModel, RulesModel):
    """A person's community profile: who they are, where, and how much time they give."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member", verbose_name=_("user")
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    role_family = models.CharField(
        _("role family"), max_length=20, choices=RoleFamily.choices, default=RoleFamily.PM, db_index=True
    )
    team = models.CharField(_("team"), max_length=120, blank=True)
    brand = models.CharField(_("brand or business unit"), max_length=120, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True, db_index=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.ManyToManyField(Tag, related_name="skilled_members", blank=True, verbose_name=_("skills"))
    interests = models.ManyToManyField(Tag, related_name="interested_members", blank=True, verbose_name=_("interests"))
    weekly_minutes = models.PositiveSmallIntegerField(_("weekly time for the community (minutes)"), default=60)
    is_volunteer = models.BooleanField(_("volunteer"), default=False, db_index=True)
    joined_on = models.DateField(_("joined on"))
    bio = models.TextField(_("bio"), blank=True)
    # The name lower-cased and without accents, so "Léa" sorts and matches like "Lea" on every database.
    search_name = models.CharField(max_length=150, db_index=True, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["search_name", "id"]
        rules_permissions = {"view": can_view_member, "change": can_change_member}

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("community:member", args=[self.pk])
