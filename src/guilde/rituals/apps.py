from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RitualsConfig(AppConfig):
    name = "guilde.rituals"
    label = "rituals"
    verbose_name = _("Sessions")

    def ready(self) -> None:
        from guilde.community.demo import register_demo_step
        from guilde.core.home import register_home_section
        from guilde.core.navigation import Module, register_module
        from guilde.rituals import views
        from guilde.rituals.demo import seed_rituals

        register_module(
            Module(
                key="rituals",
                label=_("Sessions"),
                url_name="rituals:index",
                icon="calendar-event",
                permission="rituals.browse",
                position=30,
                url_prefix="/sessions/",
            )
        )
        register_home_section(views.home_section)
        register_demo_step("rituals", seed_rituals, order=30)
