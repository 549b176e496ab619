from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from accord.audit.models import AuditEvent
from accord.audit.services import record
from accord.audit.tests.tampering import TABLE

pytestmark = pytest.mark.django_db

APPEND_ONLY = "append-only"


@pytest.fixture
def event():
    return record(actor=None, verb="test.kept", data={"n": 1})


def _refused(statement, params):
    with (
        pytest.raises(IntegrityError, match=APPEND_ONLY),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_raw_update_is_refused_by_the_database(event):
    _refused(f"UPDATE {TABLE} SET verb = %s WHERE seq = %s", ["test.forged", event.seq])  # noqa: S608

    assert AuditEvent.objects.get(seq=event.seq).verb == "test.kept"


def test_raw_delete_is_refused_by_the_database(event):
    _refused(f"DELETE FROM {TABLE} WHERE seq = %s", [event.seq])  # noqa: S608

    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_orm_update_is_refused(event):
    with pytest.raises(IntegrityError, match=APPEND_ONLY), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).update(verb="test.forged")

    assert AuditEvent.objects.get(seq=event.seq).verb == "test.kept"


def test_orm_save_of_an_existing_event_is_refused(event):
    event.verb = "test.forged"
    with pytest.raises(IntegrityError, match=APPEND_ONLY), transaction.atomic():
        event.save()

    assert AuditEvent.objects.get(seq=event.seq).verb == "test.kept"


def test_orm_delete_is_refused_for_querysets_and_instances(event):
    with pytest.raises(IntegrityError, match=APPEND_ONLY), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(IntegrityError, match=APPEND_ONLY), transaction.atomic():
        event.delete()

    assert AuditEvent.objects.count() == 1


def test_appending_still_works_after_a_refused_change(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.all().delete()

    nxt = record(actor=None, verb="test.next")

    assert (nxt.seq, nxt.prev_hash) == (event.seq + 1, event.hash)
