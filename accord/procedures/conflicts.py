"""Conflicts of interest: who must not be given a case or a step, and who acts instead.

A person is conflicted on a case when they are its subject, when they have a declared close
relationship with the raiser or the subject, or when they were recorded as materially involved
in the matter earlier (000 SO §7.1, §7.3; App A §9.2; App B §8.2; App C §7.3). The profile's
`conflicts` rules then name who acts instead, in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.procedures.models import Case, CaseExclusion, CaseInvolvement
from accord.registers.selectors import declared_relationships_among

__all__ = ["Conflict", "conflicts_on_case"]


@dataclass(frozen=True)
class Conflict:
    person_id: int
    reason: str  # "subject", or a CaseExclusion.Reason value
    description: str


def conflicts_on_case(case: Case, person_ids: list[int], *, on: dt.date) -> dict[int, Conflict]:
    """The conflicted people among `person_ids`, each with why; three queries at most."""
    found: dict[int, Conflict] = {}
    ids = set(person_ids)
    if not ids:
        return found
    if case.subject_id in ids:
        found[case.subject_id] = Conflict(
            case.subject_id, "subject", "is the person the case is about"
        )
    parties = {case.raiser_id} | ({case.subject_id} if case.subject_id else set())
    for person_id, party_id in sorted(declared_relationships_among(ids - parties, parties, on=on)):
        if person_id in found:
            continue
        who = "the person who raised the case" if party_id == case.raiser_id else "its subject"
        found[person_id] = Conflict(
            person_id,
            CaseExclusion.Reason.RELATIONSHIP,
            f"has declared a close relationship with {who}",
        )
    involved = CaseInvolvement.objects.filter(case=case, person_id__in=ids).values_list(
        "person_id", flat=True
    )
    for person_id in involved:
        found.setdefault(
            person_id,
            Conflict(
                person_id,
                CaseExclusion.Reason.INVOLVEMENT,
                "was recorded as materially involved in the matter earlier",
            ),
        )
    return found
