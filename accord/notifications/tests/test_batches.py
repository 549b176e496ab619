"""Writing one message to many people at once (`notify_many`): notify's rules, in a few queries."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from accord.audit.models import AuditEvent
from accord.directory.models import Person
from accord.notifications.gateway import FakeGateway
from accord.notifications.models import Notification
from accord.notifications.services import BATCH_SIZE, notify_many
from accord.notifications.tasks import send_notifications
from accord.notifications.tests.helpers import person

pytestmark = pytest.mark.django_db

BATCH_TASK = "accord.notifications.tasks.send_notifications"


def _ask(people: list[Person], prefix: str = "ack:1") -> list[Notification]:
    return notify_many(
        recipients=[(p, f"{prefix}:{p.pk}") for p in people],
        template="protocol_acknowledgement",
        personalisation={},
        link="/protocols/acknowledge/",
    )


def test_each_person_gets_their_own_message_with_their_name_and_address() -> None:
    people = [person(email=f"reader{n}@example.gov.uk") for n in range(3)]

    written = _ask(people)

    assert [n.recipient_id for n in written] == [p.pk for p in people]
    stored = Notification.objects.get(key=f"ack:1:{people[1].pk}")
    assert stored.email == "reader1@example.gov.uk"
    assert stored.status == Notification.Status.PENDING
    assert stored.personalisation == {"name": "Alex Reader", "link": "/protocols/acknowledge/"}


def test_a_key_already_written_is_not_written_again_and_unreachable_people_are_skipped() -> None:
    reachable, again = person(), person()
    _ask([again])

    written = _ask([reachable, again, person(is_active=False), person(email="")])

    assert [n.recipient_id for n in written] == [reachable.pk]
    assert Notification.objects.count() == 2


def test_one_audit_event_records_the_batch_with_its_notifications() -> None:
    written = _ask([person(), person()])

    (event,) = AuditEvent.objects.filter(verb="notifications.queued_batch")
    assert event.data == {
        "template": "protocol_acknowledgement",
        "count": 2,
        "notifications": [n.pk for n in written],
    }
    assert not AuditEvent.objects.filter(verb="notifications.queued").exists()


def test_the_sends_are_queued_as_batches_only_once_the_caller_commits(
    django_capture_on_commit_callbacks,
) -> None:
    people = [person() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        written = _ask(people)
        assert not DBTaskResult.objects.exists()

    (queued,) = DBTaskResult.objects.filter(task_path=BATCH_TASK)
    assert queued.args_kwargs["args"] == [[n.pk for n in written]]


def test_nothing_is_written_or_queued_when_the_caller_rolls_back(
    django_capture_on_commit_callbacks,
) -> None:
    people = [person(), person()]

    def failing_action() -> None:
        with transaction.atomic():
            _ask(people)
            raise RuntimeError("the action failed")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        failing_action()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(verb="notifications.queued_batch").exists()
    assert callbacks == []


def test_the_batch_task_sends_each_message_once_however_often_it_runs(
    fake_gateway: FakeGateway,
) -> None:
    ids = [n.pk for n in _ask([person(), person(), person()])]

    assert send_notifications.call(ids) == 3
    assert send_notifications.call(ids) == 0
    assert len(fake_gateway.sent) == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_the_queries_do_not_grow_with_the_number_of_people() -> None:
    few = [person() for _ in range(3)]
    many = [person() for _ in range(60)]

    with CaptureQueriesContext(connection) as for_few:
        _ask(few, prefix="few")
    with CaptureQueriesContext(connection) as for_many:
        _ask(many, prefix="many")

    assert len(for_many) == len(for_few)
    assert len(many) < BATCH_SIZE


def test_a_mistake_in_the_message_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValueError, match="protocol_acknowledgement takes exactly"):
        notify_many(
            recipients=[(person(), "ack:x")],
            template="protocol_acknowledgement",
            personalisation={"reason": "not a field of this template"},
            link="/protocols/acknowledge/",
        )
    assert not Notification.objects.exists()
