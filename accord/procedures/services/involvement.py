"""Material involvement: a statutory officer recorded as involved in the matter earlier is
handed over wherever they would act on the case."""

from __future__ import annotations

from django.db import transaction

from accord.access.actor import Actor, person_of
from accord.access.roles import STATUTORY_ROLES, roles_for_people
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import Person
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.models import Case, CaseInvolvement
from accord.procedures.selectors import case_get, case_handlers, case_table
from accord.procedures.services.assignment import stage_reassign
from accord.profiles.explain import explain

__all__ = ["involvement_record"]


def involvement_record(*, actor: Actor, case: Case, person: Person, note: str) -> CaseInvolvement:
    """Record that a statutory officer was materially involved in the matter; they are then
    handed over wherever they would act on the case (000 SO §7.3)."""
    case = case_get(actor, case.public_id)
    table = case_table(case)
    errors: list[FieldError] = []
    if not note.strip():
        errors.append(FieldError("note", "Say how they were involved."))
    if not roles_for_people([person.pk]).get(person.pk, frozenset()) & STATUTORY_ROLES:
        errors.append(
            FieldError("person", "Only a statutory officer or deputy is recorded as involved.")
        )
    if CaseInvolvement.objects.filter(case=case, person=person).exists():
        errors.append(FieldError("person", "Their involvement is already recorded."))
    if errors:
        raise ValidationFailed("The involvement could not be recorded.", errors)
    if person_of(actor) not in case_handlers(case):
        raise TransitionNotAllowed(
            explain(
                table.profile,
                "Only someone handling the case can record a statutory officer's involvement",
                table.stages[case.stage].cite,
            )
        )
    now = clock.now()
    with transaction.atomic():
        involvement = CaseInvolvement.objects.create(
            case=case, person=person, note=note.strip(), recorded_by_id=person_of(actor), at=now
        )
        if case.is_open:
            stage_reassign(case, table, now=now, day=clock.today())
        record(
            actor=actor,
            verb="procedures.involvement_recorded",
            target=case,
            data={"person_id": person.pk},
        )
    return involvement
