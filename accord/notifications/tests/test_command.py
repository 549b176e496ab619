"""`accord notifications list | send | retry ID | schedule`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from accord.audit.models import AuditEvent
from accord.notifications.gateway import FakeGateway
from accord.notifications.models import Notification
from accord.notifications.tests.helpers import person, reminder

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("notifications", *args, stdout=out)
    return out.getvalue().strip()


def test_list_counts_by_status_without_any_content() -> None:
    notification = reminder(person())
    output = _run("list")
    assert output == "1 pending, 0 sending, 0 sent, 0 failed."
    assert notification.personalisation["reason"] not in output


def test_send_sends_what_is_due(fake_gateway: FakeGateway) -> None:
    reminder(person())
    assert _run("send") == "Sent 1 notification."
    assert _run("send") == "Sent 0 notifications."
    assert len(fake_gateway.sent) == 1


def test_retry_puts_a_failed_notification_back_and_is_audited(
    fake_gateway: FakeGateway,
) -> None:
    notification = reminder(person())
    Notification.objects.filter(pk=notification.pk).update(status="failed", attempts=6)
    assert _run("retry", str(notification.pk)) == f"Notification {notification.pk} is queued again."
    assert AuditEvent.objects.filter(verb="notifications.retried").count() == 1
    assert _run("send") == "Sent 1 notification."


def test_retry_refuses_one_that_has_not_failed() -> None:
    notification = reminder(person())
    with pytest.raises(CommandError, match="Only a failed notification"):
        _run("retry", str(notification.pk))
    with pytest.raises(CommandError, match="Not found"):
        _run("retry", "999999")


def test_schedule_queues_one_sweep_however_often_it_is_run() -> None:
    _run("schedule")
    _run("schedule")
    queued = DBTaskResult.objects.filter(task_path="accord.notifications.tasks.sweep_notifications")
    assert queued.count() == 1
