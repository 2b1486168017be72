from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "guilde.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up

        from guilde.community.demo import register_demo_step
        from guilde.community.member_sections import register_member_section
        from guilde.core.home import register_home_section
        from guilde.core.navigation import Module, register_module
        from guilde.learning import views
        from guilde.learning.demo import seed_learning

        user_signed_up.connect(_enrol_on_sign_up, dispatch_uid="learning.enrol_new_user")
        register_module(
            Module(
                key="learning",
                label=_("Learning"),
                url_name="learning:index",
                icon="mortarboard",
                permission="learning.learn",
                position=50,
                url_prefix="/learning/",
            )
        )
        register_home_section(views.home_section)
        register_member_section(views.member_section)
        register_demo_step("learning", seed_learning, order=40)


def _enrol_on_sign_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from guilde.learning.services import enrol_new_user

    enrol_new_user(user=user)
