"""Opening a case at its procedure's first stage."""

from __future__ import annotations

from django.db import transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import Person
from accord.procedures.models import Case
from accord.procedures.services.moving import move_with_history
from accord.procedures.table import TransitionTable, table_for
from accord.profiles.explain import describe, explain
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import Side
from accord.profiles.selectors import profile_in_force

__all__ = ["case_open"]


def case_open(
    *,
    actor: Actor,
    procedure: str,
    raiser: Person,
    subject: Person | None,
    profile_id: str | None = None,
    profile_version: ProfileVersion | None = None,
    handler_choice: str = "",
) -> Case:
    """Open a case at its procedure's first stage, under the profile version in force today
    (or the one given). `actor` may be the raiser or someone recording it on their behalf.

    Where the first stage lets the raiser choose whom to go to, `handler_choice` is the role
    expression they chose (e.g. "monitoring_officer"); left empty, every handler takes it."""
    now = clock.now()
    day = clock.today()
    if profile_version is None:
        if profile_id is None:
            raise ValidationFailed.for_field("profile", "Say which council profile to use.")
        profile_version = profile_in_force(profile_id, on=day)
    table = _table_or_error(profile_version, procedure)
    _check_parties(table, raiser, subject)
    _check_choice(table, handler_choice)
    initial = table.procedure.initial
    with transaction.atomic():
        case = Case(
            profile_version=profile_version,
            procedure=procedure,
            raiser=raiser,
            subject=subject,
            stage=initial,
            handler_choice=handler_choice,
            opened_at=now,
        )
        move_with_history(
            case,
            table,
            to=initial,
            actor_id=person_of(actor),
            cite=table.procedure.cite,
            says=f"Opened: {table.procedure.title}",
            now=now,
            day=day,
        )
        record(
            actor=actor,
            verb="procedures.case_opened",
            target=case,
            data={
                "procedure": procedure,
                "profile": table.profile.id,
                "profile_version": table.profile.version,
                "stage": initial,
                "cite": table.procedure.cite,
            },
        )
    return case


def _table_or_error(version: ProfileVersion, procedure: str) -> TransitionTable:
    try:
        return table_for(version.text, procedure)
    except KeyError:
        raise ValidationFailed.for_field(
            "procedure",
            f"Profile '{version.profile_id}' version {version.version} has no procedure "
            f"'{procedure}'.",
        ) from None


def _check_parties(table: TransitionTable, raiser: Person, subject: Person | None) -> None:
    errors: list[FieldError] = []
    procedure = table.procedure
    if not raiser.is_active:
        errors.append(FieldError("raiser", "The person raising it is no longer active."))
    elif raiser.kind != procedure.raised_by.value:
        errors.append(
            FieldError("raiser", f"This procedure is raised by {_side(procedure.raised_by)}.")
        )
    if procedure.subject_named_later:
        if subject is not None:
            errors.append(
                FieldError(
                    "subject",
                    f"Leave out who it is about: a later step names the {procedure.about.value} "
                    "(" + _naming_rule(table) + ").",
                )
            )
    elif subject is None:
        errors.append(FieldError("subject", f"Say which {procedure.about.value} it is about."))
    elif subject.pk == raiser.pk:
        errors.append(FieldError("subject", "A case cannot be about the person raising it."))
    elif subject.kind != procedure.about.value:
        errors.append(FieldError("subject", f"This procedure is about {_side(procedure.about)}."))
    if errors:
        raise ValidationFailed("The case could not be opened.", errors)


def _naming_rule(table: TransitionTable) -> str:
    rule = next(t.names_subject for t in table.procedure.transitions if t.names_subject)
    return explain(table.profile, "", rule.cite).reference


def _check_choice(table: TransitionTable, choice: str) -> None:
    if not choice:
        return
    choices = table.handler_choices()
    if not choices:
        raise ValidationFailed.for_field(
            "handler_choice", "This procedure does not let you choose whom to go to first."
        )
    if choice not in {e.text for e in choices}:
        allowed = ", ".join(describe(table.profile, e) for e in choices)
        raise ValidationFailed.for_field("handler_choice", f"Choose one of: {allowed}.")


def _side(side: Side) -> str:
    return "an officer" if side is Side.OFFICER else "a member"
