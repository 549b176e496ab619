"""What changed between two profile versions, in plain words with the path of each change."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from accord.profiles.schema import Procedure, Profile

__all__ = ["Change", "ChangeKind", "profile_diff"]


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: str
    description: str

    def __str__(self) -> str:
        return f"{self.kind.value:<8} {self.path}: {self.description}"


def profile_diff(a: Profile, b: Profile) -> list[Change]:
    """Every difference that matters to a case, from `a` (older) to `b` (newer)."""
    changes: list[Change] = []
    for field in ("council", "governance", "version", "supersedes"):
        changes += _compare(field, field, getattr(a, field), getattr(b, field))
    changes += _compare_fields("source", _plain(a.source), _plain(b.source))
    changes += _compare_fields("calendar", _plain(a.calendar) or {}, _plain(b.calendar) or {})
    changes += _compare_maps("roles", "role", _keyed(a.roles), _keyed(b.roles))
    changes += _compare_maps("durations", "duration", a.durations, b.durations)
    changes += _compare_procedures(a.procedures, b.procedures)
    changes += _compare_maps(
        "notification_duties",
        "notification duty",
        {duty.key: duty for duty in a.notification_duties},
        {duty.key: duty for duty in b.notification_duties},
    )
    changes += _compare_maps(
        "information_rules",
        "information rule",
        {rule.key: rule for rule in a.information_rules},
        {rule.key: rule for rule in b.information_rules},
    )
    changes += _compare_maps(
        "silences",
        "stated default",
        {silence.topic: silence for silence in a.silences},
        {silence.topic: silence for silence in b.silences},
    )
    changes += _compare_maps(
        "conflicts",
        "conflict rule",
        {rule.scope: rule for rule in a.conflicts},
        {rule.scope: rule for rule in b.conflicts},
    )
    changes += _compare_maps(
        "uncited",
        "paragraph left out",
        {entry.cite: entry for entry in a.uncited},
        {entry.cite: entry for entry in b.uncited},
    )
    return changes


def _keyed(mapping: Mapping[Any, BaseModel]) -> dict[str, BaseModel]:
    return {str(getattr(key, "value", key)): value for key, value in mapping.items()}


def _compare_procedures(a: Mapping[str, Procedure], b: Mapping[str, Procedure]) -> Iterator[Change]:
    for name in sorted(a.keys() - b.keys()):
        yield Change(ChangeKind.REMOVED, f"procedures.{name}", f"procedure '{name}' removed")
    for name in sorted(b.keys() - a.keys()):
        yield Change(ChangeKind.ADDED, f"procedures.{name}", f"procedure '{name}' added")
    for name in sorted(a.keys() & b.keys()):
        old, new = a[name], b[name]
        path = f"procedures.{name}"
        for field in (
            "title",
            "purpose",
            "cite",
            "raised_by",
            "about",
            "initial",
            "event",
            "reopen",
            "every_ending",
            "shown_to_raiser",
        ):
            yield from _compare(f"{path}.{field}", field, getattr(old, field), getattr(new, field))
        yield from _compare_maps(
            f"{path}.stages",
            "stage",
            {stage.key: stage for stage in old.stages},
            {stage.key: stage for stage in new.stages},
        )
        yield from _compare_maps(
            f"{path}.transitions",
            "transition",
            {f"{t.from_} -> {t.to}": t for t in old.transitions},
            {f"{t.from_} -> {t.to}": t for t in new.transitions},
        )
        yield from _compare_maps(
            f"{path}.outcomes",
            "outcome",
            {outcome.key: outcome for outcome in old.outcomes},
            {outcome.key: outcome for outcome in new.outcomes},
        )


def _compare_maps(
    path: str, noun: str, a: Mapping[str, BaseModel], b: Mapping[str, BaseModel]
) -> Iterator[Change]:
    for key in sorted(a.keys() - b.keys()):
        yield Change(ChangeKind.REMOVED, f"{path}.{key}", f"{noun} '{key}' removed")
    for key in sorted(b.keys() - a.keys()):
        yield Change(ChangeKind.ADDED, f"{path}.{key}", f"{noun} '{key}' added")
    for key in sorted(a.keys() & b.keys()):
        old, new = _plain(a[key]), _plain(b[key])
        if old == new:
            continue
        parts = [
            f"{field} {_show(old.get(field))} -> {_show(new.get(field))}"
            for field in sorted(old.keys() | new.keys())
            if old.get(field) != new.get(field)
        ]
        yield Change(
            ChangeKind.CHANGED, f"{path}.{key}", f"{noun} '{key}' changed: {'; '.join(parts)}"
        )


def _compare_fields(path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for field in sorted(old.keys() | new.keys()):
        yield from _compare(f"{path}.{field}", field, old.get(field), new.get(field))


def _compare(path: str, noun: str, old: Any, new: Any) -> Iterator[Change]:
    before, after = _plain(old), _plain(new)
    if before != after:
        yield Change(ChangeKind.CHANGED, path, f"{noun} {_show(before)} -> {_show(after)}")


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return getattr(value, "value", value)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return str(value)
