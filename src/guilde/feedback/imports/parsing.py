"""Reading one mapped row into FeedbackData: sources, dates, impact aliases, names."""

from __future__ import annotations

from datetime import datetime, time, tzinfo

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from guilde.feedback.enums import Impact, Language, SourceChannel
from guilde.feedback.models import CustomerAccount, ImportJob, ProductArea
from guilde.feedback.services import FeedbackData

IMPACT_ALIASES = {
    "low": Impact.LOW,
    "faible": Impact.LOW,
    "normal": Impact.MEDIUM,
    "medium": Impact.MEDIUM,
    "moyen": Impact.MEDIUM,
    "high": Impact.HIGH,
    "haute": Impact.HIGH,
    "élevé": Impact.HIGH,
    "urgent": Impact.CRITICAL,
    "critical": Impact.CRITICAL,
    "critique": Impact.CRITICAL,
}


class _Resolver:
    """Looks up accounts and areas by name, a chunk at a time (one query per chunk, not per row)."""

    def __init__(self) -> None:
        self.areas: dict[str, ProductArea] = {}
        for area in ProductArea.objects.all():
            self.areas[area.name_en.casefold()] = area
            if area.name_fr:
                self.areas[area.name_fr.casefold()] = area
        self.accounts: dict[str, CustomerAccount] = {}

    def load_accounts(self, names: set[str]) -> None:
        wanted = {n.casefold()[:200] for n in names if n} - set(self.accounts)
        if wanted:
            for account in CustomerAccount.objects.filter(search_name__in=wanted).order_by("-pk"):
                self.accounts[account.search_name] = account


_SOURCE_VALUES = frozenset(SourceChannel.values)


def _parse_source(value: str, default: str) -> str | None:
    if not value:
        return default
    folded = value.strip().casefold().replace(" ", "_")
    if folded in _SOURCE_VALUES:
        return folded
    for choice in SourceChannel:
        if str(choice.label).casefold() == value.strip().casefold():
            return choice.value
    return None


def _parse_received(value: str, zone: tzinfo | None = None) -> datetime | bool | None:
    """An aware datetime, None when empty, False when unreadable. Naive times are in `zone`, by
    default the current time zone (pass it when parsing many rows: looking it up costs more
    than the parsing)."""
    if not value:
        return None
    value = value.strip().replace("/", "-")
    parsed = parse_datetime(value) if len(value) > 10 else None
    if parsed is None:
        day = parse_date(value.replace("/", "-")[:10]) if len(value) >= 10 else None
        if day is None:
            return False
        parsed = datetime.combine(day, time(9, 0))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, zone)
    return parsed


def _split(value: str, separators: str = ",; ") -> list[str]:
    if not value:
        return []
    parts = [value]
    for sep in separators:
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _to_data(
    mapped: dict[str, str], job: ImportJob, resolver: _Resolver, zone: tzinfo | None = None
) -> tuple[FeedbackData, list[str]]:
    problems: list[str] = []
    source = _parse_source(mapped.get("source", ""), job.default_source)
    if source is None:
        problems.append(str(_("source: unknown value “%(value)s”.") % {"value": mapped.get("source", "")[:40]}))
    impact_raw = mapped.get("impact", "").casefold()
    impact = IMPACT_ALIASES.get(impact_raw, "") if impact_raw else ""
    if impact_raw and not impact:
        problems.append(str(_("impact: unknown value “%(value)s”.") % {"value": impact_raw[:40]}))
    area = None
    if mapped.get("product_area"):
        area = resolver.areas.get(mapped["product_area"].casefold())
        if area is None:
            problems.append(str(_("product area: unknown “%(value)s”.") % {"value": mapped["product_area"][:60]}))
    received = _parse_received(mapped.get("received_at", ""), zone)
    if received is False:
        problems.append(str(_("received at: not a date (use 2025-03-31 or 2025-03-31T14:05).")))
        received = None
    language = (mapped.get("language") or Language.EN).casefold()[:2]
    account_name = mapped.get("account", "")[:200]
    data = FeedbackData(
        title=mapped.get("title", "")[:250],
        problem=mapped.get("problem", ""),
        source=source or job.default_source,
        evidence=mapped.get("evidence", ""),
        links=_split(mapped.get("links", ""), " ,;\n"),
        account=resolver.accounts.get(account_name.casefold()) if account_name else None,
        contact_name=mapped.get("contact_name", ""),
        impact=impact,
        product_area=area,
        language=language,
        tags=_split(mapped.get("tags", "")),
        external_id=mapped.get("external_id", ""),
        received_at=received if isinstance(received, datetime) else None,
    )
    return data, problems
