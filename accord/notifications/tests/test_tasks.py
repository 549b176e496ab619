"""The worker's tasks: a send queued on commit, a retry deferred to its time, a sweep that
re-queues itself once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from accord.notifications.gateway import FakeGateway
from accord.notifications.models import Notification
from accord.notifications.services import BACKOFF, notification_send
from accord.notifications.tasks import SWEEP_EVERY, send_notification, sweep_notifications
from accord.notifications.tests.helpers import person, reminder

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 9, 9, 0, tzinfo=dt.UTC)
SEND = "accord.notifications.tasks.send_notification"
SWEEP = "accord.notifications.tasks.sweep_notifications"


def test_the_send_task_sends_once(fake_gateway: FakeGateway) -> None:
    notification = reminder(person())
    assert send_notification.call(notification.pk) is True
    assert send_notification.call(notification.pk) is False
    assert len(fake_gateway.sent) == 1


def test_a_retry_is_queued_for_the_time_it_is_due(
    fake_gateway: FakeGateway, django_capture_on_commit_callbacks
) -> None:
    with time_machine.travel(T0, tick=False):
        notification = reminder(person())
        fake_gateway.fail_next(1)
        with django_capture_on_commit_callbacks(execute=True):
            assert notification_send(notification_id=notification.pk) is False
    queued = DBTaskResult.objects.get(task_path=SEND)
    assert queued.args_kwargs["args"] == [notification.pk]
    assert queued.run_after == T0 + BACKOFF[0]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING


def test_the_sweep_sends_what_is_due_and_queues_the_next_sweep_once(
    fake_gateway: FakeGateway,
) -> None:
    with time_machine.travel(T0, tick=False):
        reminder(person())
        assert sweep_notifications.call() == 1
        assert sweep_notifications.call() == 0
    (queued,) = DBTaskResult.objects.filter(task_path=SWEEP)
    assert queued.run_after == T0 + SWEEP_EVERY
    assert len(fake_gateway.sent) == 1
