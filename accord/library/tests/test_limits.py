"""The limits on reading uploads are written once, in `accord.library.parsing.limits`, and the
table in docs/library.md says what they are."""

from __future__ import annotations

import re
from pathlib import Path

from accord.core.limits import BodyLimit, size
from accord.library.parsing import limits

DOCS = Path(__file__).resolve().parents[3] / "docs" / "library.md"
ROW = re.compile(r"^\| .* \| (?P<value>[^|]+) \| `(?P<name>[A-Z_]+)` \|$")


def _shown(name: str, value: float | BodyLimit) -> str:
    if isinstance(value, BodyLimit):
        return f"{size(value.max_bytes)} ({value.max_bytes:,} bytes)"
    if name.endswith("_BYTES"):
        return limits.megabytes(int(value))
    if isinstance(value, float):
        return str(value)
    return limits.number(value)


def test_the_documented_limits_are_the_limits_the_readers_use() -> None:
    documented = {
        found["name"]: found["value"].strip()
        for found in map(ROW.match, DOCS.read_text(encoding="utf-8").splitlines())
        if found
    }
    constants = {name: getattr(limits, name) for name in limits.__all__ if name.isupper()}

    assert set(documented) == set(constants)
    for name, value in constants.items():
        assert documented[name].startswith(_shown(name, value)), (name, documented[name])


def test_each_count_of_work_has_a_limit() -> None:
    assert set(limits.Work().counts()) == set(limits.LIMITS)
