"""What feedback is filed against: product areas, customer segments and customer accounts."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from guilde.core.models import TimeStampedModel
from guilde.feedback.rules import can_configure, can_triage, can_view_account, is_product_side, is_signed_in


class _Bilingual:
    name_en: str
    name_fr: str

    @property
    def name(self) -> str:
        return (self.name_fr or self.name_en) if translation.get_language() == "fr" else self.name_en


class ProductArea(_Bilingual, TimeStampedModel, RulesModel):
    """A part of the product feedback is filed against; configured by product ops."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")
        ordering = ["position", "name_en", "id"]
        rules_permissions = {"view": is_signed_in, "add": can_configure, "change": can_configure}

    def __str__(self) -> str:
        return self.name


class Segment(_Bilingual, TimeStampedModel, RulesModel):
    """A customer segment (SMB, mid-market, enterprise…); configured by product ops."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["position", "name_en", "id"]
        rules_permissions = {"view": is_product_side, "add": can_configure, "change": can_configure}

    def __str__(self) -> str:
        return self.name


class CustomerAccount(TimeStampedModel, RulesModel):
    """A customer. ARR and segment are confidential: product side and the account owner only."""

    name = models.CharField(_("name"), max_length=200)
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    segment = models.ForeignKey(
        Segment, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("segment")
    )
    plan = models.CharField(_("plan"), max_length=60, blank=True)
    arr = models.DecimalField(_("ARR"), max_digits=14, decimal_places=2, default=Decimal(0))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_accounts",
        verbose_name=_("account owner"),
    )
    # Lower-cased name for index-backed prefix search (50,000 accounts).
    search_name = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        ordering = ["search_name", "id"]
        rules_permissions = {"view": can_view_account, "add": can_triage, "change": can_triage}
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="feedback_account_external_id_uniq"
            ),
        ]
        indexes = [
            models.Index(fields=["search_name", "id"], name="fb_account_search_idx"),
            models.Index(fields=["owner", "search_name"], name="fb_account_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.search_name = self.name.casefold()[:200]
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)
