"""Reads of the registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from accord.core import clock
from accord.registers.models import DeclaredRelationship

__all__ = ["declared_relationships_among"]


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
