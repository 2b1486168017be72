from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does in the community; volunteering is a flag on the member profile."""

    MEMBER = "member", _("Member")
    PRODUCT_OPS = "product_ops", _("Product ops")
    EXECUTIVE = "executive", _("Executive")
    STAKEHOLDER = "stakeholder", _("Stakeholder")


class Theme(models.TextChoices):
    AUTO = "auto", _("Follow the system")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")
