from __future__ import annotations

from accord.directory.models import Person
from accord.directory.tests.factories import PersonFactory
from accord.notifications.models import Notification
from accord.notifications.services import notify


def person(**fields: object) -> Person:
    made = PersonFactory(given_name="Alex", family_name="Reader", **fields)
    assert isinstance(made, Person)
    return made


def reminder(recipient: Person, key: str = "reminder:1:1") -> Notification:
    notification = notify(
        person=recipient,
        template="case_reminder",
        key=key,
        personalisation={"reason": "The stage was due by 8 June 2026 — Protocol v2026 §6.2"},
        link="/cases/0b6f0c5e-0000-4000-8000-000000000000/",
    )
    assert notification is not None
    return notification
