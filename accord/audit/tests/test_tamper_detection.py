"""The chain names the first edited, deleted, inserted or reordered event.

Mutations are applied to in-memory copies of the rows `stored_events()` reads from the database,
and checked with `verify_chain`: the same reader and verifier `accord audit verify` uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest

from accord.audit.chain import GENESIS_HASH, EventRow, compute_hash
from accord.audit.selectors import stored_events
from accord.audit.verify import Anchor, Problem, verify_chain

pytestmark = pytest.mark.django_db

MUTATIONS = 1_000
SEED = 20261123


@pytest.fixture
def rows(chain) -> list[EventRow]:
    fetched = list(stored_events(batch_size=5))
    assert [row.seq for row in fetched] == list(range(1, len(chain) + 1))
    return fetched


def head_of(rows: list[EventRow]) -> Anchor:
    return Anchor(seq=rows[-1].seq, hash=rows[-1].hash)


def rehashed(row: EventRow, **changes: Any) -> EventRow:
    changed = dataclasses.replace(row, **changes)
    return dataclasses.replace(changed, hash=compute_hash(changed))


def test_an_untouched_chain_verifies_with_its_count_and_head(rows):
    result = verify_chain(rows, anchor=head_of(rows))

    assert result.ok, result.summary()
    assert (result.count, result.head_seq, result.head_hash) == (12, 12, rows[-1].hash)


def test_an_empty_chain_verifies():
    result = verify_chain([], anchor=Anchor(seq=0, hash=GENESIS_HASH))

    assert result.ok
    assert (result.count, result.head_seq, result.head_hash) == (0, 0, GENESIS_HASH)


def test_edited_content_is_a_hash_mismatch_at_that_event(rows):
    rows[4] = dataclasses.replace(rows[4], verb="test.forged")

    result = verify_chain(rows)

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (5, Problem.HASH_MISMATCH)
    assert (result.count, result.head_seq) == (4, 4)
    assert "edited" in result.summary()
    assert "#5" in result.summary()


def test_an_edit_with_a_recomputed_hash_breaks_the_link_to_the_next_event(rows):
    rows[4] = rehashed(rows[4], data={"n": 999})

    result = verify_chain(rows)

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (
        6,
        Problem.PREV_HASH_MISMATCH,
    )


def test_a_deleted_event_is_a_seq_gap(rows):
    del rows[6]

    result = verify_chain(rows)

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (8, Problem.SEQ_GAP)
    assert "event #7 is missing" in result.summary()


def test_an_inserted_event_breaks_the_chain(rows):
    forged = rehashed(rows[3], seq=5, prev_hash=rows[3].hash, verb="test.forged")
    renumbered = [dataclasses.replace(row, seq=row.seq + 1) for row in rows[4:]]

    result = verify_chain([*rows[:4], forged, *renumbered])

    assert result.first_break is not None
    assert result.first_break.seq == 6
    assert result.first_break.problem is Problem.PREV_HASH_MISMATCH


def test_swapped_events_are_detected_at_the_first_of_them(rows):
    rows[2], rows[8] = (
        dataclasses.replace(rows[8], seq=3),
        dataclasses.replace(rows[2], seq=9),
    )

    result = verify_chain(rows)

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (
        3,
        Problem.PREV_HASH_MISMATCH,
    )


def test_rows_out_of_seq_order_are_reported(rows):
    rows[2], rows[3] = rows[3], rows[2]

    result = verify_chain(rows)

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (4, Problem.SEQ_GAP)


def test_a_repeated_seq_is_reported_as_out_of_order(rows):
    result = verify_chain([rows[0], rows[1], rows[1]])

    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (2, Problem.SEQ_ORDER)


def test_deleting_the_newest_events_needs_a_checkpoint_to_be_seen(rows):
    anchor = head_of(rows)
    truncated = rows[:-2]

    assert verify_chain(truncated).ok
    result = verify_chain(truncated, anchor=anchor)
    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (11, Problem.ANCHOR_MISSING)


def test_a_rewritten_chain_is_caught_by_the_checkpoint_hash(rows):
    anchor = head_of(rows)
    rewritten = rows[:5]
    for row in rows[5:]:
        changes = {"verb": "test.forged"} if row.seq == 6 else {}
        rewritten.append(rehashed(row, prev_hash=rewritten[-1].hash, **changes))

    assert verify_chain(rewritten).ok
    result = verify_chain(rewritten, anchor=anchor)
    assert result.first_break is not None
    assert (result.first_break.seq, result.first_break.problem) == (12, Problem.ANCHOR_MISMATCH)


# --- randomised -----------------------------------------------------------------------------

Mutation = Callable[[random.Random, list[EventRow]], int]
"""Changes `rows` in place; returns the index of the earliest original row it touched."""

FORGERIES: dict[str, Callable[[random.Random, EventRow], object]] = {
    "occurred_at": lambda rnd, row: (
        row.occurred_at + dt.timedelta(microseconds=rnd.randint(1, 10**9))
    ),
    "actor_id": lambda rnd, row: rnd.choice([None, 0, 42]) if row.actor_id else rnd.randint(1, 9),
    "actor_label": lambda rnd, row: row.actor_label + rnd.choice(["x", " ", "é"]),
    "verb": lambda rnd, row: rnd.choice(["test.forged", row.verb.upper(), row.verb + "."]),
    "target_type": lambda rnd, row: rnd.choice(["", "concerns.concern", row.target_type + "s"]),
    "target_id": lambda rnd, row: str(rnd.randint(0, 10**6)) + row.target_id,
    "data": lambda rnd, row: {**row.data, rnd.choice(["n", "note", "new"]): rnd.random()},
    "prev_hash": lambda rnd, row: f"{rnd.getrandbits(256):064x}",
    "hash": lambda rnd, row: f"{rnd.getrandbits(256):064x}",
    "seq": lambda rnd, row: row.seq + rnd.choice([-2, -1, 1, 2, 1000]),
}


def _relink_from(rows: list[EventRow], start: int) -> None:
    """A careful forger's last step: recompute every link from `start` to the head."""
    for i in range(max(start, 0), len(rows)):
        prev_hash = rows[i - 1].hash if i else GENESIS_HASH
        rows[i] = rehashed(rows[i], prev_hash=prev_hash)


