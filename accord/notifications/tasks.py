"""Background tasks: each takes ids, calls a service, and is safe to run twice.

A notification's send is queued once the transaction that wrote it commits. If that task is
lost, or the backend cannot hold a retry until its time, `sweep_notifications` (run by the
worker every few minutes, and by `accord notifications send`) sends whatever is due.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from accord.core import clock
from accord.core.scheduling import reschedule
from accord.notifications.services import notification_send, notifications_sweep

SWEEP_EVERY = dt.timedelta(minutes=5)


@task()
def send_notification(notification_id: int) -> bool:
    return notification_send(notification_id=notification_id)


@task()
def send_notifications(notification_ids: list[int]) -> int:
    """Send a batch written together (`notify_many`); each send is claimed on its own, so a
    batch run twice, or beside the sweep, sends each message once."""
    return sum(notification_send(notification_id=pk) for pk in notification_ids)


@task()
def sweep_notifications() -> int:
    sent = notifications_sweep()
    schedule_sweep()
    return sent


def schedule_send(notification_id: int, *, at: dt.datetime | None = None) -> None:
    if at is None:
        send_notification.enqueue(notification_id)
    elif send_notification.get_backend().supports_defer:
        send_notification.using(run_after=at).enqueue(notification_id)
    # Otherwise the sweep finds it once it is due.


def schedule_send_batch(notification_ids: list[int]) -> None:
    send_notifications.enqueue(notification_ids)


def schedule_sweep() -> None:
    """Queue the next sweep unless one is already waiting, so sweeps never pile up."""
    reschedule(sweep_notifications, run_after=clock.now() + SWEEP_EVERY)
