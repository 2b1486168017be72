from typing import Any

from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
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
        post_save.connect(_refresh_search_name, sender=get_user_model(), dispatch_uid="community.search_name")
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


def _refresh_search_name(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Keeps the directory's search key in step with a name changed outside the profile form
    (Django admin, shell, API of another app); a sign-in, which saves `last_login` alone, skips it."""
    if update_fields is not None and "full_name" not in update_fields:
        return
    from guilde.community.models import Member
    from guilde.community.services import search_name_for

    key = search_name_for(instance.full_name)
    Member.objects.filter(user=instance).exclude(search_name=key).update(search_name=key)
