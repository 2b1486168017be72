"""The initiatives board: columns by status or pillar."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from guilde.initiatives.enums import (
    FLOW,
)
from guilde.initiatives.models import (
    Initiative,
)
from guilde.initiatives.selectors._common import pillars
from guilde.initiatives.selectors.initiative_queries import initiatives


@dataclass
class Column:
    key: str
    label: Any
    items: list[Initiative] = field(default_factory=list)
    status: str = ""


def board(*, viewer: Any, by: str = "status", pillar: int | None = None) -> list[Column]:
    """The kanban: one column per flow status (plus one for those set aside), or one per pillar.

    Two queries whatever the number of cards: the pillars and the initiatives.
    """
    cards = list(initiatives(viewer=viewer, pillar=pillar))
    if by == "pillar":
        columns = {p.pk: Column(key=str(p.pk), label=p.name) for p in pillars()}
        for card in cards:
            if card.pillar_id in columns:
                columns[card.pillar_id].items.append(card)
        return list(columns.values())
    flow = {status.value: Column(key=status.value, label=status.label, status=status.value) for status in FLOW}
    aside = Column(key="aside", label=_("Paused or set aside"))
    for card in cards:
        flow.get(card.status, aside).items.append(card)
    return [*flow.values(), aside]
