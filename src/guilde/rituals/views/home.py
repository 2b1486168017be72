from django.http import HttpRequest

from guilde.core.home import Section
from guilde.rituals import selectors, services
from guilde.rituals.enums import TOPIC_STATUS_BADGES


def home_section(request: HttpRequest) -> Section | None:
    """Next session, topics to vote on, my talks."""
    if not request.user.has_perm("rituals.browse"):
        return None
    data = selectors.home_data(viewer=request.user)
    context = {"data": data, "is_member": services.is_member(request.user), "badges": TOPIC_STATUS_BADGES}
    return Section(template="rituals/_home_section.html", context=context, position=30)
