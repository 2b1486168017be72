from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "guilde.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up

        from guilde.community import views
        from guilde.community.demo import register_demo_step, seed_community
        from guilde.core.home import register_home_section
        from guilde.core.navigation import Module, register_module

        user_signed_up.connect(_create_profile_on_sign_up, dispatch_uid="community.ensure_member")
        register_module(
            Module(
                key="community",
                label=_("Community"),
                url_name="community:directory",
                icon="people",
                permission="community.browse_directory",
                position=10,
                url_prefix="/community/",
            )
        )
        register_home_section(views.home_section)
        register_demo_step("community", seed_community, order=0)


def _create_profile_on_sign_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from guilde.community.services import ensure_member

    ensure_member(user=user)
