"""The service navigation: one list of sections, each saying who sees it.

Each app adds its sections with `register(NavItem(...))` from its `AppConfig.ready()`; the shell
holds only the home page's. Templates never decide who sees what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from accord.access.actor import Actor, is_signed_in, person_of
from accord.access.policies import Policy

Predicate = Callable[[Actor], bool]


def anyone_signed_in(user: Actor) -> bool:
    return is_signed_in(user)


def with_directory_person(user: Actor) -> bool:
    """Visible to a signed-in user whose account is linked to a directory person."""
    return person_of(user) is not None


def allowed_by(access: Policy) -> Predicate:
    """Visible to whoever the named policy allows: the same question the section's pages ask."""
    return access.allows


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible_to: Predicate = anyone_signed_in
    # The URL names (besides `url_name`) under which this section is the current one.
    section_url_names: frozenset[str] = field(default_factory=frozenset)
    # Where the section sits in the bar: lower first.
    order: int = 100


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    # "page" on the section's own page, "true" elsewhere in the section, "" outside it.
    aria_current: str


SECTIONS: list[NavItem] = [NavItem("Home", "web:home", order=0)]


def register(item: NavItem) -> None:
    """Add an app's section (from its `AppConfig.ready()`), in `order`; once only."""
    if any(existing.url_name == item.url_name for existing in SECTIONS):
        return
    SECTIONS.append(item)
    SECTIONS.sort(key=lambda section: section.order)


def navigation_for(
    user: Actor, current_url_name: str | None, sections: Iterable[NavItem] | None = None
) -> list[NavLink]:
    links = []
    for item in SECTIONS if sections is None else sections:
        if not item.visible_to(user):
            continue
        if current_url_name == item.url_name:
            aria_current = "page"
        elif current_url_name in item.section_url_names:
            aria_current = "true"
        else:
            aria_current = ""
        links.append(NavLink(item.label, reverse(item.url_name), aria_current))
    return links
