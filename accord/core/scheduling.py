"""Recurring tasks: each run queues the next, and never more than one waits.

A recurring task (a sweep, a nightly job) ends by calling `reschedule`. With a backend that cannot
defer (the immediate backend in tests and `make demo` without a worker), nothing is queued: the
command or the next request runs it instead.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings

from accord.core import clock


def reschedule(task: Any, *, run_after: dt.datetime) -> bool:
    """Queue `task` to run after `run_after` unless a run of it is already waiting, so runs never
    pile up however often this is called. Whether one was queued."""
    from django_tasks_db.models import DBTaskResult

    if not task.get_backend().supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()
    if waiting:
        return False
    task.using(run_after=run_after).enqueue()
    return True


def tomorrow_at(time: dt.time) -> dt.datetime:
    """Tomorrow at `time`, council time (for nightly jobs)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(clock.today() + dt.timedelta(days=1), time, tzinfo=zone)
