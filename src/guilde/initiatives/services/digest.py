"""The weekly digest: due check-ins for volunteers, burnout signals for product ops."""

from datetime import date
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from guilde.initiatives import selectors
from guilde.initiatives.services._common import format_minutes
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify


def send_digest(*, on: date | None = None) -> dict[str, int]:
    """The weekly digest: each volunteer with check-ins due hears of them once; product ops hear of
    burnout signals (someone spending far more than pledged, an initiative resting on one person).

    Each notification is written in its own transaction (inside `notify`), so one failing
    recipient does not cancel the others' reminders.
    """
    from guilde.accounts.models import User

    day = on or selectors.today()
    sent = {"volunteers": 0, "product_ops": 0}
    for user, pledges in selectors.due_check_ins(on=day).items():
        lines = "\n".join(f"- {p.initiative.title}" for p in pledges)
        notify(
            recipients=[user],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("Check-in due on {count} initiative(s)"), count=len(pledges)),
            body=format_lazy(
                "{}\n{}", gettext_lazy("A line on progress and the time spent keeps the plan honest:"), lines
            ),
            url="/initiatives/mine/",
        )
        sent["volunteers"] += 1
    overwork = selectors.overwork_signals(on=day)
    single = selectors.single_person_signals(on=day)
    if overwork or single:
        lines_out: list[Any] = [
            format_lazy(
                gettext_lazy("{name} spent {spent} against {pledged} pledged over the last 4 weeks"),
                name=signal.member.user.full_name,
                spent=format_minutes(signal.spent_minutes),
                pledged=format_minutes(signal.pledged_minutes),
            )
            for signal in overwork
        ]
        lines_out += [
            format_lazy(gettext_lazy("“{title}” rests on {name} alone"), title=item.initiative.title, name=item.person)
            for item in single
        ]
        ops = list(User.objects.filter(role="product_ops", is_active=True))
        notify(
            recipients=ops,
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("Volunteer care: {count} signal(s) this week"), count=len(lines_out)),
            body=format_lazy("\n".join("- {}" for _line in lines_out), *lines_out),
            url="/initiatives/planner/",
        )
        sent["product_ops"] = len(ops)
    return sent
