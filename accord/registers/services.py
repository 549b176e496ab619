"""Writes to the registers: every one validated first, in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import Person
from accord.procedures.services import conflicts_recheck
from accord.registers.models import DeclaredRelationship

__all__ = ["relationship_declare", "relationship_end"]


def relationship_declare(
    *,
    actor: Any,
    person: Person,
    other: Person,
    nature: str,
    starts_on: dt.date | None = None,
    description: str = "",
) -> DeclaredRelationship:
    """Record that `person` has a close relationship or connection with `other`."""
    errors: list[FieldError] = []
    if person.pk == other.pk:
        errors.append(FieldError("other", "A relationship is between two different people."))
    if nature not in DeclaredRelationship.Nature.values:
        choices = ", ".join(DeclaredRelationship.Nature.values)
        errors.append(FieldError("nature", f"Choose the kind of relationship: {choices}."))
    start = starts_on or clock.today()
    low, high = sorted((person.pk, other.pk))
    if (
        not errors
        and DeclaredRelationship.objects.filter(
            person_id=low, other_id=high, ends_on__isnull=True
        ).exists()
    ):
        errors.append(FieldError("other", "A relationship with this person is already declared."))
    if errors:
        raise ValidationFailed("The relationship could not be recorded.", errors)
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
                "declared_by_person_id": person.pk,
                "open_cases_checked": conflicts_recheck(person_ids=[person.pk, other.pk]),
                "with_person_id": other.pk,
                "nature": nature,
                "starts_on": start.isoformat(),
            },
        )
    return declared


def relationship_end(
    *, actor: Any, relationship: DeclaredRelationship, ends_on: dt.date | None = None
) -> DeclaredRelationship:
    end = ends_on or clock.today()
    if relationship.ends_on is not None:
        raise ValidationFailed.for_field("ends_on", "This relationship has already ended.")
    if end < relationship.starts_on:
        raise ValidationFailed.for_field(
            "ends_on", "The end date cannot be before the relationship was declared to start."
        )
    with transaction.atomic():
        relationship.ends_on = end
        relationship.save(update_fields=["ends_on", "updated_at"])
        record(
            actor=actor,
            verb="registers.relationship_ended",
            target=relationship,
            data={"ends_on": end.isoformat()},
        )
    return relationship
