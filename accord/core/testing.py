"""How much a property-based test explores, and the Hypothesis settings profiles behind it.

`ACCORD_PROPERTIES` picks one (the root `conftest.py` loads it; docs/testing.md says when):

- `quick` (the default, `make test`): the same examples on every run, no deadline that
  depends on the machine's speed, and the heaviest tests at their `quick` size;
- `full` (`.ci/run` on PostgreSQL): the same, with every test at its full size;
- `fuzz` (`make fuzz`): new random examples on every run, twenty times the full size, and
  failures kept in `var/hypothesis/` so that the next run tries them first.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

__all__ = ["FUZZ_FACTOR", "PROFILES", "examples", "load_profile", "properties"]

PROFILES = ("quick", "full", "fuzz")
FUZZ_FACTOR = 20
_ROOT = Path(__file__).resolve().parents[2]


def properties() -> str:
    """The settings profile this run uses."""
    chosen = os.environ.get("ACCORD_PROPERTIES", "quick")
    if chosen not in PROFILES:
        raise ValueError(f"ACCORD_PROPERTIES must be one of {', '.join(PROFILES)}, not {chosen!r}.")
    return chosen


def examples(full: int, *, quick: int | None = None) -> int:
    """How many examples a test tries: `full` normally, `quick` (if given) in `make test`,
    and `FUZZ_FACTOR` times `full` in `make fuzz`."""
    chosen = properties()
    if chosen == "fuzz":
        return full * FUZZ_FACTOR
    if chosen == "quick" and quick is not None:
        return quick
    return full


def load_profile() -> None:
    """Register the three profiles and load this run's."""
    steady = settings(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("quick", parent=steady, derandomize=True, database=None)
    settings.register_profile("full", parent=steady, derandomize=True, database=None)
    settings.register_profile(
        "fuzz",
        parent=steady,
        derandomize=False,
        database=DirectoryBasedExampleDatabase(str(_ROOT / "var" / "hypothesis")),
        max_examples=100 * FUZZ_FACTOR,
    )
    settings.load_profile(properties())
