"""Conflicts of interest: who must not be given a case or a step, and who acts instead.

A person is conflicted on a case when they are its subject, when they have a declared close
relationship with the raiser or the subject, or when they were recorded as materially involved
in the matter earlier (000 SO §7.1, §7.3; App A §9.2; App B §8.2; App C §7.3). The profile's
`conflicts` rules then name who acts instead, in order.

The engine keeps what it records itself (the subject, involvement); a conflict another app
knows of is a *source* that app registers when it starts, as the registers app does for declared
relationships (`register_conflict_source`, from its `ready()`). The engine reads each source
through `accord.procedures.selectors.conflicts_on_case`, and never imports the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["Conflict", "ConflictSource", "conflict_sources", "register_conflict_source"]


@dataclass(frozen=True)
class Conflict:
    person_id: int
    reason: str  # "subject", or a CaseExclusion.Reason value
    description: str


class PairsAmong(Protocol):
    def __call__(
        self, person_ids: Iterable[int], others: Iterable[int], *, on: dt.date
    ) -> Iterable[tuple[int, int]]:
        """The pairs (p, o), p from `person_ids` and o from `others`, that conflict on `on`."""
        ...


@dataclass(frozen=True)
class ConflictSource:
    reason: str  # the CaseExclusion.Reason recorded when it keeps someone off a case
    pairs: PairsAmong
    says: str  # what it says of the person, with "{party}" for the party they conflict with


_SOURCES: dict[str, ConflictSource] = {}


def register_conflict_source(reason: str, *, pairs: PairsAmong, says: str) -> None:
    """`pairs(person_ids, party_ids, on=day)` names who among `person_ids` conflicts with which
    party of a case on that day; `says` describes such a person ("has declared a close
    relationship with {party}"). Registering a reason again replaces its source."""
    _SOURCES[reason] = ConflictSource(reason, pairs, says)


def conflict_sources() -> list[ConflictSource]:
    """The sources other apps registered, in the order they registered them."""
    return list(_SOURCES.values())
