from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from accord.audit.services import record
from accord.audit.verify import verify_stored

WRITERS = 4
EVENTS_EACH = 15


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot take concurrent writers; "
    "its IMMEDIATE transactions serialise appends instead",
)
def test_concurrent_writers_extend_one_unbroken_chain(trail_emptied_afterwards):
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                with transaction.atomic():
                    record(actor=None, verb="test.concurrent", data={"writer": n, "i": i})
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    result = verify_stored()
    assert result.ok, result.summary()
    assert result.count == WRITERS * EVENTS_EACH
