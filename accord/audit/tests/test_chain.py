"""What is hashed must come back from either database exactly as it was hashed."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import pytest
import time_machine

from accord.audit.chain import compute_hash, format_timestamp, normalise_data
from accord.audit.models import AuditEvent
from accord.audit.selectors import stored_events
from accord.audit.services import record
from accord.audit.verify import verify_stored

AWKWARD_DATA = {
    "zebra": 1,
    "a": 2,
    "longer key first?": 3,
    "ints": [0, -1, 2**31, 2**53 + 1, 2**63 - 1, -(2**63)],
    "floats": [0.1, 0.30000000000000004, 1e-7, 1234567890123456.7, 1.5, -2.25],
    "large floats": [1e16, 1e20, 1e23, 1.2345678901234568e17, -3e30],
    "negative zero": -0.0,
    "unicode": "Cyngor Sir ✓ — naïve café 日本語 🏛️ \u200b",
    "escapes": 'quote " backslash \\ newline \n tab \t',
    "nested": {"b": [{"y": None, "x": True}], "a": {"": False, "Z": [], "z": {}}},
    "not json": [dt.date(2026, 3, 1), decimal.Decimal("12.50"), uuid.UUID(int=7)],
}


@pytest.mark.django_db
def test_awkward_data_round_trips_so_the_chain_still_verifies():
    event = record(actor=None, verb="test.awkward", data=AWKWARD_DATA)

    stored = AuditEvent.objects.get(seq=event.seq)

    assert stored.data == event.data
    assert compute_hash(stored) == event.hash
    assert verify_stored().ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),  # whole second: no microseconds
        dt.datetime(2026, 10, 25, 1, 30, 0, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 12, 0, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    ],
)
def test_timestamps_round_trip_to_the_microsecond(moment):
    with time_machine.travel(moment, tick=False):
        event = record(actor=None, verb="test.timed")

    (row,) = stored_events()

    assert row.occurred_at == moment
    assert format_timestamp(row.occurred_at) == format_timestamp(event.occurred_at)
    assert compute_hash(row) == event.hash


def test_timestamps_are_hashed_as_utc_with_microseconds():
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    assert format_timestamp(moment) == "2026-01-02T02:04:05.000000+00:00"


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError, match="timezone"):
        format_timestamp(dt.datetime(2026, 1, 2))


def test_normalised_data_is_what_jsonb_would_return():
    assert normalise_data({"big": 1e23, "zero": -0.0, "small": 1e-7}) == {
        "big": 100000000000000000000000,
        "zero": 0.0,
        "small": 1e-7,
    }
    assert normalise_data({1: dt.date(2026, 1, 2)}) == {"1": "2026-01-02"}


@pytest.mark.parametrize(
    "data",
    [
        {"x": float("nan")},
        {"x": [float("inf")]},
        {"x": "nul \x00 char"},
        {"nul \x00 key": 1},
        {"x": "lone surrogate \ud800"},
    ],
)
def test_data_neither_database_can_store_faithfully_is_refused(data):
    with pytest.raises(ValueError, match="Audit data"):
        normalise_data(data)
