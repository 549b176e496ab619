"""How an audit event is hashed, in a form that survives a database round trip unchanged.

An event's hash is SHA-256 over a canonical JSON array of its content and the previous event's
hash. Verification recomputes it from what the database returns, so everything hashed must come
back byte-for-byte identical on SQLite and PostgreSQL:

- `occurred_at` is hashed as a UTC ISO 8601 string with microseconds (both databases keep
  microseconds; neither keeps the original offset).
- `data` is normalised before it is stored: PostgreSQL's jsonb reorders keys (canonical JSON sorts
  them), rewrites large floats without an exponent (they come back as ints, so they are stored as
  ints), has no negative zero, and refuses NaN, infinities and NUL characters (refused here on
  both databases, so neither accepts what the other would not).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Protocol

GENESIS_HASH = "0" * 64


class ChainedEvent(Protocol):
    """What the verifier needs from an event: an `AuditEvent` or an in-memory `EventRow`."""

    @property
    def seq(self) -> int: ...
    @property
    def occurred_at(self) -> dt.datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_label(self) -> str: ...
    @property
    def verb(self) -> str: ...
    @property
    def target_type(self) -> str: ...
    @property
    def target_id(self) -> str: ...
    @property
    def data(self) -> Any: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EventRow:
    """A stored event as plain values, as the verifier reads it."""

    seq: int
    occurred_at: dt.datetime
    actor_id: int | None
    actor_label: str
    verb: str
    target_type: str
    target_id: str
    data: Any
    prev_hash: str
    hash: str


ROW_FIELDS = tuple(EventRow.__dataclass_fields__)


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def format_timestamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("Audit timestamps must be timezone-aware.")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def normalise_data(data: Any) -> Any:
    """`data` as JSON values that both databases return exactly as given.

    Values JSON cannot hold (dates, decimals, UUIDs) become their `str()`.
    """
    as_json = json.dumps(data, ensure_ascii=False, default=str, allow_nan=True)
    return _normalise(json.loads(as_json))


def _normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {_normalise_text(key): _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, str):
        return _normalise_text(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Audit data cannot hold NaN or infinite numbers.")
        if value == 0:
            return 0.0  # no negative zero in jsonb
        if "e+" in repr(value):
            # Floats this large are whole numbers, and jsonb returns them written out in full:
            # store the integer their shortest decimal form names, as jsonb would.
            return int(decimal.Decimal(repr(value)))
    return value


def _normalise_text(text: str) -> str:
    if "\x00" in text:
        raise ValueError("Audit data cannot hold NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("Audit data must be valid Unicode text.") from error
    return text


def compute_hash(event: ChainedEvent) -> str:
    """The hash `event` should carry, given its content and its `prev_hash`."""
    payload = canonical_json(
        [
            event.seq,
            format_timestamp(event.occurred_at),
            event.actor_id,
            event.actor_label,
            event.verb,
            event.target_type,
            event.target_id,
            event.data,
            event.prev_hash,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
