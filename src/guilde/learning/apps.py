from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "guilde.learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up
        from django.db.models.signals import post_delete, pre_delete

        from guilde.community.demo import register_demo_step
        from guilde.community.member_sections import register_member_section
        from guilde.core.home import register_home_section
        from guilde.core.navigation import Module, register_module
        from guilde.learning import views
        from guilde.learning.demo import seed_learning
        from guilde.learning.models import Attempt

        user_signed_up.connect(_enrol_on_sign_up, dispatch_uid="learning.enrol_new_user")
        # A submitted attempt deleted with its learner or its live session leaves the statistics.
        pre_delete.connect(_attempt_deleting, sender=Attempt, dispatch_uid="learning.attempt_deleting")
        post_delete.connect(_attempt_deleted, sender=Attempt, dispatch_uid="learning.attempt_deleted")
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


def _attempt_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.submitted_at is not None:
        from guilde.learning import aggregates

        aggregates.forget(instance)


def _attempt_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.submitted_at is not None:
        from guilde.learning import aggregates

        aggregates.forget_learner(instance)
