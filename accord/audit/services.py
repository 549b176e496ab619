"""The one way anything is written to the audit trail.

Every service calls `record()` inside its own transaction, so the event commits or rolls back
with the change it describes. Appends are serialised (PostgreSQL advisory lock; SQLite's
IMMEDIATE transactions already serialise writers) so two processes never chain from one head.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, models, transaction

from accord.audit.models import AuditEvent
from accord.core import clock

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK = 0x41434344  # "ACCD": an arbitrary, fixed advisory-lock key


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    *,
    seq: int,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    verb: str,
    target_type: str,
    target_id: str,
    data: Any,
    prev_hash: str,
) -> str:
    payload = _canonical(
        [seq, occurred_at, actor_id, actor_label, verb, target_type, target_id, data, prev_hash]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _describe_actor(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "system"
    return int(actor.pk), str(actor.get_username())


def _describe_target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is the signed-in user, or None for the system itself."""
    actor_id, actor_label = _describe_actor(actor)
    target_type, target_id = _describe_target(target)
    # Round-trip through JSON so what is hashed is exactly what the database will return.
    clean_data = json.loads(_canonical(data or {}))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        occurred_at = clock.now()
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=actor_label,
            verb=verb,
            target_type=target_type,
            target_id=target_id,
            data=clean_data,
            prev_hash=prev_hash,
        )
        event.hash = event_hash(
            seq=seq,
            occurred_at=occurred_at.isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            verb=verb,
            target_type=target_type,
            target_id=target_id,
            data=clean_data,
            prev_hash=prev_hash,
        )
        event.save(force_insert=True)
    return event
