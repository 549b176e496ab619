"""Writing to the outbox: in the caller's transaction, once per key, only to people it can reach."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from accord.audit.models import AuditEvent
from accord.notifications.models import Notification
from accord.notifications.services import notify
from accord.notifications.tests.helpers import person, reminder

pytestmark = pytest.mark.django_db


def test_the_message_is_written_with_the_recipients_address_and_only_what_the_email_says() -> None:
    recipient = person(email="alex.reader@example.gov.uk")
    notification = reminder(recipient)
    assert notification.status == Notification.Status.PENDING
    assert notification.email == "alex.reader@example.gov.uk"
    assert notification.attempts == 0
    assert notification.personalisation == {
        "reason": "The stage was due by 8 June 2026 — Protocol v2026 §6.2",
        "name": "Alex Reader",
        "link": "/cases/0b6f0c5e-0000-4000-8000-000000000000/",
    }
    event = AuditEvent.objects.get(verb="notifications.queued")
    assert event.data == {"template": "case_reminder", "key": "reminder:1:1"}


def test_the_message_rolls_back_with_the_action_that_wrote_it(
    django_capture_on_commit_callbacks,
) -> None:
    recipient = person()

    def failing_action() -> None:
        with transaction.atomic():
            reminder(recipient)
            raise RuntimeError("the action failed")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        failing_action()
    assert not Notification.objects.exists()
    assert callbacks == []


def test_the_send_is_queued_only_once_the_action_commits(
    django_capture_on_commit_callbacks,
) -> None:
    recipient = person()
    with django_capture_on_commit_callbacks(execute=True):
        notification = reminder(recipient)
        assert not DBTaskResult.objects.exists()
    queued = DBTaskResult.objects.get(task_path="accord.notifications.tasks.send_notification")
    assert queued.args_kwargs["args"] == [notification.pk]


def test_writing_the_same_key_twice_writes_one_message(django_capture_on_commit_callbacks) -> None:
    recipient = person()
    with django_capture_on_commit_callbacks() as callbacks:
        first = reminder(recipient, key="reminder:7:3")
        second = reminder(recipient, key="reminder:7:3")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(callbacks) == 1
    assert AuditEvent.objects.filter(verb="notifications.queued").count() == 1


def test_an_inactive_person_is_skipped_without_an_error() -> None:
    assert (
        notify(
            person=person(is_active=False),
            template="concern_update",
            key="concern:1",
            personalisation={},
            link="/cases/x/",
        )
        is None
    )
    assert not Notification.objects.exists()


def test_a_person_without_an_email_address_is_skipped_without_an_error() -> None:
    assert (
        notify(
            person=person(email=""),
            template="concern_update",
            key="concern:1",
            personalisation={},
            link="/cases/x/",
        )
        is None
    )
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("template", "personalisation", "link"),
    [
        ("no_such_template", {}, "/cases/x/"),
        ("case_reminder", {}, "/cases/x/"),
        ("case_reminder", {"reason": "r", "summary": "case content"}, "/cases/x/"),
        ("concern_update", {}, "https://elsewhere.example/"),
        ("concern_update", {}, "//elsewhere.example/"),
    ],
)
def test_a_callers_mistake_is_refused_before_anything_is_written(
    template: str, personalisation: dict[str, str], link: str
) -> None:
    with pytest.raises(ValueError, match=r"."):
        notify(
            person=person(),
            template=template,
            key="k",
            personalisation=personalisation,
            link=link,
        )
    assert not Notification.objects.exists()
