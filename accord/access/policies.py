"""Named access policies: who may reach a section, said once and used everywhere.

The view decorator (`accord.access.policy.allowed_by`), the API's token check
(`accord.api.auth.PolicyTokenAuth`), the navigation and the selectors all ask the same
`Policy.allows`, so a page, its API and its menu entry cannot disagree, and the next author picks a
policy by name instead of writing a role set of their own.

A policy is held "on paper" (any role the directory gives the person today) or "acting" (a
statutory office counts only for whoever acts in it today: the holder, or a deputy while the
holder is absent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from accord.access.actor import Actor, person_of
from accord.access.roles import Role, acting_roles_for_person, roles_for
from accord.core import clock


class Holding(StrEnum):
    ON_PAPER = "on_paper"
    ACTING = "acting"


@dataclass(frozen=True)
class Policy:
    name: str
    roles: frozenset[Role]
    # Why these roles: the paragraph or the plain reason, shown in the docs and the ADR.
    reason: str
    holding: Holding = Holding.ON_PAPER

    def allows(self, actor: Actor, *, on: dt.date | None = None) -> bool:
        """Whether the actor holds the policy on `on` (default today). Cached on the account
        per day, as its roles are, so a page asks the database once however often it asks."""
        person_id = person_of(actor)
        if person_id is None or not roles_for(actor, on=on) & self.roles:
            return False
        if self.holding is Holding.ON_PAPER:
            return True
        day = on or clock.today()
        cache: dict[tuple[str, dt.date], bool] = actor.__dict__.setdefault(_ACTING_CACHE, {})
        key = (self.name, day)
        if key not in cache:
            cache[key] = bool(acting_roles_for_person(person_id, on=day) & self.roles)
        return cache[key]


_ACTING_CACHE = "_accord_acting_policies"

DIRECTORY_MANAGERS = Policy(
    "directory_managers",
    frozenset({Role.DEMOCRATIC_SERVICES, Role.DIRECTORY_ADMIN}),
    "Democratic services and directory administrators keep the directory: people, roles, "
    "designations, absences, committees and administrations.",
)
ACCOUNT_ADMINS = Policy(
    "account_admins",
    DIRECTORY_MANAGERS.roles,
    "An account is only ever made for someone in the directory, so those who keep the directory "
    "list, create, disable and enable accounts.",
)
AUDIT_READERS = Policy(
    "audit_readers",
    frozenset({Role.MONITORING_OFFICER, Role.DEPUTY_MONITORING_OFFICER, Role.DIRECTORY_ADMIN}),
    "The Monitoring Officer and deputies investigate with the audit trail; directory "
    "administrators answer for the changes it records.",
)
CONCERN_REGISTER_READERS = Policy(
    "concern_register_readers",
    frozenset({Role.MONITORING_OFFICER, Role.DEPUTY_MONITORING_OFFICER}),
    "The Monitoring Officer keeps the register of concerns (000 §50(f)), with the deputies.",
)
REGISTER_KEEPERS = Policy(
    "register_keepers",
    frozenset({Role.MONITORING_OFFICER, Role.DEPUTY_MONITORING_OFFICER}),
    "Close relationships are declared to the Monitoring Officer (000 §10; 004 §5.4(xv), §5.5(xi), "
    "§5.7): whoever acts as Monitoring Officer today, and the deputies.",
    holding=Holding.ACTING,
)
LIBRARY_KEEPERS = Policy(
    "library_keepers",
    frozenset({Role.MONITORING_OFFICER, Role.DEPUTY_MONITORING_OFFICER, Role.DEMOCRATIC_SERVICES}),
    "The Monitoring Officer keeps the protocol under review (000 §52, SO §9) with the deputies; "
    "democratic services prepare the committee and council papers.",
)

ALL = (
    DIRECTORY_MANAGERS,
    ACCOUNT_ADMINS,
    AUDIT_READERS,
    CONCERN_REGISTER_READERS,
    REGISTER_KEEPERS,
    LIBRARY_KEEPERS,
)


def named(name: str) -> Policy:
    """The policy called `name` (as a view's declared access records it)."""
    for access in ALL:
        if access.name == name:
            return access
    raise KeyError(name)
