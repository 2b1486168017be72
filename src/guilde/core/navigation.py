"""The top navigation: each domain registers its module here, shown only to users allowed in.

`core` imports no domain, so domains register themselves from their AppConfig.ready().
Nothing is listed that is not built: a module appears once its app registers it.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    permission: str
    position: int = 100
    url_prefix: str = ""


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str
    icon: str
    active: bool


_modules: dict[str, Module] = {}


def register_module(module: Module) -> None:
    _modules[module.key] = module


def modules_for(user: Any, path: str) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for module in sorted(_modules.values(), key=lambda m: m.position):
        if not user.has_perm(module.permission):
            continue
        url = reverse(module.url_name)
        prefix = module.url_prefix or url
        items.append(NavItem(module.key, module.label, url, module.icon, path.startswith(prefix)))
    return items
