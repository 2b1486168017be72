"""Keeps the capacity plan's version (`PlanStamp`) in step with every save and delete of what the plan reads.

The plan and its burnout signals read initiatives and their skills, pledges, absences and
check-ins, and from the domains below them the volunteers' profiles with their skills and
interests, their accounts' names and activity, tags and pillars. Those domains know nothing of
the planner, so it listens to their models' signals; its own services also call `touch_plan`
after writing with `QuerySet.update`.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from guilde.community.models import Member, Pillar, Tag
from guilde.initiatives.models import Absence, CheckIn, Initiative, Pledge
from guilde.initiatives.services.plan_stamp import touch_plan

# What the plan reads of an account and of a profile: a sign-in saves `last_login` alone.
USER_FIELDS = frozenset({"is_active", "full_name", "email"})
MEMBER_FIELDS = frozenset({"user", "user_id", "is_volunteer", "weekly_minutes", "search_name"})


def _saved(sender: Any, update_fields: frozenset[str] | None = None, **kwargs: Any) -> None:
    fields = {get_user_model(): USER_FIELDS, Member: MEMBER_FIELDS}.get(sender)
    if fields is None or update_fields is None or fields & set(update_fields):
        touch_plan()


def _deleted(sender: Any, **kwargs: Any) -> None:
    touch_plan()


def _linked(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        touch_plan()


def connect() -> None:
    """From `InitiativesConfig.ready()`."""
    for model in (Initiative, Pledge, Absence, CheckIn, Member, get_user_model(), Tag, Pillar):
        post_save.connect(_saved, sender=model, dispatch_uid=f"initiatives-plan-saved-{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"initiatives-plan-deleted-{model._meta.label}")
    for through in (Initiative.skills.through, Member.skills.through, Member.interests.through):
        m2m_changed.connect(_linked, sender=through, dispatch_uid=f"initiatives-plan-linked-{through._meta.label}")
