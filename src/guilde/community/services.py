"""Writes on the community. Keyword-only, the acting user first, one transaction each."""

import zoneinfo
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guilde.accounts.enums import Role
from guilde.community.enums import Language, OfficialStatus, Region, RoleFamily
from guilde.community.models import Community, Member, Pillar, Tag
from guilde.community.selectors import COMMUNITY_NAME_CACHE_KEY
from guilde.core.concurrency import claim_version
from guilde.core.search import fold

MAX_WEEKLY_MINUTES = 600
MAX_TAGS = 20
TAG_MAX_LENGTH = 60
SEARCH_NAME_MAX_LENGTH = 150

USER_FIELDS = ("full_name", "timezone", "language")
MEMBER_FIELDS = (
    "job_title",
    "role_family",
    "team",
    "brand",
    "region",
    "languages",
    "weekly_minutes",
    "is_volunteer",
    "bio",
)
TAG_FIELDS = ("skills", "interests")
PROFILE_FIELDS = USER_FIELDS + MEMBER_FIELDS + TAG_FIELDS

ROLE_FAMILY_FOR_ROLE = {Role.EXECUTIVE: RoleFamily.EXECUTIVE, Role.PRODUCT_OPS: RoleFamily.PRODUCT_OPS}


def search_name_for(full_name: str) -> str:
    """The name as the directory sorts and matches it: lower-cased, accents dropped ("Léa" → "lea")."""
    return fold(" ".join((full_name or "").split()))[:SEARCH_NAME_MAX_LENGTH]


def _forget_community_name() -> None:
    transaction.on_commit(lambda: cache.delete(COMMUNITY_NAME_CACHE_KEY))


@transaction.atomic
def ensure_member(*, user: Any) -> Member:
    """The user's profile, created on first need (sign-up, first visit, API) with sensible defaults."""
    member, _created = Member.objects.get_or_create(
        user=user,
        defaults={
            "joined_on": timezone.localdate(),
            "search_name": search_name_for(user.full_name),
            "role_family": ROLE_FAMILY_FOR_ROLE.get(user.role, RoleFamily.PM),
            "weekly_minutes": settings.GUILDE_DEFAULT_WEEKLY_MINUTES,
        },
    )
    return member


def _clean_tag_names(names: Iterable[str]) -> dict[str, str]:
    """Slug → name, without duplicates (case and accents ignored) and without empty tags."""
    cleaned: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())[:TAG_MAX_LENGTH]
        slug = slugify(name)
        if slug and slug not in cleaned:
            cleaned[slug] = name
    return cleaned


