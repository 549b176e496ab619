"""Opening a case at its procedure's first stage."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import Person
from accord.procedures.models import Case
from accord.procedures.resolve import Parties
from accord.procedures.services.assignment import handler_check
from accord.procedures.services.moving import event_check, move_with_history
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
    public_on: dt.date | None = None,
    handler: Person | None = None,
    event_date: dt.date | None = None,
) -> Case:
    """Open a case at its procedure's first stage, under the profile version in force today
    (or the one given). `actor` may be the raiser or someone recording it on their behalf.

    Where the first stage lets the raiser choose whom to go to, `handler_choice` is the role
    expression they chose (e.g. "monitoring_officer"); left empty, every handler takes it.
    `public_on` is the day the matter is to be made public, where it has one: a duty due
    before then and done later is recorded as late.
    Where it lets them choose one person the handlers name (`choose_handler: person`),
    `handler` is that person, and is required. Where the procedure leads to a dated event,
    `event_date` is its date, which must give the notice the profile asks for."""
    now = clock.now()
    day = clock.today()
    if profile_version is None:
        if profile_id is None:
            raise ValidationFailed.for_field("profile", "Say which council profile to use.")
        profile_version = profile_in_force(profile_id, on=day)
    table = _table_or_error(profile_version, procedure)
    _check_parties(table, raiser, subject)
    _check_choice(table, handler_choice)
    _check_public_day(table, public_on, day)
    initial = table.procedure.initial
    chosen = handler_check(
        table, initial, handler.pk if handler else None, Parties(raiser, subject), day=day
    )
    _check_event(table, event_date, day)
    with transaction.atomic():
        case = Case(
            profile_version=profile_version,
            procedure=procedure,
            raiser=raiser,
            subject=subject,
            stage=initial,
            handler_choice=handler_choice,
            public_on=public_on,
            stage_handler_id=chosen,
            event_date=event_date,
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
            handler=chosen,
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
                **({"handler_chosen": chosen} if chosen is not None else {}),
                **({"event_date": True} if event_date is not None else {}),
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


def _check_public_day(table: TransitionTable, public_on: dt.date | None, today: dt.date) -> None:
    if public_on is None:
        return
    if not table.asks_public_day():
        raise ValidationFailed.for_field(
            "public_on", "This procedure has no day it is made public: leave it out."
        )
    if public_on < today:
        raise ValidationFailed.for_field(
            "public_on", "The day it is made public cannot be in the past."
        )


def _check_event(table: TransitionTable, event_date: dt.date | None, day: dt.date) -> None:
    event = table.procedure.event
    if event is None:
        if event_date is not None:
            raise ValidationFailed.for_field(
                "event_date", "This procedure has no date to give: leave the date out."
            )
        return
    if event_date is None:
        reference = explain(table.profile, "", event.cite).reference
        raise ValidationFailed.for_field(
            "event_date", f"Give the date of {event.title} ({reference})."
        )
    event_check(table, event_date, day)


def _side(side: Side) -> str:
    return "an officer" if side is Side.OFFICER else "a member"