def edit(rnd: random.Random, rows: list[EventRow]) -> int:
    i = rnd.randrange(len(rows))
    field = rnd.choice(list(FORGERIES))
    value = getattr(rows[i], field)
    while value == getattr(rows[i], field):
        value = FORGERIES[field](rnd, rows[i])
    changed = dataclasses.replace(rows[i], **{field: value})
    if field not in {"hash", "prev_hash"} and rnd.random() < 0.5:
        changed = dataclasses.replace(changed, hash=compute_hash(changed))
    rows[i] = changed
    return i


def delete(rnd: random.Random, rows: list[EventRow]) -> int:
    i = rnd.randrange(len(rows))
    del rows[i]
    if rnd.random() < 0.5:  # close the gap in seq
        for j in range(i, len(rows)):
            rows[j] = dataclasses.replace(rows[j], seq=rows[j].seq - 1)
    return i


def insert(rnd: random.Random, rows: list[EventRow]) -> int:
    """A well-formed forged event placed before an existing one, later events renumbered."""
    i = rnd.randrange(len(rows))
    template = rows[rnd.randrange(len(rows))]
    prev_hash = rows[i - 1].hash if i else GENESIS_HASH
    forged = rehashed(template, seq=rows[i].seq, prev_hash=prev_hash, verb="test.inserted")
    rows.insert(i, forged)
    for j in range(i + 1, len(rows)):
        rows[j] = dataclasses.replace(rows[j], seq=rows[j].seq + 1)
    return i


def reorder(rnd: random.Random, rows: list[EventRow]) -> int:
    """Two events exchange places; each takes the other's seq so seq order still looks right."""
    i, j = sorted(rnd.sample(range(len(rows)), 2))
    a, b = rows[i], rows[j]
    rows[i] = dataclasses.replace(b, seq=a.seq)
    rows[j] = dataclasses.replace(a, seq=b.seq)
    return i


MUTATORS: list[Mutation] = [edit, delete, insert, reorder]


def test_random_tampering_is_always_detected(rows):
    """1,000 random tamperings (1-3 mutations each, sometimes with every later link recomputed)
    are all caught: by the chain alone whenever an untouched event follows the tampering and no
    links were recomputed, and always once the chain is checked against a checkpoint of its
    head."""
    rnd = random.Random(SEED)
    anchor = head_of(rows)
    last = len(rows) - 1
    tried = caught_by_chain_alone = 0
    while tried < MUTATIONS:
        mutated = list(rows)
        applied = [
            (m, m(rnd, mutated)) for m in [rnd.choice(MUTATORS) for _ in range(rnd.randint(1, 3))]
        ]
        earliest = min(i for _, i in applied)
        relinked = rnd.random() < 0.25
        if relinked:
            _relink_from(mutated, earliest)
        if mutated == rows or not mutated:
            continue  # the mutations cancelled out, or removed everything
        tried += 1
        context = f"tampering #{tried} (seed {SEED}) {[(m.__name__, i) for m, i in applied]}"

        with_anchor = verify_chain(mutated, anchor=anchor)
        assert not with_anchor.ok, f"{context} went unnoticed"
        # Every event before the tampering is accepted; with one tampering and no recomputed
        # links, the break is named at the tampered event or the one after it.
        assert with_anchor.count >= earliest, context
        if not relinked and len(applied) == 1:
            assert with_anchor.count <= earliest + 1, context

        alone = verify_chain(mutated)
        if not relinked and earliest < last:
            assert not alone.ok, f"{context} went unnoticed by the chain alone"
        caught_by_chain_alone += not alone.ok

    assert tried == MUTATIONS
    # Sanity check that the run exercised the chain's own checks, not only the checkpoint.
    assert caught_by_chain_alone > MUTATIONS // 2
