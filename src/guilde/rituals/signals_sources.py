"""Signals for "wanted" subjects nobody proposed yet: what customers talk about, what members want to learn.

Other domains are read through the app registry (feedback's KPIs imported only when the app is
installed), so rituals keeps working when an app is absent or not migrated yet.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError
from django.db.models import Count, Q, QuerySet, StringAgg, Value
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guilde.rituals.enums import TopicStatus
from guilde.rituals.models import Topic


@dataclass(frozen=True)
class WantedSubject:
    subject: str
    source: str | Promise
    weight: int


# Joins the titles in one string: a match of a subject without this control character cannot span two titles.
TITLE_SEPARATOR = "\x1f"


def _open_titles() -> QuerySet[Topic]:
    return Topic.objects.exclude(status=TopicStatus.DECLINED)


def _covered(subject: str, titles: str | None) -> bool:
    """Whether a title holds the subject, case aside. `titles`: every title, casefolded, joined by
    `TITLE_SEPARATOR` (None when there is none)."""
    if titles is None:
        return False
    needle = subject.casefold()
    if TITLE_SEPARATOR in needle:
        return any(needle in title.casefold() for title in _open_titles().values_list("title", flat=True))
    return needle in titles


def _titles() -> str | None:
    """Every title not declined, joined in one value by the database (thousands of titles in a large pool)."""
    joined = _open_titles().aggregate(titles=StringAgg("title", Value(TITLE_SEPARATOR)))["titles"]
    return None if joined is None else joined.casefold()


def feedback_areas(*, days: int = 90, limit: int = 5) -> list[tuple[str, int]]:
    """The product areas customers gave most feedback on lately (empty without the feedback app).

    Feedback received in the last `days` whole days, per area, from the feedback KPIs' breakdown:
    its daily counts are pre-aggregated, where counting the rows took seconds at a million feedbacks.
    """
    if not apps.is_installed("guilde.feedback"):
        return []
    from guilde.feedback import kpis

    area_model = apps.get_model("feedback", "ProductArea")
    start, end = kpis.whole_days(days=days)
    try:
        received = kpis.breakdown(dimension="area", start=start, end=end)
        areas = {area.name_en: area for area in area_model.objects.filter(is_archived=False)}
    except DatabaseError:
        return []
    counted = [(str(areas[row["key"]]), row["received"]) for row in received if row["key"] in areas]
    return [(name, n) for name, n in counted if n > 0][:limit]


def member_interests(*, limit: int = 5) -> list[tuple[str, int]]:
    """The interests most members listed on their profile: what they say they want to learn."""
    try:
        tag_model = apps.get_model("community", "Tag")
    except LookupError:
        return []
    tags = (
        tag_model.objects.annotate(n=Count("interested_members", filter=Q(interested_members__user__is_active=True)))
        .filter(n__gt=1)
        .order_by("-n", "name")[: limit * 3]
    )
    return [(tag.name, tag.n) for tag in tags]


def wanted_subjects(*, limit: int = 6) -> list[WantedSubject]:
    titles = _titles()
    wanted = [
        WantedSubject(name, _("%(count)d customer feedbacks lately") % {"count": n}, n)
        for name, n in feedback_areas()
        if not _covered(name, titles)
    ]
    wanted += [
        WantedSubject(name, _("%(count)d members want to learn it") % {"count": n}, n)
        for name, n in member_interests()
        if not _covered(name, titles)
    ]
    return wanted[:limit]
