"""The signed-in home page is made of sections that domains contribute.

A domain registers a function `(request) -> Section | None` from its AppConfig.ready();
`core` never imports a domain.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    position: int = 100


SectionProvider = Callable[[HttpRequest], Section | None]
_providers: list[SectionProvider] = []


def register_home_section(provider: SectionProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def home_sections(request: HttpRequest) -> list[Section]:
    sections = [s for s in (provider(request) for provider in _providers) if s is not None]
    return sorted(sections, key=lambda s: s.position)
