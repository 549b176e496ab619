from __future__ import annotations

import pytest

from accord.audit.chain import GENESIS_HASH
from accord.audit.selectors import chain_head, stored_events

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("batch_size", [1, 4, 5, 12, 13])
def test_stored_events_reads_every_event_once_in_order_whatever_the_batch_size(chain, batch_size):
    assert [row.seq for row in stored_events(batch_size=batch_size)] == list(range(1, 13))


def test_chain_head_is_the_newest_event(chain):
    assert chain_head() == (chain[-1].seq, chain[-1].hash)


def test_chain_head_of_an_empty_trail_is_genesis():
    assert chain_head() == (0, GENESIS_HASH)
