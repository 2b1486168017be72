"""Sections other domains add to a member's page (initiatives led, quizzes passed…).

Community sits below those domains, so it never imports them: each registers a provider
`(request, member) -> Section | None` from its AppConfig.ready(). Providers must cost a constant
number of queries.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from guilde.core.home import Section

MemberSectionProvider = Callable[[HttpRequest, Any], Section | None]
_providers: list[MemberSectionProvider] = []


def register_member_section(provider: MemberSectionProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def member_sections(request: HttpRequest, member: Any) -> list[Section]:
    sections = [s for s in (provider(request, member) for provider in _providers) if s is not None]
    return sorted(sections, key=lambda s: s.position)
