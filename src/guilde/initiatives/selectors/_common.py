"""Settings, the current day and small reads shared by the initiatives selectors."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from guilde.community import selectors as community_selectors
from guilde.community.models import Pillar

PAGE_SIZE = 25


CHECK_IN_EVERY_DAYS = 7


# Burnout: spending more than this share of the pledge, in this many of the last weeks.
OVERWORK_RATIO = 1.5


OVERWORK_WEEKS = 3


OVERWORK_WINDOW = 4


def today() -> date:
    return timezone.localdate()


def pillars() -> QuerySet[Pillar]:
    return community_selectors.pillars(community=community_selectors.get_community())
