"""The one way anything is written to the audit trail.

Every service calls `record()` inside its own transaction, so the event commits or rolls back
with the change it describes. Appends are serialised (PostgreSQL advisory lock; SQLite's
IMMEDIATE transactions already serialise writers) so two processes never chain from one head;
even if they did, `seq` is the primary key and one of them would fail rather than fork the chain.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction

from accord.access.actor import Actor, account_of
from accord.audit.chain import GENESIS_HASH, compute_hash, normalise_data
from accord.audit.checkpoint import Checkpoint, create_checkpoint
from accord.audit.models import AuditEvent
from accord.audit.verify import VerifyResult, verify_stored
from accord.core import clock
from accord.core.request_memo import forget

__all__ = ["GENESIS_HASH", "record", "record_read"]

_PG_AUDIT_LOCK = 0x41434344  # "ACCD": an arbitrary, fixed advisory-lock key
_VERB_MAX = AuditEvent._meta.get_field("verb").max_length or 80


def _describe_actor(actor: Actor) -> tuple[int | None, str]:
    account = account_of(actor)
    if account is None:
        return None, "system"
    return account.pk, account.get_username()


def _describe_target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    if target.pk is None:
        raise ValueError("An audit target must be saved before it is recorded.")
    return target._meta.label_lower, str(target.pk)


def record(
    *,
    actor: Actor,
    verb: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is the signed-in user, or None for the system itself.

    `data` must be JSON-like; it is stored normalised (see `accord.audit.chain`).
    """
    if not verb or len(verb) > _VERB_MAX:
        raise ValueError(f"An audit verb must be 1 to {_VERB_MAX} characters.")
    actor_id, actor_label = _describe_actor(actor)
    target_type, target_id = _describe_target(target)
    clean_data = normalise_data(data or {})
    forget()  # whatever this request read before the change may no longer hold
    # No savepoint: if the append fails, the caller's whole transaction must roll back, so an
    # action can never commit without its event.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        event = AuditEvent(
            seq=seq,
            occurred_at=clock.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            verb=verb,
            target_type=target_type,
            target_id=target_id,
            data=clean_data,
            prev_hash=prev_hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def record_read(*, actor: Actor, target: models.Model, reason: str = "") -> AuditEvent:
    """Record that `actor` viewed a confidential record (verb `<model>.viewed`)."""
    return record(
        actor=actor,
        verb=f"{target._meta.model_name}.viewed",
        target=target,
        data={"reason": reason} if reason else {},
    )


def chain_verify(*, actor: Actor) -> VerifyResult:
    """Verify the whole chain, and record that `actor` did and what they found."""
    result = verify_stored()
    brk = result.first_break
    record(
        actor=actor,
        verb="audit.verified",
        data={
            "ok": result.ok,
            "count": result.count,
            "head_seq": result.head_seq,
            "first_break_seq": brk.seq if brk else None,
            "problem": str(brk.problem) if brk else None,
        },
    )
    return result


def checkpoint_export(*, actor: Actor) -> Checkpoint:
    """Sign the chain's current head for keeping elsewhere; the export itself is recorded."""
    with transaction.atomic():
        exported = create_checkpoint()
        record(
            actor=actor,
            verb="audit.checkpoint_exported",
            data={"seq": exported.seq, "hash": exported.hash},
        )
    return exported
