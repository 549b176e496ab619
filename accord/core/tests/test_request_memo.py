"""The request memo keeps a value for one request only, and forgets it at the first write."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accord.audit.services import record
from accord.core.request_memo import forget, remembered, scope


def _counter() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_outside_a_request_nothing_is_kept():
    calls, compute = _counter()
    assert remembered("k", compute) == 1
    assert remembered("k", compute) == 2
    assert len(calls) == 2


def test_within_a_request_each_key_is_worked_out_once():
    calls, compute = _counter()
    with scope():
        assert remembered("k", compute) == 1
        assert remembered("k", compute) == 1
        assert remembered("other", compute) == 2
    assert len(calls) == 2


def test_forgetting_empties_the_memo():
    _calls, compute = _counter()
    with scope():
        remembered("k", compute)
        forget()
        assert remembered("k", compute) == 2


@pytest.mark.django_db
def test_an_audited_write_makes_the_request_forget_what_it_read():
    _calls, compute = _counter()
    with scope():
        remembered("k", compute)
        record(actor=None, verb="test.something_changed")
        assert remembered("k", compute) == 2


def test_every_request_runs_inside_its_own_memo_scope():
    from django.conf import settings

    # Straight after the security headers, so everything a view reads can use it.
    assert settings.MIDDLEWARE[1] == "accord.core.request_memo.RequestMemoMiddleware"
