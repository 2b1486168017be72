import zoneinfo
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guilde.accounts import selectors as account_selectors
from guilde.accounts import services as account_services
from guilde.accounts.forms import RoleForm
from guilde.accounts.models import User
from guilde.community import selectors, services
from guilde.community.forms import (
    CharterForm,
    DirectoryFilterForm,
    InviteForm,
    PeopleSearchForm,
    PillarForm,
    ProfileForm,
)
from guilde.community.member_sections import member_sections
from guilde.community.models import Community, Member, Pillar
from guilde.core.home import Section
from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial


def _community(request: HttpRequest, *args: Any, **kwargs: Any) -> Community:
    return selectors.get_community()


def _actor(request: HttpRequest) -> User:
    """The signed-in user; the views' decorators have already turned anonymous visitors away."""
    return cast(User, request.user)


@allowed("community.browse_directory")
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET, brands=selectors.brands(viewer=request.user))
    filters = form.filters()
    page = selectors.directory(viewer=request.user, **filters, page=request.GET.get("page"))
    context = {"form": form, "page": page, "members": page.object_list, "is_filtered": form.is_filtered}
    template = "community/directory.html#results" if is_partial(request) else "community/directory.html"
    return render(request, template, context)


def _local_time(member: Member, viewer: Any) -> dict[str, Any]:
    try:
        zoneinfo.ZoneInfo(member.user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return {}
    zone = member.user.timezone
    return {"local_now": timezone.now(), "local_zone": zone, "other_zone": zone != getattr(viewer, "timezone", zone)}


def _member_page(request: HttpRequest, member: Member, *, own: bool) -> HttpResponse:
    context = {
        "member": member,
        "own": own,
        "can_edit": request.user.has_perm("community.change_member", member),
        "completeness": selectors.profile_completeness(member) if own else None,
        "sections": member_sections(request, member),
        **_local_time(member, request.user),
    }
    return render(request, "community/member.html", context)


@allowed("community.browse_directory")
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_for(viewer=request.user, pk=pk)
    return _member_page(request, member, own=member.user_id == request.user.pk)


def _own_member(request: HttpRequest) -> Member:
    member = selectors.member_of(user=request.user)
    if member is None:
        services.ensure_member(user=request.user)
        member = selectors.member_of(user=request.user)
    assert member is not None
    return member


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return _member_page(request, _own_member(request), own=True)


@login_required
def my_profile_edit(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        old_language = member.user.language
        try:
            services.update_profile(
                actor=request.user, member=member, data=form.profile_data(), version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("community:my_profile")
            if member.user.language != old_language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME, member.user.language, max_age=365 * 24 * 3600, samesite="Lax"
                )
            return response
    return render(request, "community/profile_form.html", {"form": form, "member": member})


@allowed("community.view_community", fn=_community)
def charter(request: HttpRequest) -> HttpResponse:
    community = selectors.get_community()
    context = {
        "community": community,
        "pillars": selectors.pillars(community=community),
        "can_edit": request.user.has_perm("community.change_community", community),
    }
    return render(request, "community/charter.html", context)


@allowed("community.change_community", fn=_community)
def charter_edit(request: HttpRequest) -> HttpResponse:
    community = selectors.get_community()
    initial = {
        "name": community.name,
        "purpose": community.purpose,
        "charter": community.charter,
        "official_status": community.official_status,
        "sponsor": community.sponsor_id,
        "weekly_minutes": community.weekly_minutes,
        "officialised_on": community.officialised_on,
        "version": community.version,
    }
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_charter(
                actor=request.user,
                community=community,
                version=data["version"],
                name=data["name"],
                purpose=data["purpose"],
                charter=data["charter"],
                official_status=data["official_status"],
                sponsor=data["sponsor"],
                weekly_minutes=data["weekly_minutes"],
                officialised_on=data["officialised_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The charter is saved."))
            return redirect("community:charter")
    return render(request, "community/charter_form.html", {"form": form, "community": community})


@allowed("community.manage_pillars")
def pillars(request: HttpRequest) -> HttpResponse:
    community = selectors.get_community()
    form = PillarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pillar = services.create_pillar(actor=request.user, community=community, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pillar “%(name)s” added.") % {"name": pillar.name})
            return redirect("community:pillars")
    context = {"pillars": selectors.pillars(community=community, include_archived=True), "form": form}
    return render(request, "community/pillars.html", context)


def _pillar(pk: int) -> Pillar:
    return get_object_or_404(Pillar.objects.select_related("community"), pk=pk)


@allowed("community.manage_pillars")
def pillar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pillar = _pillar(pk)
    initial = {f: getattr(pillar, f) for f in ("name_en", "name_fr", "description_en", "description_fr")}
    form = PillarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pillar(actor=request.user, pillar=pillar, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pillar “%(name)s” saved.") % {"name": pillar.name})
            return redirect("community:pillars")
    return render(request, "community/pillar_form.html", {"form": form, "pillar": pillar})


@require_POST
@allowed("community.manage_pillars")
def pillar_move(request: HttpRequest, pk: int) -> HttpResponse:
    pillar = _pillar(pk)
    services.move_pillar(actor=request.user, pillar=pillar, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect("community:pillars")


@require_POST
@allowed("community.manage_pillars")
def pillar_archive(request: HttpRequest, pk: int) -> HttpResponse:
    pillar = _pillar(pk)
    archived = request.POST.get("archived") == "1"
    services.set_pillar_archived(actor=request.user, pillar=pillar, archived=archived)
    if archived:
        messages.success(request, _("Pillar “%(name)s” archived.") % {"name": pillar.name})
    else:
        messages.success(request, _("Pillar “%(name)s” restored.") % {"name": pillar.name})
    return redirect("community:pillars")


@allowed("accounts.manage_people")
def people(request: HttpRequest) -> HttpResponse:
    invite_form = InviteForm(request.POST or None, prefix="invite")
    if request.method == "POST" and invite_form.is_valid():
        try:
            account_services.invite_person(
                actor=_actor(request),
                email=invite_form.cleaned_data["email"],
                role=invite_form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(invite_form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invite_form.cleaned_data["email"]})
            return redirect("community:people")
    search = PeopleSearchForm(request.GET)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    page = selectors.people(viewer=request.user, q=q, page=request.GET.get("page"))
    context = {
        "page": page,
        "members": page.object_list,
        "search": search,
        "invite_form": invite_form,
        "invitations": account_selectors.pending_invitations(),
        "role_form": RoleForm(),
    }
    return render(request, "community/people.html", context)


def _person(pk: int) -> Member:
    return get_object_or_404(Member.objects.select_related("user"), pk=pk)


@require_POST
@allowed("accounts.manage_people")
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = _person(pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("community:people")
    try:
        account_services.change_role(actor=_actor(request), user=member.user, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.") % {"name": member.user, "role": member.user.get_role_display()},
        )
    return redirect("community:people")


@allowed("accounts.manage_people")
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, naming what changes; POST deactivates. Nothing is deleted."""
    member = _person(pk)
    if request.method == "POST":
        try:
            account_services.set_active(actor=_actor(request), user=member.user, active=False)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("%(name)s is deactivated.") % {"name": member.user})
        return redirect("community:people")
    return render(request, "community/person_deactivate.html", {"member": member})


@require_POST
@allowed("accounts.manage_people")
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = _person(pk)
    account_services.set_active(actor=_actor(request), user=member.user, active=True)
    messages.success(request, _("%(name)s is active again.") % {"name": member.user})
    return redirect("community:people")


def home_section(request: HttpRequest) -> Section | None:
    """The community's part of the home page: who we are, your profile, what to do next."""
    if not request.user.has_perm("community.browse_directory"):
        return None
    member = _own_member(request)
    community = selectors.get_community()
    context = {"community": community, "member": member, "completeness": selectors.profile_completeness(member)}
    return Section(template="community/_home_section.html", context=context, position=10)
