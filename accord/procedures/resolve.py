"""Role expressions, resolved against the directory on the day.

Two directions that must always agree (a test checks they do):

- `resolve(expression, parties, on)`: who does "the raiser's Director" mean for this case today?
  Used when someone acts, when a stage is given to its handlers and when a timer fires.
- `Standing.q(expression)`: for one person, a filter matching every case where the expression
  means them. Used to list and find the cases a person may see in one query, so a list and a
  single page can never disagree about who sees what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from accord.access.roles import Role, acting_roles_for_person, people_acting_as
from accord.core import clock
from accord.directory.models import Member, Officer, Person, RoleAppointment
from accord.profiles.expressions import ExpressionKind, Party, Relation, RoleExpression

__all__ = ["Parties", "Standing", "resolve"]


@dataclass(frozen=True)
class Parties:
    raiser: Person
    subject: Person | None

    def party(self, which: Party) -> Person | None:
        return self.raiser if which is Party.RAISER else self.subject


def resolve(expression: RoleExpression, parties: Parties, *, on: dt.date) -> list[int]:
    """The person ids `expression` names for a case with these parties on `on`, in a stable
    order (for deputies, their rank)."""
    if expression.kind is ExpressionKind.ROLE:
        assert expression.role is not None
        return people_acting_as(expression.role, on=on)
    if expression.kind is ExpressionKind.PARTY:
        assert expression.party is not None
        person = parties.party(expression.party)
        return [person.pk] if person is not None else []
    if expression.kind is ExpressionKind.RELATIVE:
        assert expression.party is not None
        assert expression.relation is not None
        person = parties.party(expression.party)
        return _relative(person, expression.relation, on) if person is not None else []
    return []


def _relative(person: Person, relation: Relation, on: dt.date) -> list[int]:
    if relation is Relation.GROUP_LEADER:
        member = Member.objects.filter(person=person).only("group_id").first()
        if member is None or member.group_id is None:
            return []
        return _appointed(Q(role=RoleAppointment.Role.GROUP_LEADER, group_id=member.group_id), on)
    officer = Officer.objects.filter(person=person).only("directorate_id", "line_manager").first()
    if officer is None:
        return []
    if relation is Relation.LINE_MANAGER:
        if officer.line_manager_id is None:
            return []
        manager = Officer.objects.filter(pk=officer.line_manager_id, person__is_active=True)
        return list(manager.values_list("person_id", flat=True))
    role = (
        RoleAppointment.Role.HEAD_OF_SERVICE
        if relation is Relation.HEAD_OF_SERVICE
        else RoleAppointment.Role.DIRECTOR
    )
    return _appointed(Q(role=role, directorate_id=officer.directorate_id), on)


def _appointed(condition: Q, on: dt.date) -> list[int]:
    ids = (
        RoleAppointment.objects.current_on(on)
        .filter(condition, person__is_active=True)
        .order_by("starts_on", "person_id")
        .values_list("person_id", flat=True)
    )
    return list(dict.fromkeys(ids))


_NOTHING = Q(pk__in=[])
# An empty Q() vanishes when OR-ed with another, so "always" must be a real condition.
_ALWAYS = Q(pk__isnull=False)


@dataclass(frozen=True)
class Standing:
    """What one person is on a day, as far as role expressions care."""

    person_id: int
    roles: frozenset[Role]
    directorates: frozenset[int]
    services_in: frozenset[int]
    groups: frozenset[int]
    line_manager_of: bool

    @classmethod
    def of(cls, person_id: int, *, on: dt.date | None = None) -> Standing:
        day = on or clock.today()
        current = RoleAppointment.objects.current_on(day).filter(
            person_id=person_id, person__is_active=True
        )
        directorates = current.filter(role=RoleAppointment.Role.DIRECTOR).values_list(
            "directorate_id", flat=True
        )
        groups = current.filter(role=RoleAppointment.Role.GROUP_LEADER).values_list(
            "group_id", flat=True
        )
        services_in = current.filter(role=RoleAppointment.Role.HEAD_OF_SERVICE).values_list(
            "directorate_id", flat=True
        )
        roles = acting_roles_for_person(person_id, on=day)
        return cls(
            person_id=person_id,
            roles=roles,
            directorates=frozenset(d for d in directorates if d is not None),
            services_in=frozenset(d for d in services_in if d is not None),
            groups=frozenset(g for g in groups if g is not None),
            line_manager_of=Role.LINE_MANAGER in roles,
        )

    def q(self, expression: RoleExpression, prefix: str = "") -> Q:
        """Cases (fields under `prefix`) where `expression` names this person."""
        if expression.kind is ExpressionKind.ROLE:
            return _ALWAYS if expression.role in self.roles else _NOTHING
        if expression.kind is ExpressionKind.PARTY:
            assert expression.party is not None
            return Q(**{f"{prefix}{expression.party.value}_id": self.person_id})
        if expression.kind is ExpressionKind.RELATIVE:
            assert expression.party is not None
            assert expression.relation is not None
            party = f"{prefix}{expression.party.value}"
            if expression.relation is Relation.LINE_MANAGER:
                if not self.line_manager_of:
                    return _NOTHING
                return Q(**{f"{party}__officer__line_manager__person_id": self.person_id})
            if expression.relation is Relation.DIRECTOR:
                if not self.directorates:
                    return _NOTHING
                return Q(**{f"{party}__officer__directorate_id__in": sorted(self.directorates)})
            if expression.relation is Relation.HEAD_OF_SERVICE:
                if not self.services_in:
                    return _NOTHING
                return Q(**{f"{party}__officer__directorate_id__in": sorted(self.services_in)})
            if not self.groups:
                return _NOTHING
            return Q(**{f"{party}__member__group_id__in": sorted(self.groups)})
        return _NOTHING

    def matches(self, expression: RoleExpression) -> bool | None:
        """True or False when the answer needs no case; None when it depends on the case."""
        if expression.kind is ExpressionKind.ROLE:
            return expression.role in self.roles
        return None
