"""Walk the audit chain and say whether it is intact, or exactly where it is not."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from accord.audit.chain import GENESIS_HASH, ChainedEvent, compute_hash
from accord.audit.selectors import DEFAULT_BATCH_SIZE, stored_events


class Problem(enum.StrEnum):
    SEQ_GAP = "seq_gap"
    SEQ_ORDER = "seq_order"
    PREV_HASH_MISMATCH = "prev_hash_mismatch"
    HASH_MISMATCH = "hash_mismatch"
    ANCHOR_MISMATCH = "anchor_mismatch"
    ANCHOR_MISSING = "anchor_missing"


@dataclass(frozen=True)
class Anchor:
    """An event the chain is known to have held, e.g. from a signed checkpoint."""

    seq: int
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: Problem
    message: str


@dataclass(frozen=True)
class VerifyResult:
    count: int
    head_seq: int
    head_hash: str
    first_break: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def summary(self) -> str:
        if self.first_break is None:
            return (
                f"Audit chain intact: {self.count} events, head #{self.head_seq} {self.head_hash}."
            )
        return f"Audit chain broken at event #{self.first_break.seq}: {self.first_break.message}"


def verify_chain(events: Iterable[ChainedEvent], *, anchor: Anchor | None = None) -> VerifyResult:
    """Check `events` (in the order given, meant to be `seq` order) form one unbroken chain.

    Stops at the first bad event. Without an `anchor` the chain cannot tell that its newest
    events were removed (what remains is still a valid chain); with one, it must reach
    `anchor.seq` and hold `anchor.hash` there.
    """
    head_seq, head_hash, count = 0, GENESIS_HASH, 0
    anchor_reached = anchor is None

    def broken(seq: int, problem: Problem, message: str) -> VerifyResult:
        return VerifyResult(count, head_seq, head_hash, ChainBreak(seq, problem, message))

    if anchor is not None and anchor.seq == 0:
        if anchor.hash != GENESIS_HASH:
            return broken(0, Problem.ANCHOR_MISMATCH, "the checkpoint names no valid event.")
        anchor_reached = True

    for event in events:
        expected = head_seq + 1
        if event.seq > expected:
            missing = (
                f"event #{expected} is"
                if event.seq == expected + 1
                else f"events #{expected} to #{event.seq - 1} are"
            )
            return broken(event.seq, Problem.SEQ_GAP, f"{missing} missing before it (deleted).")
        if event.seq < expected:
            return broken(
                event.seq,
                Problem.SEQ_ORDER,
                f"it comes after event #{head_seq} (events were inserted or reordered).",
            )
        if event.prev_hash != head_hash:
            return broken(
                event.seq,
                Problem.PREV_HASH_MISMATCH,
                f"its previous hash does not match event #{head_seq} "
                "(events were deleted, inserted or reordered, or the one before was rewritten).",
            )
        if compute_hash(event) != event.hash:
            return broken(
                event.seq,
                Problem.HASH_MISMATCH,
                "its hash does not match its content (the event was edited).",
            )
        if anchor is not None and event.seq == anchor.seq:
            if event.hash != anchor.hash:
                return broken(
                    event.seq,
                    Problem.ANCHOR_MISMATCH,
                    "its hash differs from the checkpoint's "
                    "(the chain was rewritten up to or after this event).",
                )
            anchor_reached = True
        head_seq, head_hash, count = event.seq, event.hash, count + 1

    if anchor is not None and not anchor_reached:
        return broken(
            head_seq + 1,
            Problem.ANCHOR_MISSING,
            f"the chain ends at event #{head_seq} but the checkpoint names event #{anchor.seq} "
            "(the newest events were deleted).",
        )
    return VerifyResult(count, head_seq, head_hash)


def verify_stored(
    *, anchor: Anchor | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> VerifyResult:
    """Verify the whole stored chain, reading it in batches."""
    return verify_chain(stored_events(batch_size=batch_size), anchor=anchor)