def tags_for(*, names: Iterable[str]) -> list[Tag]:
    """The tags with these names, created when new; an existing tag keeps its first spelling."""
    wanted = _clean_tag_names(names)
    if not wanted:
        return []
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    missing = [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    return [existing[slug] for slug in wanted if slug in existing]


def _validate_profile(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = dict(data)
    if "full_name" in clean:
        clean["full_name"] = " ".join(str(clean["full_name"] or "").split())
        if not clean["full_name"]:
            errors["full_name"] = _("Enter your name as colleagues know it.")
        elif len(clean["full_name"]) > 150:
            errors["full_name"] = _("Keep the name under 150 characters.")
    if "timezone" in clean and clean["timezone"] not in zoneinfo.available_timezones():
        errors["timezone"] = _("Choose a time zone from the list.")
    if "language" in clean and clean["language"] not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose English or French.")
    if "role_family" in clean and clean["role_family"] not in RoleFamily.values:
        errors["role_family"] = _("Choose a role family from the list.")
    if "region" in clean:
        clean["region"] = clean["region"] or ""
        if clean["region"] and clean["region"] not in Region.values:
            errors["region"] = _("Choose a region from the list.")
    if "languages" in clean:
        languages = list(dict.fromkeys(clean["languages"] or []))
        if any(code not in Language.values for code in languages):
            errors["languages"] = _("Choose languages from the list.")
        clean["languages"] = languages
    if "weekly_minutes" in clean:
        minutes = clean["weekly_minutes"]
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_WEEKLY_MINUTES:
            errors["weekly_minutes"] = _("Give a number of minutes between 0 and 600 (10 hours).")
    for text_field, limit in (("job_title", 120), ("team", 120), ("brand", 120)):
        if text_field in clean:
            clean[text_field] = " ".join(str(clean[text_field] or "").split())
            if len(clean[text_field]) > limit:
                errors[text_field] = _("Keep it under %(limit)s characters.") % {"limit": limit}
    if "bio" in clean:
        clean["bio"] = str(clean["bio"] or "").strip()
    for tag_field in TAG_FIELDS:
        if tag_field in clean and len(_clean_tag_names(clean[tag_field] or [])) > MAX_TAGS:
            errors[tag_field] = _("Keep it to %(count)s tags at most.") % {"count": MAX_TAGS}
    unknown = set(clean) - set(PROFILE_FIELDS)
    if unknown:
        errors["__all__"] = _("These fields cannot be changed here: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))
        }
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def update_profile(*, actor: Any, member: Member, data: dict[str, Any], version: int) -> Member:
    """Changes the given profile fields (and the name, time zone and language on the account).

    Refuses with `ConcurrentEditError` (core.concurrency) when the profile changed since the actor loaded
    `version`, so nobody silently overwrites someone else's edit.
    """
    if not actor.has_perm("community.change_member", member):
        raise PermissionDenied
    clean = _validate_profile(data)
    claim_version(
        Member,
        member.pk,
        version,
        message=_("Someone else changed this profile while you were editing it. Reload the page to see their changes."),
    )
    user = member.user
    user_changes = [name for name in USER_FIELDS if name in clean and getattr(user, name) != clean[name]]
    for name in user_changes:
        setattr(user, name, clean[name])
    if user_changes:
        user.save(update_fields=user_changes)
    for name in MEMBER_FIELDS:
        if name in clean:
            setattr(member, name, clean[name])
    member.search_name = search_name_for(user.full_name)
    member.version = version + 1
    member.save(update_fields=[*(n for n in MEMBER_FIELDS if n in clean), "search_name", "updated_at"])
    for tag_field in TAG_FIELDS:
        if tag_field in clean:
            getattr(member, tag_field).set(tags_for(names=clean[tag_field] or []))
    return member


@transaction.atomic
def update_charter(
    *,
    actor: Any,
    community: Community,
    version: int,
    name: str,
    purpose: str,
    charter: str,
    official_status: str,
    sponsor: Any | None,
    weekly_minutes: int,
    officialised_on: date | None,
) -> Community:
    """Changes the community's identity and charter, and records who changed it and when."""
    if not actor.has_perm("community.change_community", community):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Give the community a name.")
    if official_status not in OfficialStatus.values:
        errors["official_status"] = _("Choose a status from the list.")
    if not 0 <= weekly_minutes <= MAX_WEEKLY_MINUTES:
        errors["weekly_minutes"] = _("Give a number of minutes between 0 and 600 (10 hours).")
    if sponsor is not None and not sponsor.is_active:
        errors["sponsor"] = _("The sponsor must be an active member.")
    if errors:
        raise ValidationError(errors)
    claim_version(
        Community,
        community.pk,
        version,
        message=_("Someone else changed the charter while you were editing it. Reload the page to see their changes."),
    )
    community.name = name
    community.purpose = (purpose or "").strip()
    community.charter = (charter or "").strip()
    community.official_status = official_status
    community.sponsor = sponsor
    community.weekly_minutes = weekly_minutes
    community.officialised_on = officialised_on
    community.charter_updated_by = actor
    community.charter_updated_at = timezone.now()
    community.version = version + 1
    community.save(
        update_fields=[
            "name",
            "purpose",
            "charter",
            "official_status",
            "sponsor",
            "weekly_minutes",
            "officialised_on",
            "charter_updated_by",
            "charter_updated_at",
            "updated_at",
        ]
    )
    _forget_community_name()
    return community


def _check_pillar_names(name_en: str, name_fr: str) -> tuple[str, str]:
    name_en, name_fr = " ".join((name_en or "").split()), " ".join((name_fr or "").split())
    errors = {}
    if not name_en:
        errors["name_en"] = _("Give the pillar an English name.")
    if not name_fr:
        errors["name_fr"] = _("Give the pillar a French name.")
    if errors:
        raise ValidationError(errors)
    return name_en, name_fr


@transaction.atomic
def create_pillar(
    *, actor: Any, community: Community, name_en: str, name_fr: str, description_en: str = "", description_fr: str = ""
) -> Pillar:
    """Adds a pillar at the end of the list."""
    if not actor.has_perm("community.add_pillar"):
        raise PermissionDenied
    name_en, name_fr = _check_pillar_names(name_en, name_fr)
    last = community.pillars.aggregate(last=Max("position"))["last"] or 0
    return Pillar.objects.create(
        community=community,
        position=last + 1,
        name_en=name_en,
        name_fr=name_fr,
        description_en=(description_en or "").strip(),
        description_fr=(description_fr or "").strip(),
    )


@transaction.atomic
def update_pillar(
    *, actor: Any, pillar: Pillar, name_en: str, name_fr: str, description_en: str = "", description_fr: str = ""
) -> Pillar:
    if not actor.has_perm("community.change_pillar", pillar):
        raise PermissionDenied
    pillar.name_en, pillar.name_fr = _check_pillar_names(name_en, name_fr)
    pillar.description_en = (description_en or "").strip()
    pillar.description_fr = (description_fr or "").strip()
    pillar.save(update_fields=["name_en", "name_fr", "description_en", "description_fr", "updated_at"])
    return pillar


@transaction.atomic
def reorder_pillars(*, actor: Any, community: Community, pillar_ids: list[int]) -> None:
    """Puts the pillars in the given order; pillars not listed keep their place after them."""
    if not actor.has_perm("community.manage_pillars"):
        raise PermissionDenied
    current = list(community.pillars.order_by("position", "pk"))
    by_id = {p.pk: p for p in current}
    if any(pk not in by_id for pk in pillar_ids):
        raise ValidationError(_("Some of these pillars do not belong to the community."))
    ordered = [by_id[pk] for pk in dict.fromkeys(pillar_ids)]
    ordered += [p for p in current if p.pk not in set(pillar_ids)]
    for position, pillar in enumerate(ordered, start=1):
        pillar.position = position
    Pillar.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def move_pillar(*, actor: Any, pillar: Pillar, offset: int) -> None:
    """Moves a pillar up (offset -1) or down (+1) the list."""
    ids = list(pillar.community.pillars.order_by("position", "pk").values_list("pk", flat=True))
    index = ids.index(pillar.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    reorder_pillars(actor=actor, community=pillar.community, pillar_ids=ids)


@transaction.atomic
def set_pillar_archived(*, actor: Any, pillar: Pillar, archived: bool) -> Pillar:
    """Archives (or restores) a pillar: it leaves the lists but keeps what was filed under it."""
    if not actor.has_perm("community.change_pillar", pillar):
        raise PermissionDenied
    if pillar.is_archived != archived:
        pillar.is_archived = archived
        pillar.save(update_fields=["is_archived", "updated_at"])
    return pillar
