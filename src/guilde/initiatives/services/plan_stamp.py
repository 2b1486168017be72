"""The capacity plan's version: changed by every write the plan reads."""

import secrets

from guilde.initiatives.models import PlanStamp


def touch_plan() -> None:
    """Marks every stored capacity plan out of date; the next planner page computes the plan again.

    Called in the writer's transaction, so the new token and the change it announces commit (or
    roll back) together. Saves and deletes of the rows the plan reads call it through
    `initiatives.plan_signals`; services that write with `QuerySet.update` call it themselves.
    """
    token = secrets.randbits(62)
    if not PlanStamp.objects.filter(pk=1).update(token=token):
        PlanStamp.objects.update_or_create(pk=1, defaults={"token": token})
