"""The one source of "now": tests move it with time-machine, and it is never naive.

`frozen_at` sets the time for the code inside it, in this thread only; the profile scenario
runner uses it to play a case forward through the days without touching the real clock.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_fixed: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "accord_clock", default=None
)


def now() -> dt.datetime:
    return _fixed.get() or timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime.")
    token = _fixed.set(moment)
    try:
        yield
    finally:
        _fixed.reset(token)


def set_frozen(moment: dt.datetime) -> None:
    """Move a clock already frozen by `frozen_at` (the scenario runner's "on" step)."""
    if _fixed.get() is None:
        raise RuntimeError("set_frozen is only for use inside frozen_at.")
    if timezone.is_naive(moment):
        raise ValueError("set_frozen needs an aware datetime.")
    _fixed.set(moment)
