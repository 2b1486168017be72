from datetime import timedelta

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
        from guilde.core.periodic import register_periodic
        from guilde.rituals import views
        from guilde.rituals.demo import seed_rituals
        from guilde.rituals.tasks import send_session_reminders

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
        register_periodic("rituals.session_reminders", send_session_reminders, every=timedelta(hours=1))
