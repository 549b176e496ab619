"""What someone with control of the database could do: lift the triggers and rewrite rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from accord.audit.chain import compute_hash
from accord.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table


@contextmanager
def triggers_lifted() -> Iterator[None]:
    """Drop the append-only triggers for the block; DDL is transactional on both databases, so
    they come back even if the block fails."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            triggers = cursor.fetchall()
            assert triggers, "the append-only triggers are missing"
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _, sql in triggers:
                cursor.execute(sql)
        else:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            yield
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")


def empty_trail() -> None:
    """Delete every event with the triggers lifted: what a test that flushes the database must
    do before the flush, which the triggers refuse while the trail holds any event."""
    with triggers_lifted():
        AuditEvent.objects.all().delete()


def rewrite_chain_from(seq: int) -> None:
    """Recompute prev_hash and hash of every event from `seq` on, as a careful forger would."""
    previous = AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").first()
    prev_hash = previous.hash if previous else "0" * 64
    with triggers_lifted():
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            event.prev_hash = prev_hash
            event.hash = compute_hash(event)
            AuditEvent.objects.filter(seq=event.seq).update(
                prev_hash=event.prev_hash, hash=event.hash
            )
            prev_hash = event.hash
