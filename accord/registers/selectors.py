"""Reads of the registers.

Who may see a declared relationship is decided here, so the pages and the API cannot disagree:
the two people it is between, and whoever keeps the register today (the Monitoring Officer acting
today and the deputy Monitoring Officers). To anyone else a declaration does not exist: it is
left out of every list and count, and fetching it is `NotFound`, exactly like a missing one.

`declared_relationships_among` is the engine's read for conflicts of interest; it takes no actor
because it answers for the system, never for a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accord.access.actor import Actor, person_of
from accord.access.policies import REGISTER_KEEPERS
from accord.core import clock, limits
from accord.core.errors import NotFound
from accord.registers.models import DeclaredRelationship

__all__ = [
    "declared_relationships_among",
    "keeps_register",
    "relationship_get",
    "relationship_register",
    "relationships_filtered",
    "relationships_of",
    "relationships_visible",
]


_RELATED = (
    "person__officer",
    "person__member__group",
    "other__officer",
    "other__member__group",
)


def keeps_register(actor: Actor, *, on: dt.date | None = None) -> bool:
    """Whether the actor keeps the register today: acts as Monitoring Officer, or is a deputy.
    Holding the office is not enough: an absent Monitoring Officer's deputy acts instead."""
    return REGISTER_KEEPERS.allows(actor, on=on)


def _party_to(person_id: int) -> Q:
    return Q(person_id=person_id) | Q(other_id=person_id)


def relationships_visible(actor: Actor) -> QuerySet[DeclaredRelationship]:
    """Every declaration the actor may see: all of them for a keeper, else their own."""
    person_id = person_of(actor)
    if person_id is None:
        return DeclaredRelationship.objects.none()
    rows = DeclaredRelationship.objects.select_related(*_RELATED)
    if keeps_register(actor):
        return rows
    return rows.filter(_party_to(person_id))


def _newest_first(rows: QuerySet[DeclaredRelationship]) -> QuerySet[DeclaredRelationship]:
    return rows.order_by("-starts_on", "-pk")


def relationships_of(actor: Actor) -> QuerySet[DeclaredRelationship]:
    """The declarations the actor is party to, newest first (a keeper's own ones too)."""
    person_id = person_of(actor)
    if person_id is None:
        return DeclaredRelationship.objects.none()
    return _newest_first(relationships_visible(actor).filter(_party_to(person_id)))


def relationship_register(
    actor: Actor,
    *,
    person_id: int | None = None,
    query: str = "",
    status: str = "",
) -> QuerySet[DeclaredRelationship]:
    """The whole register, newest first, for those who keep it; `NotFound` for anyone else.

    `person_id` keeps the declarations that person is party to; `query` matches words against
    either party's name; `status` is "current" (no end recorded) or "ended" (an end recorded).
    """
    if not keeps_register(actor):
        raise NotFound()
    return relationships_filtered(actor, person_id=person_id, query=query, status=status)


def relationships_filtered(
    actor: Actor, *, person_id: int | None = None, query: str = "", status: str = ""
) -> QuerySet[DeclaredRelationship]:
    """What the actor may see (see `relationships_visible`), narrowed, newest first."""
    return _filtered(relationships_visible(actor), person_id=person_id, query=query, status=status)


def _filtered(
    rows: QuerySet[DeclaredRelationship],
    *,
    person_id: int | None = None,
    query: str = "",
    status: str = "",
) -> QuerySet[DeclaredRelationship]:
    if person_id is not None:
        rows = rows.filter(_party_to(person_id))
    for word in limits.search_words(query):
        rows = rows.filter(
            Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(other__given_name__icontains=word)
            | Q(other__family_name__icontains=word)
        )
    if status == "current":
        rows = rows.filter(ends_on__isnull=True)
    elif status == "ended":
        rows = rows.filter(ends_on__isnull=False)
    return _newest_first(rows)


def relationship_get(actor: Actor, relationship_id: int) -> DeclaredRelationship:
    """One declaration the actor may see; `NotFound` whether it is missing or hidden."""
    found = relationships_visible(actor).filter(pk=relationship_id).first()
    if found is None:
        raise NotFound()
    return found


def declared_relationships_among(
    person_ids: Iterable[int], others: Iterable[int], *, on: dt.date | None = None
) -> set[tuple[int, int]]:
    """The pairs (p, o), p from `person_ids` and o from `others`, with a relationship on `on`.

    One query, whichever way round each pair was declared.
    """
    people, other_ids = set(person_ids), set(others)
    if not people or not other_ids:
        return set()
    rows = (
        DeclaredRelationship.objects.current_on(on or clock.today())
        .filter(
            Q(person_id__in=people, other_id__in=other_ids)
            | Q(person_id__in=other_ids, other_id__in=people)
        )
        .values_list("person_id", "other_id")
    )
    found: set[tuple[int, int]] = set()
    for a, b in rows:
        if a in people and b in other_ids:
            found.add((a, b))
        if b in people and a in other_ids:
            found.add((b, a))
    return found
