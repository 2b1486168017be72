"""The initiatives board: columns by status or pillar, each showing its first cards in priority order."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, F, Value, When, Window
from django.db.models.functions import Cast, RowNumber
from django.utils.translation import gettext_lazy as _

from guilde.initiatives.enums import (
    FLOW,
)
from guilde.initiatives.models import (
    Initiative,
)
from guilde.initiatives.selectors._common import pillars
from guilde.initiatives.selectors.initiative_queries import initiatives, volunteer_counts

# Cards shown per column: a column grows with the community's history (hundreds delivered), a
# board read at a glance does not; the rest is one click away in the list.
COLUMN_LIMIT = 15


@dataclass
class Column:
    key: str
    label: Any
    items: list[Initiative] = field(default_factory=list)
    status: str = ""
    total: int = 0

    @property
    def hidden(self) -> int:
        """Cards of the column not shown on the board."""
        return max(0, self.total - len(self.items))


def _column_key(by: str) -> Any:
    if by == "pillar":
        return Cast("pillar_id", output_field=CharField())
    flow = [When(status=status.value, then=Value(status.value)) for status in FLOW]
    return Case(*flow, default=Value("aside"), output_field=CharField())


def board(*, viewer: Any, by: str = "status", pillar: int | None = None, limit: int | None = None) -> list[Column]:
    """The kanban: one column per flow status (plus one for those set aside), or one per pillar.

    Four queries whatever the number of cards: the pillars, each column's first `limit` cards
    (COLUMN_LIMIT by default; rank order, numbered per column in SQL), their volunteers and how
    many cards each column holds.
    """
    limit = limit or COLUMN_LIMIT
    visible = initiatives(viewer=viewer, pillar=pillar, with_volunteers=False)
    key = _column_key(by)
    position = Window(
        RowNumber(), partition_by=[key], order_by=[F("rank").asc(), F("target_date").asc(), F("id").asc()]
    )
    cards = list(visible.annotate(column=key, position=position).filter(position__lte=limit))
    # Volunteers counted for the cards shown only, not for every initiative the window numbers.
    counts = volunteer_counts([card.pk for card in cards])
    for card in cards:
        card.volunteer_count = counts.get(card.pk, 0)  # type: ignore[attr-defined]
    totals = dict(visible.order_by().annotate(column=key).values_list("column").annotate(n=Count("pk")))
    if by == "pillar":
        columns = {str(p.pk): Column(key=str(p.pk), label=p.name) for p in pillars()}
    else:
        columns = {status.value: Column(key=status.value, label=status.label, status=status.value) for status in FLOW}
        columns["aside"] = Column(key="aside", label=_("Paused or set aside"))
    for card in cards:
        column = columns.get(card.column)  # type: ignore[attr-defined]
        if column is not None:
            column.items.append(card)
    for column in columns.values():
        column.total = totals.get(column.key, 0)
    return list(columns.values())
