"""Retention: a case that ended is kept for as long as its outcome's `retain_for` says, then
deleted with everything recorded on it (`accord.procedures.services.retention.cases_expire`).
The audit trail keeps that it was deleted, and when, but never what it held (it never held
that). Nothing is deleted a day early.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accord.core import clock
from accord.procedures.deadlines import due_on
from accord.procedures.models import Case
from accord.procedures.selectors import ended_case_rules, ended_cases
from accord.procedures.table import table_for

__all__ = ["Expiry", "expiry_of", "retention_due"]


@dataclass(frozen=True)
class Expiry:
    case_id: int
    public_id: str
    procedure: str
    outcome: str
    delete_after: dt.date


def expiry_of(case: Case) -> dt.date | None:
    """The last day an ended case is kept, or None if it is open or kept indefinitely."""
    if case.closed_at is None:
        return None
    table = table_for(case.profile_version.text, case.procedure)
    outcome = table.outcomes.get(case.outcome)
    if outcome is None or outcome.retain_for is None:
        return None
    closed_on = timezone.localdate(case.closed_at)
    return due_on(closed_on, table.profile.durations[outcome.retain_for], table.profile)


def retention_due(*, today: dt.date | None = None) -> list[Expiry]:
    """Every ended case whose retention ran out before `today`."""
    day = today or clock.today()
    found: list[Expiry] = []
    for version, procedure in ended_case_rules():
        table = table_for(version.text, procedure)
        kept = [key for key, outcome in table.outcomes.items() if outcome.retain_for]
        if not kept:
            continue
        for case in ended_cases(version, procedure, kept):
            last = expiry_of(case)
            if last is not None and last < day:
                found.append(
                    Expiry(case.pk, str(case.public_id), case.procedure, case.outcome, last)
                )
    return found
