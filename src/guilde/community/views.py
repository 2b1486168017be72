from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from guilde.community.models import Community, Member


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "community/directory.html", {"members": Member.objects.select_related("user")[:50]})


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "community/member.html", {"member": get_object_or_404(Member, pk=pk)})


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return render(request, "community/member.html", {"member": request.user.member})


@login_required
def charter(request: HttpRequest) -> HttpResponse:
    return render(request, "community/charter.html", {"community": Community.objects.first()})
