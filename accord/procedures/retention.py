"""Retention: a case that ended is kept for as long as its outcome's `retain_for` says, then
deleted with everything recorded on it. The audit trail keeps that it was deleted, and when,
but never what it held (it never held that). Nothing is deleted a day early.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accord.audit.services import record
from accord.core import clock
from accord.procedures.deadlines import due_on
from accord.procedures.models import Case
from accord.procedures.table import table_for
from accord.profiles.models import ProfileVersion

__all__ = ["Expiry", "cases_expire", "expiry_of", "retention_due"]


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
    combos = (
        Case.objects.filter(closed_at__isnull=False)
        .order_by()
        .values_list("profile_version_id", "procedure")
        .distinct()
    )
    versions = ProfileVersion.objects.in_bulk({version for version, _ in combos})
    found: list[Expiry] = []
    for version_id, procedure in combos:
        table = table_for(versions[version_id].text, procedure)
        kept = [key for key, outcome in table.outcomes.items() if outcome.retain_for]
        if not kept:
            continue
        ended = Case.objects.filter(
            profile_version_id=version_id, procedure=procedure, outcome__in=kept
        ).select_related("profile_version")
        for case in ended:
            last = expiry_of(case)
            if last is not None and last < day:
                found.append(
                    Expiry(case.pk, str(case.public_id), case.procedure, case.outcome, last)
                )
    return found


def cases_expire(*, today: dt.date | None = None) -> int:
    """Delete every ended case whose retention has run out; one transaction and one audit
    event per case, so a failure part-way leaves each case either whole or gone."""
    deleted = 0
    for expiry in retention_due(today=today):
        with transaction.atomic():
            case = Case.objects.filter(pk=expiry.case_id, closed_at__isnull=False).first()
            if case is None:
                continue  # another worker got there first
            record(
                actor=None,
                verb="procedures.case_expired",
                target=case,
                data={
                    "procedure": expiry.procedure,
                    "outcome": expiry.outcome,
                    "opened_on": timezone.localdate(case.opened_at).isoformat(),
                    "closed_on": timezone.localdate(case.closed_at).isoformat()
                    if case.closed_at
                    else "",
                    "kept_until": expiry.delete_after.isoformat(),
                },
            )
            case.delete()
            deleted += 1
    return deleted
