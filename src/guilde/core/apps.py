from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "guilde.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from guilde.core import pagecache

        pagecache.connect_signals()
