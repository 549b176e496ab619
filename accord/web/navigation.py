"""The service navigation: one list of sections, each saying who sees it.

A feature adds its section with `register(NavItem(...))` from its app's `ready()` (or by adding
it to `SECTIONS` here); templates never decide who sees what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from accord.access.roles import Role, roles_for
from accord.accounts.selectors import ACCOUNT_ADMIN_ROLES
from accord.audit.selectors import AUDIT_READERS
from accord.concerns.selectors import register_readers
from accord.library.selectors import LIBRARY_KEEPERS

Predicate = Callable[[Any, frozenset[Role]], bool]


def anyone_signed_in(user: Any, roles: frozenset[Role]) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def with_directory_person(user: Any, roles: frozenset[Role]) -> bool:
    """Visible to a signed-in user whose account is linked to a directory person."""
    return anyone_signed_in(user, roles) and getattr(user, "person_id", None) is not None


def holding(*wanted: Role) -> Predicate:
    """Visible to a user holding at least one of `wanted` today."""
    wanted_set = frozenset(wanted)

    def predicate(user: Any, roles: frozenset[Role]) -> bool:
        return bool(roles & wanted_set)

    return predicate


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible_to: Predicate = anyone_signed_in
    # The URL names (besides `url_name`) under which this section is the current one.
    section_url_names: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    # "page" on the section's own page, "true" elsewhere in the section, "" outside it.
    aria_current: str


SECTIONS: list[NavItem] = [
    NavItem("Home", "web:home"),
    NavItem(
        "Directory",
        "directory:people",
        section_url_names=frozenset(
            {
                "directory:person",
                "directory:groups",
                "directory:group",
                "directory:divisions",
                "directory:division",
                "directory:committees",
                "directory:committee",
                "directory:statutory",
            }
        ),
    ),
    NavItem(
        "Cases",
        "procedures:cases",
        visible_to=with_directory_person,
        section_url_names=frozenset({"procedures:case", "procedures:case_new"}),
    ),
    NavItem(
        "Concerns",
        "concerns:concern_list",
        visible_to=with_directory_person,
        section_url_names=frozenset(
            {
                "concerns:concern_new",
                "concerns:concern_detail",
                "concerns:concern_act",
                "concerns:concern_consent",
                "concerns:concern_share",
                "concerns:concern_report",
            }
        ),
    ),
    NavItem(
        "Concerns register",
        "concerns:concern_register",
        visible_to=holding(*sorted(register_readers)),
        section_url_names=frozenset({"concerns:concern_register_csv"}),
    ),
    NavItem(
        "Relationships",
        "registers:relationships",
        visible_to=with_directory_person,
        section_url_names=frozenset(
            {
                "registers:relationship_new",
                "registers:relationship_end",
                "registers:relationships_all",
            }
        ),
    ),
    NavItem(
        "Protocol rules", "profiles:rules", section_url_names=frozenset({"profiles:rules_version"})
    ),
    NavItem(
        "Protocols",
        "library:protocols",
        section_url_names=frozenset(
            {
                "library:protocol_version",
                "library:protocol_paragraph",
                "library:protocol_coverage",
                "library:protocol_compare",
                "library:protocol_import",
                "library:protocol_import_preview",
                "library:protocol_search",
                "library:protocol_ask",
                "library:protocol_acknowledge",
            }
        ),
    ),
    NavItem(
        "Protocol reviews",
        "library:protocol_reviews",
        visible_to=holding(*sorted(LIBRARY_KEEPERS)),
        section_url_names=frozenset(
            {
                "library:protocol_review_new",
                "library:protocol_review",
                "library:protocol_review_report",
                "library:protocol_acknowledgements",
            }
        ),
    ),
    NavItem(
        "Manage directory",
        "directory:directory_admin",
        visible_to=holding(Role.DEMOCRATIC_SERVICES, Role.DIRECTORY_ADMIN),
        section_url_names=frozenset(
            {
                "directory:directory_admin_import",
                "directory:directory_admin_import_preview",
                "directory:directory_admin_person",
                "directory:directory_admin_absence",
                "directory:directory_admin_role_appoint",
                "directory:directory_admin_role_end",
                "directory:directory_admin_designate",
                "directory:directory_admin_designation_end",
                "directory:directory_admin_committee_member",
                "directory:directory_admin_administration",
            }
        ),
    ),
    NavItem(
        "Audit trail",
        "audit:audit_events",
        visible_to=holding(*AUDIT_READERS),
        section_url_names=frozenset({"audit:audit_event", "audit:audit_verify"}),
    ),
    NavItem(
        "Accounts",
        "accounts:account_admin_list",
        visible_to=holding(*ACCOUNT_ADMIN_ROLES),
        section_url_names=frozenset(
            {
                "accounts:account_admin_detail",
                "accounts:account_admin_create",
                "accounts:account_admin_disable",
                "accounts:account_admin_enable",
            }
        ),
    ),
]


def register(item: NavItem) -> None:
    if any(existing.url_name == item.url_name for existing in SECTIONS):
        return
    SECTIONS.append(item)


def navigation_for(
    user: Any, current_url_name: str | None, sections: Iterable[NavItem] | None = None
) -> list[NavLink]:
    roles = roles_for(user)
    links = []
    for item in SECTIONS if sections is None else sections:
        if not item.visible_to(user, roles):
            continue
        if current_url_name == item.url_name:
            aria_current = "page"
        elif current_url_name in item.section_url_names:
            aria_current = "true"
        else:
            aria_current = ""
        links.append(NavLink(item.label, reverse(item.url_name), aria_current))
    return links
