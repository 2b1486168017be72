from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficialStatus(models.TextChoices):
    INFORMAL = "informal", _("Informal")
    PROPOSED = "proposed", _("Proposed to leadership")
    OFFICIAL = "official", _("Official")


class RoleFamily(models.TextChoices):
    PM = "pm", _("Product manager")
    DESIGNER = "designer", _("Designer")
    PRODUCT_OPS = "product_ops", _("Product ops")
    ENGINEERING = "engineering", _("Engineering")
    DATA = "data", _("Data")
    SALES = "sales", _("Sales")
    SUPPORT = "support", _("Support")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    EXECUTIVE = "executive", _("Executive")


class Region(models.TextChoices):
    PARIS = "paris", _("Paris")
    LYON = "lyon", _("Lyon")
    NEW_YORK = "new_york", _("New York")
    AUSTIN = "austin", _("Austin")
    REMOTE = "remote", _("Remote")


class Language(models.TextChoices):
    """Languages a member speaks (not the interface language, which is on the account)."""

    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    DE = "de", _("German")
    IT = "it", _("Italian")
    PT = "pt", _("Portuguese")
    NL = "nl", _("Dutch")
    ZH = "zh", _("Chinese")
    JA = "ja", _("Japanese")
    AR = "ar", _("Arabic")
