from __future__ import annotations

from collections.abc import Iterator

import pytest

from accord.audit.models import AuditEvent
from accord.audit.services import record
from accord.audit.tests.tampering import empty_trail


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer.one", password=None)


@pytest.fixture
def chain(officer) -> list[AuditEvent]:
    """A short chain with varied actors, targets and data."""
    events = []
    for n in range(12):
        events.append(
            record(
                actor=officer if n % 3 else None,
                verb=f"test.step{n % 4}",
                target=officer if n % 2 else None,
                data={"n": n, "ratio": n / 7, "note": f"note {n} ✓", "tags": ["a", {"k": n}]},
            )
        )
    return events


@pytest.fixture
def trail_emptied_afterwards() -> Iterator[None]:
    """For a test marked `django_db(transaction=True)`: empties the trail when the test ends,
    before pytest-django flushes the database, since the triggers refuse to flush events."""
    yield
    empty_trail()
