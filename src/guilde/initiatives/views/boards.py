"""The initiatives board."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from guilde.core.viewhelpers import allowed, is_partial
from guilde.initiatives import selectors


def _board_context(request: HttpRequest, by: str) -> dict[str, Any]:
    pillar = request.GET.get("pillar") or request.POST.get("pillar")
    pillar_id = int(pillar) if pillar and pillar.isdigit() else None
    return {
        "columns": selectors.board(viewer=request.user, by=by, pillar=pillar_id),
        "by": by,
        "pillars": selectors.pillars(),
        "pillar_id": pillar_id,
        # Cards link to "<prefix><pk>/" and move with "<prefix><pk>/move/": one reverse for the board
        # instead of five per card.
        "card_prefix": reverse("initiatives:initiative", args=[0]).removesuffix("0/"),
        "board_url": reverse("initiatives:board"),
    }


@allowed("initiatives.browse")
def board(request: HttpRequest) -> HttpResponse:
    by = "pillar" if request.GET.get("by") == "pillar" else "status"
    context = _board_context(request, by)
    template = "initiatives/board.html#board" if is_partial(request) else "initiatives/board.html"
    return render(request, template, context)
