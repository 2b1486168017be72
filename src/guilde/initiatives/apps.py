from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "guilde.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from guilde.community.demo import register_demo_step
        from guilde.community.member_sections import register_member_section
        from guilde.core.home import register_home_section
        from guilde.core.navigation import Module, register_module
        from guilde.core.periodic import register_periodic
        from guilde.initiatives import plan_signals, views
        from guilde.initiatives.demo import seed_initiatives
        from guilde.initiatives.tasks import send_weekly_digest

        register_module(
            Module(
                key="initiatives",
                label=_("Initiatives"),
                url_name="initiatives:board",
                icon="kanban",
                permission="initiatives.browse",
                position=40,
                url_prefix="/initiatives/",
            )
        )
        register_home_section(views.home_section)
        register_member_section(views.member_section)
        register_demo_step("initiatives", seed_initiatives, order=40)
        register_periodic("initiatives.weekly_digest", send_weekly_digest, every=timedelta(days=7))
        plan_signals.connect()
