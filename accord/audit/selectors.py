"""Reads of the audit trail."""

from __future__ import annotations

from collections.abc import Iterator

from accord.audit.chain import GENESIS_HASH, ROW_FIELDS, EventRow
from accord.audit.models import AuditEvent

DEFAULT_BATCH_SIZE = 2000


def stored_events(*, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[EventRow]:
    """Every event in `seq` order, read in batches so memory stays constant.

    Keyset pagination (`seq > last`) rather than a long-lived cursor: each batch is a short,
    indexed query, and events appended meanwhile are simply read at the end.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    last_seq = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(seq__gt=last_seq)
            .order_by("seq")
            .values_list(*ROW_FIELDS)[:batch_size]
        )
        for values in batch:
            yield EventRow(*values)
        if len(batch) < batch_size:
            return
        last_seq = batch[-1][0]


def chain_head() -> tuple[int, str]:
    """The newest event's `seq` and hash; `(0, GENESIS_HASH)` while the trail is empty."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, GENESIS_HASH)
