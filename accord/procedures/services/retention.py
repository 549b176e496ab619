"""Retention: deleting each ended case whose outcome's `retain_for` has run out (see
`accord.procedures.retention` for when that is)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accord.audit.services import record
from accord.procedures.models import Case
from accord.procedures.retention import retention_due

__all__ = ["cases_expire"]


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
