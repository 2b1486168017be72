"""Content written in English and French in the row itself, shown in the viewer's language."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


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
