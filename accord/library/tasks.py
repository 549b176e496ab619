"""Background tasks of the library: each calls a service and is safe to run twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from accord.core.scheduling import reschedule, tomorrow_at
from accord.library.services import (
    acknowledgements_request_newcomers,
    import_read,
    version_activate_due,
)


@task()
def activate_due_versions() -> int:
    """Daily, just after midnight: put in force the approved versions whose date has come, ask
    the people who joined since to acknowledge the versions in force, then queue tomorrow's
    run."""
    done = version_activate_due()
    acknowledgements_request_newcomers()
    schedule_activation()
    return len(done)


def schedule_activation() -> None:
    """Queue the next run (00:05 council time) unless one is waiting."""
    reschedule(activate_due_versions, run_after=tomorrow_at(dt.time(0, 5)))


@task()
def read_import(pending_id: int) -> str:
    """Read a large upload for the import page or the API, recording its progress."""
    return import_read(pending_id=pending_id)
