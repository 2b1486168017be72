"""Reads on initiatives."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from guilde.community.models import Member, Tag
from guilde.initiatives.models import (
    CheckIn,
    Initiative,
    Pledge,
    StatusChange,
)
from guilde.initiatives.selectors._common import PAGE_SIZE, today


def initiatives(
    *,
    viewer: Any,
    status: str = "",
    pillar: int | None = None,
    q: str = "",
    mine: bool = False,
    archived: bool = False,
    with_volunteers: bool = True,
) -> QuerySet[Initiative]:
    """Initiatives the viewer may see, with pillar, lead and how many volunteers pledge now.

    `with_volunteers=False` leaves the count out (`volunteer_counts` gives it for the rows kept).
    """
    day = today()
    queryset = Initiative.objects.select_related("pillar", "lead")
    if with_volunteers:
        # A subquery per initiative rather than a join and GROUP BY over every pledge.
        live = Pledge.objects.filter(initiative=OuterRef("pk"), end__gte=day).order_by().values("initiative")
        queryset = queryset.annotate(
            volunteer_count=Coalesce(
                Subquery(live.annotate(n=Count("member", distinct=True)).values("n"), output_field=IntegerField()), 0
            )
        )
    if archived and viewer.has_perm("initiatives.manage"):
        queryset = queryset.filter(is_archived=True)
    else:
        queryset = queryset.filter(is_archived=False)
    if status:
        queryset = queryset.filter(status=status)
    if pillar:
        queryset = queryset.filter(pillar_id=pillar)
    if mine:
        pledged = Pledge.objects.filter(initiative=OuterRef("pk"), member__user=viewer.pk, end__gte=day)
        queryset = queryset.filter(Q(lead=viewer.pk) | Exists(pledged))
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(goal__icontains=q))
    return queryset.order_by("rank", "target_date", "id")


def volunteer_counts(initiative_ids: list[int]) -> dict[int, int]:
    """How many volunteers pledge now to each of these initiatives. One query."""
    live = Pledge.objects.filter(initiative__in=initiative_ids, end__gte=today()).order_by()
    return dict(live.values("initiative").annotate(n=Count("member", distinct=True)).values_list("initiative", "n"))


def initiative_page(*, viewer: Any, page: Any = 1, **filters: Any) -> Page:
    return Paginator(initiatives(viewer=viewer, **filters), PAGE_SIZE).get_page(page)


def initiative_for(*, viewer: Any, pk: int) -> Initiative:
    """One initiative with its pledges, check-ins, history and skills; 404 when not visible."""
    initiative = (
        Initiative.objects.select_related("pillar", "lead", "challenge", "created_by")
        .prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.select_related("member__user").order_by("-end", "start", "id")),
            Prefetch("check_ins", queryset=CheckIn.objects.select_related("author")),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
            Prefetch("skills", queryset=Tag.objects.order_by("name")),
        )
        .filter(pk=pk)
        .first()
    )
    if initiative is None or not viewer.has_perm("initiatives.view_initiative", initiative):
        raise Http404
    return initiative


def editable_initiative(*, viewer: Any, pk: int) -> Initiative:
    """An initiative the viewer may change; 404 otherwise, exactly as for a missing one."""
    initiative = Initiative.objects.select_related("pillar", "lead").filter(pk=pk).first()
    if initiative is None or not viewer.has_perm("initiatives.change_initiative", initiative):
        raise Http404
    return initiative


def has_history(initiative: Initiative) -> bool:
    """Pledges, check-ins or status changes: then the initiative is archived, never deleted."""
    return (
        Pledge.objects.filter(initiative=initiative).exists()
        or CheckIn.objects.filter(initiative=initiative).exists()
        or StatusChange.objects.filter(initiative=initiative).exists()
    )


def contributions_for(*, member: Member) -> QuerySet[Initiative]:
    """Initiatives a member leads or pledged time to, for their member page and the contributions ledger."""
    pledged = Pledge.objects.filter(initiative=OuterRef("pk"), member=member)
    return (
        Initiative.objects.filter(is_archived=False)
        .filter(Q(lead=member.user_id) | Exists(pledged))
        .select_related("pillar")
        .order_by("-updated_at")
    )
