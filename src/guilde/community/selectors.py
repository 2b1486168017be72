"""Reads on the community: querysets already narrowed to what the viewer may see."""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from guilde.community.models import Community, Member, Pillar, Tag
from guilde.core.search import fold

DIRECTORY_PAGE_SIZE = 25
COMMUNITY_NAME_CACHE_KEY = "guilde:community:name"
COMMUNITY_NAME_CACHE_SECONDS = 600
DEFAULT_COMMUNITY_NAME = "Guilde"

DEFAULT_PILLARS = [
    ("How to organise ourselves", "Comment nous organiser"),
    (
        "Define responsibilities and improve our practices together",
        "Définir les responsabilités et améliorer nos pratiques ensemble",
    ),
    ("Share and learn better", "Mieux partager et apprendre"),
    ("Get inspired by what happens elsewhere", "S'inspirer de ce qui se fait ailleurs"),
]


def get_community() -> Community:
    """The installation's one community, created with the default pillars the first time it is asked for."""
    community = Community.objects.order_by("pk").first()
    if community is not None:
        return community
    with transaction.atomic():
        community = Community.objects.create(
            name=DEFAULT_COMMUNITY_NAME,
            purpose="A place where product people share, learn and improve how the company builds products.",
        )
        Pillar.objects.bulk_create(
            Pillar(community=community, position=index, name_en=name_en, name_fr=name_fr)
            for index, (name_en, name_fr) in enumerate(DEFAULT_PILLARS, start=1)
        )
        transaction.on_commit(lambda: cache.delete(COMMUNITY_NAME_CACHE_KEY))
    return community


def community_name() -> str:
    """The community's name for the layout; cached because every page shows it."""
    name = cache.get(COMMUNITY_NAME_CACHE_KEY)
    if name is None:
        name = Community.objects.order_by("pk").values_list("name", flat=True).first() or DEFAULT_COMMUNITY_NAME
        cache.set(COMMUNITY_NAME_CACHE_KEY, name, COMMUNITY_NAME_CACHE_SECONDS)
    return name


def pillars(*, community: Community, include_archived: bool = False) -> QuerySet[Pillar]:
    queryset = community.pillars.all()
    return queryset if include_archived else queryset.filter(is_archived=False)


def _visible_members(viewer: Any) -> QuerySet[Member]:
    members = Member.objects.select_related("user")
    if not viewer.has_perm("community.see_inactive_members"):
        members = members.filter(user__is_active=True)
    return members


def _tag_prefetches() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch("skills", queryset=Tag.objects.order_by("name")),
        Prefetch("interests", queryset=Tag.objects.order_by("name")),
    )


def directory_queryset(
    *,
    viewer: Any,
    q: str = "",
    role_family: str = "",
    region: str = "",
    brand: str = "",
    volunteer: bool | None = None,
) -> QuerySet[Member]:
    """Members matching a search on name, job title, skill or interest, and the filters; in name order."""
    members = _visible_members(viewer).prefetch_related(*_tag_prefetches())
    q = (q or "").strip()
    if q:
        slug = slugify(q)
        tag_match = Q(tag__name__icontains=q) | (Q(tag__slug__contains=slug) if slug else Q(pk__in=[]))
        skills = Member.skills.through.objects.filter(tag_match, member_id=OuterRef("pk"))
        interests = Member.interests.through.objects.filter(tag_match, member_id=OuterRef("pk"))
        members = members.filter(
            Q(search_name__contains=fold(q)) | Q(job_title__icontains=q) | Exists(skills) | Exists(interests)
        )
    if role_family:
        members = members.filter(role_family=role_family)
    if region:
        members = members.filter(region=region)
    if brand:
        members = members.filter(brand=brand)
    if volunteer is not None:
        members = members.filter(is_volunteer=volunteer)
    return members.order_by("search_name", "pk")


def directory(
    *,
    viewer: Any,
    q: str = "",
    role_family: str = "",
    region: str = "",
    brand: str = "",
    volunteer: bool | None = None,
    page: int | str | None = 1,
) -> Page:
    """One page of the directory (25 members), in a constant number of queries."""
    members = directory_queryset(
        viewer=viewer, q=q, role_family=role_family, region=region, brand=brand, volunteer=volunteer
    )
    return Paginator(members, DIRECTORY_PAGE_SIZE).get_page(page)


def brands(*, viewer: Any) -> list[str]:
    """The brands members work for, for the directory filter."""
    values = _visible_members(viewer).exclude(brand="").order_by("brand").values_list("brand", flat=True).distinct()
    return list(values)


def member_for(*, viewer: Any, pk: int) -> Member:
    """A member the viewer may see; Http404 otherwise, exactly as for a missing one."""
    member = _visible_members(viewer).prefetch_related(*_tag_prefetches()).filter(pk=pk).first()
    if member is None or not viewer.has_perm("community.view_member", member):
        raise Http404
    return member


def member_of(*, user: Any) -> Member | None:
    """The signed-in user's own profile with its tags, or None when it does not exist yet."""
    return Member.objects.select_related("user").prefetch_related(*_tag_prefetches()).filter(user=user).first()


def people(*, viewer: Any, q: str = "", page: int | str | None = 1) -> Page:
    """Everyone, active or not, for product ops' people page."""
    members = Member.objects.select_related("user").order_by("-user__is_active", "search_name", "pk")
    q = (q or "").strip()
    if q:
        members = members.filter(Q(search_name__contains=fold(q)) | Q(user__email__icontains=q))
    return Paginator(members, DIRECTORY_PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[tuple[str, str | Promise]] = field(default_factory=list)

    @property
    def percent_step(self) -> int:
        """The percentage rounded down to a 5 % step, for the `w-pct-*` width classes."""
        return self.percent - self.percent % 5

    @property
    def is_complete(self) -> bool:
        return not self.missing


def profile_completeness(member: Member) -> Completeness:
    """How much of the profile is filled in, and what is missing (field name, label)."""
    checks: list[tuple[str, str | Promise, bool]] = [
        ("full_name", _("Your name"), bool(member.user.full_name.strip())),
        ("job_title", _("Job title"), bool(member.job_title)),
        ("team", _("Team"), bool(member.team)),
        ("brand", _("Brand or business unit"), bool(member.brand)),
        ("region", _("Region"), bool(member.region)),
        ("languages", _("Languages you speak"), bool(member.languages)),
        ("skills", _("Skills"), bool(member.skills.all())),
        ("interests", _("Interests"), bool(member.interests.all())),
        ("bio", _("A short bio"), bool(member.bio.strip())),
    ]
    missing = [(key, label) for key, label, done in checks if not done]
    percent = round(100 * (len(checks) - len(missing)) / len(checks))
    return Completeness(percent=percent, missing=missing)
