from __future__ import annotations

import pytest
from django.core.management.color import no_style
from django.db import IntegrityError, ProgrammingError, connection, transaction

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


# --- Every other SQL form of change -------------------------------------------------------------

COLUMNS = [field.column for field in AuditEvent._meta.concrete_fields]
ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's SQL")
ON_SQLITE = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's SQL")


def _insert_copy(
    command: str, source: int, suffix: str = "", /, **changes: str | int
) -> tuple[str, list[str | int]]:
    """`<command> INTO` the table a copy of event `source` with `changes`, then `suffix`."""
    select = ", ".join("%s" if column in changes else column for column in COLUMNS)
    params = [changes[column] for column in COLUMNS if column in changes] + [source]
    statement = (
        f"{command} INTO {TABLE} ({', '.join(COLUMNS)}) "  # noqa: S608 - our own table and columns
        f"SELECT {select} FROM {TABLE} WHERE seq = %s {suffix}"
    )
    return statement, params


def _unchanged(events):
    stored = list(AuditEvent.objects.order_by("seq").values_list(*COLUMNS))
    assert stored == [
        tuple(getattr(e, f.attname) for f in AuditEvent._meta.concrete_fields) for e in events
    ]


@pytest.fixture
def events(event):
    return [AuditEvent.objects.get(seq=event.seq), record(actor=None, verb="test.after")]


@ON_SQLITE
@pytest.mark.parametrize("command", ["REPLACE", "INSERT OR REPLACE"])
def test_sqlite_replace_of_an_event_is_refused(events, command):
    _refused(*_insert_copy(command, events[0].seq, verb="test.forged"))

    _unchanged(events)


@ON_SQLITE
@pytest.mark.parametrize("command", ["REPLACE", "INSERT OR REPLACE"])
def test_sqlite_replace_of_an_event_by_an_identical_copy_is_refused(events, command):
    """Putting an event back exactly as it was would otherwise leave no trace at all."""
    _refused(*_insert_copy(command, events[0].seq))

    _unchanged(events)


@ON_SQLITE
@pytest.mark.parametrize("command", ["REPLACE", "INSERT OR REPLACE"])
def test_sqlite_replace_that_collides_only_on_the_hash_is_refused(events, command):
    """A new seq with an old event's hash would make REPLACE delete that old event."""
    _refused(*_insert_copy(command, events[0].seq, seq=events[-1].seq + 1, verb="test.forged"))

    _unchanged(events)


@ON_SQLITE
def test_sqlite_update_or_replace_of_an_event_is_refused(events):
    _refused(
        f"UPDATE OR REPLACE {TABLE} SET seq = %s WHERE seq = %s",  # noqa: S608
        [events[0].seq, events[-1].seq],
    )

    _unchanged(events)


@pytest.mark.parametrize("target", ["seq", "hash"])
def test_upsert_of_an_event_is_refused(events, target):
    suffix = f"ON CONFLICT ({target}) DO UPDATE SET verb = excluded.verb"
    _refused(*_insert_copy("INSERT", events[0].seq, suffix, verb="test.forged"))

    _unchanged(events)


@ON_POSTGRESQL
@pytest.mark.parametrize(
    "action", ["UPDATE SET verb = 'test.forged'", "DELETE"], ids=["update", "delete"]
)
def test_postgresql_merge_into_the_trail_is_refused(events, action):
    _refused(
        f"MERGE INTO {TABLE} AS t USING (SELECT %s::bigint AS seq) AS s ON t.seq = s.seq "
        f"WHEN MATCHED THEN {action}",
        [events[0].seq],
    )

    _unchanged(events)


@ON_POSTGRESQL
@pytest.mark.parametrize("options", ["", "RESTART IDENTITY", "CASCADE"])
def test_postgresql_truncate_of_the_trail_is_refused(events, options):
    _refused(f"TRUNCATE {TABLE} {options}", [])

    _unchanged(events)


def test_djangos_flush_is_refused_while_the_trail_holds_events(events):
    """On PostgreSQL a TRUNCATE, on SQLite a DELETE: refused alike."""
    with pytest.raises(IntegrityError, match=APPEND_ONLY), transaction.atomic():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), [TABLE]))

    _unchanged(events)


def test_djangos_flush_of_an_empty_trail_is_allowed():
    """What lets a test that empties the trail (with the triggers lifted) be flushed after."""
    assert not AuditEvent.objects.exists()

    with transaction.atomic():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), [TABLE]))

    first = record(actor=None, verb="test.first")
    assert first.seq == 1


@pytest.mark.django_db(transaction=True)
def test_a_flushing_test_that_recorded_events_is_flushed_once_the_trail_is_emptied(
    trail_emptied_afterwards,
):
    """The flush after this test is the check: it fails if the emptied trail is refused."""
    record(actor=None, verb="test.committed")

    assert AuditEvent.objects.count() == 1


def test_the_only_unique_columns_are_the_ones_the_insert_check_covers():
    """SQLite's REPLACE deletes whatever row collides on any unique column; the BEFORE INSERT
    trigger looks only at seq and hash, so a new unique column must be added to it."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)

    unique = {tuple(c["columns"]) for c in constraints.values() if c["unique"] or c["primary_key"]}
    assert unique == {("seq",), ("hash",)}


@ON_POSTGRESQL
@pytest.mark.parametrize("command", ["REPLACE", "INSERT OR REPLACE"])
def test_sqlites_replace_is_not_postgresql_sql(events, command):
    with (
        pytest.raises(ProgrammingError, match="syntax error"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(*_insert_copy(command, events[0].seq, verb="test.forged"))

    _unchanged(events)
