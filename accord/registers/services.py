"""Writes to the registers: every one validated first, in one transaction, audited.

A person declares their own relationships; the register's keepers (see
`accord.registers.selectors.keeps_register`) may record or end one on someone's behalf. The
system itself (`actor=None`: scenario tests, seeding) may do either.

The audit events name the declaration only by its id and say nothing of who it is between or
what kind it is: the audit trail has readers (directory administrators) the register does not.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from accord.directory.models import Person
from accord.procedures.services import conflicts_recheck
from accord.registers.models import DeclaredRelationship
from accord.registers.selectors import keeps_register

__all__ = ["DESCRIPTION_MAX", "relationship_declare", "relationship_end"]

DESCRIPTION_MAX = 2_000
_ALREADY = "A relationship with this person is already declared."


def _on_behalf(actor: Actor, parties: set[int]) -> bool:
    """Whether the actor records for others; refuses anyone who may not. The system may."""
    if actor is None:
        return False
    if person_of(actor) in parties:
        return False
    if keeps_register(actor):
        return True
    raise PermissionDenied(
        "Only the Monitoring Officer or a deputy can record a relationship between two other "
        "people.",
        [FieldError("person", "You can declare only your own relationships.")],
    )


def relationship_declare(
    *,
    actor: Actor,
    person: Person,
    other: Person,
    nature: str,
    starts_on: dt.date | None = None,
    description: str = "",
) -> DeclaredRelationship:
    """Record that `person` has a close relationship or connection with `other`.

    Every open case raised by or about either of them is checked again at once, so someone
    handling such a case is handed over in the same transaction (000 §10, 004 §5.7).
    """
    on_behalf = _on_behalf(actor, {person.pk, other.pk})
    errors: list[FieldError] = []
    if person.pk == other.pk:
        errors.append(FieldError("other", "A relationship is between two different people."))
    if nature not in DeclaredRelationship.Nature.values:
        choices = ", ".join(DeclaredRelationship.Nature.values)
        errors.append(FieldError("nature", f"Choose the kind of relationship: {choices}."))
    today = clock.today()
    start = starts_on or today
    if start > today:
        # Conflicts are checked again when a declaration is made; one that began later would
        # not be in force then, and would silently miss the cases open today.
        errors.append(FieldError("starts_on", "The start date must be today or in the past."))
    if len(description.strip()) > DESCRIPTION_MAX:
        errors.append(
            FieldError(
                "description", f"The description must be {DESCRIPTION_MAX} characters or fewer."
            )
        )
    low, high = sorted((person.pk, other.pk))
    if (
        not errors
        and DeclaredRelationship.objects.filter(
            person_id=low, other_id=high, ends_on__isnull=True
        ).exists()
    ):
        errors.append(FieldError("other", _ALREADY))
    if errors:
        raise ValidationFailed("The relationship could not be recorded.", errors)
    try:
        with transaction.atomic():
            declared = DeclaredRelationship.objects.create(
                person_id=low,
                other_id=high,
                nature=nature,
                description=description.strip(),
                starts_on=start,
            )
            record(
                actor=actor,
                verb="registers.relationship_declared",
                target=declared,
                data={
                    "on_behalf": on_behalf,
                    "open_cases_checked": conflicts_recheck(person_ids=[person.pk, other.pk]),
                    "starts_on": start.isoformat(),
                },
            )
    except IntegrityError:
        # Two declarations of the same pair at once: the database lets one through.
        raise ValidationFailed(
            "The relationship could not be recorded.", [FieldError("other", _ALREADY)]
        ) from None
    return declared


def relationship_end(
    *, actor: Actor, relationship: DeclaredRelationship, ends_on: dt.date | None = None
) -> DeclaredRelationship:
    """Record the last day of a declared relationship.

    Either person may end it, and so may the register's keepers; to anyone else it does not
    exist. A case someone was already kept off stays that way: the conflict was real while it
    lasted.
    """
    if actor is not None and not (
        person_of(actor) in {relationship.person_id, relationship.other_id} or keeps_register(actor)
    ):
        raise NotFound()
    end = ends_on or clock.today()
    if relationship.ends_on is not None:
        raise ValidationFailed.for_field("ends_on", "This relationship has already ended.")
    if end < relationship.starts_on:
        raise ValidationFailed.for_field(
            "ends_on", "The end date cannot be before the relationship was declared to start."
        )
    with transaction.atomic():
        changed = DeclaredRelationship.objects.filter(
            pk=relationship.pk, ends_on__isnull=True
        ).update(ends_on=end, updated_at=clock.now())
        if changed != 1:
            raise ValidationFailed.for_field("ends_on", "This relationship has already ended.")
        record(
            actor=actor,
            verb="registers.relationship_ended",
            target=relationship,
            data={
                "ends_on": end.isoformat(),
                "on_behalf": actor is not None
                and person_of(actor) not in {relationship.person_id, relationship.other_id},
            },
        )
    relationship.refresh_from_db()
    return relationship
