"""Background tasks: each takes ids, calls a service, and is safe to run twice.

A timer is queued to fire just after its due day ends. If the worker was down then, or the
queue was lost, `sweep_timers` (run by the worker every hour, and by `accord timers sweep`)
finds every overdue timer and fires it; firing twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from accord.core import clock
from accord.core.scheduling import reschedule, tomorrow_at
from accord.procedures.deadlines import overdue_from
from accord.procedures.models import CaseTimer
from accord.procedures.services.timers import timer_fire, timers_sweep

SWEEP_EVERY = dt.timedelta(hours=1)


@task()
def fire_timer(timer_id: int) -> bool:
    return timer_fire(timer_id=timer_id)


@task()
def sweep_timers() -> int:
    fired = timers_sweep()
    schedule_sweep()
    return fired


def schedule_timer(timer: CaseTimer) -> None:
    if not fire_timer.get_backend().supports_defer:
        return  # the sweep will find it
    fire_timer.using(run_after=overdue_from(timer.due_on)).enqueue(timer.pk)


def schedule_sweep() -> None:
    """Queue the next sweep unless one is already waiting, so sweeps never pile up."""
    reschedule(sweep_timers, run_after=clock.now() + SWEEP_EVERY)


EXPIRE_EVERY = dt.timedelta(days=1)


@task()
def expire_cases() -> int:
    """Nightly: delete the ended cases whose retention has run out, then queue tomorrow's run."""
    from accord.procedures.services.retention import cases_expire

    deleted = cases_expire()
    schedule_expiry()
    return deleted


def schedule_expiry() -> None:
    """Queue the next nightly retention run (02:00 council time) unless one is waiting."""
    reschedule(expire_cases, run_after=tomorrow_at(dt.time(2, 0)))
