"""Reopening a case because of a later report, as the procedure's `reopen` rule allows."""

from __future__ import annotations

from django.db import transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import ValidationFailed
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.models import Case
from accord.procedures.selectors import case_get, case_table, people_named
from accord.procedures.services.moving import RECORD_MAX, move_with_history
from accord.profiles.explain import describe, explain

__all__ = ["case_reopen"]


def case_reopen(*, actor: Actor, case: Case, report: str) -> Case:
    """Bring the case to the stage the procedure's `reopen` rule names, because of a later
    report (of pressure or retaliation, say): an ended case opens again, an open one moves
    there from wherever it is. `report` is kept as the history row's record."""
    case = case_get(actor, case.public_id)
    table = case_table(case)
    rule = table.procedure.reopen
    profile = table.profile
    if rule is None:
        raise TransitionNotAllowed(
            explain(profile, "This procedure has no way to reopen a case", table.procedure.cite)
        )
    text = report.strip()
    if not text:
        raise ValidationFailed.for_field("report", f"Say what happened: {rule.about}.")
    if len(text) > RECORD_MAX:
        raise ValidationFailed.for_field("report", f"Keep this under {RECORD_MAX:,} characters.")
    person_id = person_of(actor)
    day = clock.today()
    allowed = any(person_id in people_named(case, e, on=day, as_handler=True) for e in rule.by)
    if person_id is None or not allowed:
        who = ", ".join(describe(profile, e) for e in rule.by)
        raise TransitionNotAllowed(explain(profile, f"Only {who} can report this", rule.cite))
    now = clock.now()
    source = case.stage if case.is_open else case.outcome
    with transaction.atomic():
        move_with_history(
            case,
            table,
            to=rule.to,
            actor_id=person_id,
            cite=rule.cite,
            says=f"Reported: {rule.about} → {table.title_of(rule.to)}",
            now=now,
            day=day,
            records={"report": text},
        )
        record(
            actor=actor,
            verb="procedures.case_reopened",
            target=case,
            data={
                "procedure": case.procedure,
                "profile": profile.id,
                "profile_version": profile.version,
                "from": source,
                "to": rule.to,
                "was_closed": not case.is_open,
                "cite": rule.cite,
            },
        )
    case.refresh_from_db()
    return case
