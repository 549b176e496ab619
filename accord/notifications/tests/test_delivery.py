"""Sending: exactly once, retried with growing waits, failed for a person to see, recovered
when a worker died mid-send."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed
from accord.notifications import services
from accord.notifications.gateway import FakeGateway
from accord.notifications.models import Notification
from accord.notifications.services import (
    BACKOFF,
    MAX_ATTEMPTS,
    STUCK_AFTER,
    notification_retry,
    notification_send,
    notifications_sweep,
)
from accord.notifications.tests.helpers import person, reminder

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 9, 0, 5, tzinfo=dt.UTC)


@pytest.fixture
def queued() -> Notification:
    with time_machine.travel(T0, tick=False):
        return reminder(person())


def test_a_notification_is_sent_exactly_once_however_often_it_is_asked(
    queued: Notification, fake_gateway: FakeGateway, settings
) -> None:
    settings.ACCORD_BASE_URL = "https://accord.example.gov.uk"
    with time_machine.travel(T0, tick=False):
        assert notification_send(notification_id=queued.pk) is True
        assert notification_send(notification_id=queued.pk) is False
        assert notifications_sweep() == 0
    (message,) = fake_gateway.sent
    assert message.email == queued.email
    assert message.subject == "Something on Accord needs your attention"
    assert message.body == (
        "Dear Alex Reader,\n\n"
        "A case you are named on is due for attention: "
        "The stage was due by 8 June 2026 — Protocol v2026 §6.2.\n\n"
        "Open it: https://accord.example.gov.uk/cases/0b6f0c5e-0000-4000-8000-000000000000/\n"
    )
    assert message.reference == "reminder:1:1"
    queued.refresh_from_db()
    assert queued.status == Notification.Status.SENT
    assert (queued.sent_at, queued.provider_ref, queued.attempts) == (T0, "fake-1", 1)
    event = AuditEvent.objects.get(verb="notifications.sent")
    assert event.data == {"template": "case_reminder", "key": "reminder:1:1"}


def test_a_second_worker_cannot_send_what_the_first_has_claimed(
    queued: Notification, fake_gateway: FakeGateway, monkeypatch
) -> None:
    inner: list[bool] = []
    original = fake_gateway.send

    def send_while_another_worker_asks(**message):
        inner.append(notification_send(notification_id=queued.pk))
        return original(**message)

    monkeypatch.setattr(fake_gateway, "send", send_while_another_worker_asks)
    with time_machine.travel(T0, tick=False):
        assert notification_send(notification_id=queued.pk) is True
    assert inner == [False]
    assert len(fake_gateway.sent) == 1


def test_a_failed_send_is_retried_after_growing_waits_then_marked_failed(
    queued: Notification, fake_gateway: FakeGateway
) -> None:
    fake_gateway.fail_next(MAX_ATTEMPTS)
    moment = T0
    for attempt, wait in enumerate(BACKOFF, start=1):
        with time_machine.travel(moment, tick=False):
            assert notifications_sweep() == 0
        queued.refresh_from_db()
        assert (queued.status, queued.attempts) == (Notification.Status.PENDING, attempt)
        assert queued.next_attempt_at == moment + wait
        assert queued.last_error == "fake gateway told to fail"
        with time_machine.travel(moment + wait - dt.timedelta(seconds=1), tick=False):
            assert notifications_sweep() == 0  # not due yet: nothing is tried
        queued.refresh_from_db()
        assert queued.attempts == attempt
        moment += wait
    with time_machine.travel(moment, tick=False):
        assert notifications_sweep() == 0
        assert notifications_sweep() == 0
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (Notification.Status.FAILED, MAX_ATTEMPTS)
    assert fake_gateway.sent == []
    event = AuditEvent.objects.get(verb="notifications.failed")
    assert event.data == {
        "template": "case_reminder",
        "key": "reminder:1:1",
        "attempts": MAX_ATTEMPTS,
        "error": "fake gateway told to fail",
    }


def test_a_send_that_fails_once_is_sent_on_the_next_try(
    queued: Notification, fake_gateway: FakeGateway
) -> None:
    fake_gateway.fail_next(1)
    with time_machine.travel(T0, tick=False):
        assert notification_send(notification_id=queued.pk) is False
    with time_machine.travel(T0 + BACKOFF[0], tick=False):
        assert notification_send(notification_id=queued.pk) is True
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == ("sent", 2, "")
    assert len(fake_gateway.sent) == 1


def test_an_unexpected_error_is_stored_by_its_kind_only(
    queued: Notification, fake_gateway: FakeGateway, monkeypatch
) -> None:
    def explode(**message):
        raise RuntimeError(f"could not deliver {message['body']}")

    monkeypatch.setattr(fake_gateway, "send", explode)
    with time_machine.travel(T0, tick=False):
        assert notification_send(notification_id=queued.pk) is False
    queued.refresh_from_db()
    assert queued.last_error == "RuntimeError"


def test_a_send_abandoned_by_a_dead_worker_is_recovered_by_the_sweep(
    queued: Notification, fake_gateway: FakeGateway
) -> None:
    # As if a worker claimed it and was killed before the gateway answered.
    Notification.objects.filter(pk=queued.pk).update(status="sending", attempts=1, claimed_at=T0)
    with time_machine.travel(T0 + STUCK_AFTER - dt.timedelta(minutes=1), tick=False):
        assert notifications_sweep() == 0
    with time_machine.travel(T0 + STUCK_AFTER + dt.timedelta(minutes=1), tick=False):
        assert notifications_sweep() == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("sent", 2)
    assert len(fake_gateway.sent) == 1


def test_a_dead_workers_last_allowed_try_is_marked_failed_by_the_sweep(
    queued: Notification, fake_gateway: FakeGateway
) -> None:
    Notification.objects.filter(pk=queued.pk).update(
        status="sending", attempts=MAX_ATTEMPTS, claimed_at=T0
    )
    with time_machine.travel(T0 + STUCK_AFTER + dt.timedelta(minutes=1), tick=False):
        assert notifications_sweep() == 0
    queued.refresh_from_db()
    assert queued.status == "failed"
    assert fake_gateway.sent == []
    assert AuditEvent.objects.filter(verb="notifications.failed").count() == 1


def test_a_failed_notification_can_be_retried_with_fresh_attempts(
    queued: Notification, fake_gateway: FakeGateway
) -> None:
    Notification.objects.filter(pk=queued.pk).update(status="failed", attempts=MAX_ATTEMPTS)
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        retried = notification_retry(actor=None, notification_id=queued.pk)
        assert (retried.status, retried.attempts) == ("pending", 0)
        assert notifications_sweep() == 1
    assert len(fake_gateway.sent) == 1
    assert AuditEvent.objects.get(verb="notifications.retried").data == {
        "template": "case_reminder",
        "key": "reminder:1:1",
    }


def test_only_a_failed_notification_can_be_retried(queued: Notification) -> None:
    with pytest.raises(ValidationFailed):
        notification_retry(actor=None, notification_id=queued.pk)


def test_the_backoff_schedule_is_the_documented_one() -> None:
    minutes = [int(wait.total_seconds() // 60) for wait in services.BACKOFF]
    assert minutes == [1, 5, 30, 120, 720]
    assert MAX_ATTEMPTS == 6
