"""What every test run shares, whichever folder its tests are in.

- Hypothesis's settings profile (`accord.core.testing`): derandomized in `make test` and CI,
  random in `make fuzz`.
- Property-based tests are marked `property`, so that `make fuzz` can pick them.
- `ACCORD_TEST_ORDER=reverse` runs the test files and tests in reverse order, to show that no
  test depends on another having run first.
- `ACCORD_TEST_TODAY=2027-12-24` runs the tests as if that were the day (the clock still
  ticks), to show that no test depends on the day it runs: a test that needs a date freezes it.
  Browser tests talk to a server on the real clock, so run this with `-m "not browser"`.
- The browser servers' seeded template is dropped when the run ends (`accord/conftest.py`).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine

from accord.core.testing import load_profile

load_profile()


# Fixtures the pages' and the API's tests share, wherever the tests live.
pytest_plugins = ["accord.web.tests.fixtures", "accord.api.tests.fixtures"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        if getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
    order = os.environ.get("ACCORD_TEST_ORDER", "")
    if order == "reverse":
        items.reverse()
    elif order:
        raise pytest.UsageError(f"ACCORD_TEST_ORDER must be 'reverse' or unset, not {order!r}.")


_travel: list[time_machine.travel] = []


def pytest_configure(config: pytest.Config) -> None:
    # Before collection, so that whatever a test module works out when imported sees the day.
    day = os.environ.get("ACCORD_TEST_TODAY", "")
    if day:
        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10, 30), tzinfo=dt.UTC)
        _travel.append(time_machine.travel(moment, tick=True))
        _travel[0].start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    from accord.conftest import drop_run_template

    drop_run_template(session.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _travel:
        _travel.pop().stop()
