from __future__ import annotations

from pathlib import Path

import pytest

from accord.profiles.loader import ProfileError, ProfileInvalid, load_profile

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLE = DATA / "example.yaml"
LEICESTERSHIRE = DATA / "leicestershire-000.yaml"


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def edited(old: str, new: str, text: str | None = None) -> str:
    """The example with exactly one occurrence of `old` replaced, so a test breaks if it drifts."""
    source = example_text() if text is None else text
    assert source.count(old) == 1, f"expected exactly one {old!r} in the example"
    return source.replace(old, new)


def errors_of(text: str) -> list[ProfileError]:
    with pytest.raises(ProfileInvalid) as caught:
        load_profile(text)
    return caught.value.errors


def only_error(text: str) -> ProfileError:
    errors = errors_of(text)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]
