"""Background tasks of the library: each calls a service and is safe to run twice."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django_tasks import task

from accord.core import clock
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
    from django_tasks_db.models import DBTaskResult

    if not activate_due_versions.get_backend().supports_defer:
        return
    waiting = DBTaskResult.objects.filter(
        task_path=activate_due_versions.module_path, status="READY"
    ).exists()
    if not waiting:
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        tomorrow = clock.today() + dt.timedelta(days=1)
        activate_due_versions.using(
            run_after=dt.datetime.combine(tomorrow, dt.time(0, 5), tzinfo=zone)
        ).enqueue()


@task()
def read_import(pending_id: int) -> str:
    """Read a large upload for the import page or the API, recording its progress."""
    return import_read(pending_id=pending_id)
