"""The initiatives sections of the home page and member profiles."""

from typing import Any

from django.http import HttpRequest

from guilde.core.home import Section
from guilde.initiatives import selectors


def home_section(request: HttpRequest) -> Section | None:
    """For volunteers: their commitments and the next check-in due."""
    if not request.user.has_perm("initiatives.volunteer"):
        return None
    pledges = list(selectors.commitments(user=request.user)[:5])
    day = selectors.today()
    dues = [selectors.next_check_in_due(p) for p in pledges]
    rows = [{"pledge": p, "due": due, "overdue": due <= day} for p, due in zip(pledges, dues, strict=True)]
    context = {"rows": rows, "next_due": min(dues, default=None), "today": day}
    return Section(template="initiatives/_home_section.html", context=context, position=40)


def member_section(request: HttpRequest, member: Any) -> Section | None:
    """On a member's page: the initiatives they lead or pledged time to (the seed of the contribution ledger)."""
    if not request.user.has_perm("initiatives.browse"):
        return None
    initiatives = list(selectors.contributions_for(member=member)[:10])
    return Section(
        template="initiatives/_member_contributions.html",
        context={"initiatives": initiatives, "member": member},
        position=40,
    )
