"""Read a profile from YAML: safe loader only, every problem reported with its path and line."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from accord.profiles.checks import ProfileError, cross_check
from accord.profiles.schema import Profile

__all__ = ["ProfileError", "ProfileInvalid", "load_profile", "text_sha256"]


class ProfileInvalid(Exception):
    """The profile was rejected; `errors` lists every problem found."""

    def __init__(self, errors: Sequence[ProfileError]) -> None:
        self.errors = list(errors)
        count = len(self.errors)
        super().__init__(f"The profile has {count} problem{'' if count == 1 else 's'}.")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# libyaml's safe loader when it is installed (it is with the PyYAML wheels): the same rules,
# several times faster. Never the full loader: a profile cannot construct Python objects.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_profile(source: str | Path) -> Profile:
    """Parse and check a profile given as YAML text, or as a Path to a YAML file."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    return _load_text(text)


@functools.lru_cache(maxsize=32)
def _load_text(text: str) -> Profile:
    # Cached by text: a Profile is frozen, and a stored version's text never changes, so cases,
    # pages and scenarios share one parse. A rejected text raises again each time.
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise ProfileInvalid(
            [ProfileError("", f"this is not valid YAML: {problem}.", line)]
        ) from None
    if not isinstance(data, dict) or root is None:
        raise ProfileInvalid([ProfileError("", "a profile must be a YAML mapping of fields.", 1)])

    duplicates = list(_duplicate_keys(root, ""))
    if duplicates:
        raise ProfileInvalid(duplicates)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileInvalid([_from_pydantic(detail, root) for detail in error.errors()]) from None
    problems = cross_check(profile)
    if problems:
        raise ProfileInvalid(
            [ProfileError(p.path, p.message, line_of(root, p.path)) for p in problems]
        )
    return profile


# -- paths and lines ----------------------------------------------------------------------


def yaml_path(loc: Iterable[int | str]) -> str:
    """("procedures", "x", "stages", 2, "handlers", 0) -> "procedures.x.stages[2].handlers[0]"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":
            path += f".{part}" if path else str(part)
    return path


def _parts(path: str) -> list[int | str]:
    parts: list[int | str] = []
    for piece in path.replace("[", ".[").split("."):
        if not piece:
            continue
        parts.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return parts


def line_of(root: yaml.Node, path: str) -> int | None:
    """The line of the value at `path`, or of the nearest enclosing value that exists."""
    node: yaml.Node = root
    for part in _parts(path):
        child = _child(node, part)
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                # A missing or empty value points at its key, which is where to write it.
                return value if value.value not in ("", None) else key
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if 0 <= part < len(node.value) else None
    return None


def _duplicate_keys(node: yaml.Node, path: str) -> Iterable[ProfileError]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            child = f"{path}.{name}" if path else name
            if name in seen:
                yield ProfileError(
                    child,
                    f"'{name}' is written twice; YAML would silently keep only the second.",
                    int(key.start_mark.line) + 1,
                )
            seen.add(name)
            yield from _duplicate_keys(value, child)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, f"{path}[{index}]")


# -- pydantic's messages in plain words ---------------------------------------------------


def _from_pydantic(detail: ErrorDetails, root: yaml.Node) -> ProfileError:
    loc = list(detail["loc"])
    path = yaml_path(loc)
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) and loc[-1] != "[key]" else ""
    message = _plain(detail, field, is_key=bool(loc) and loc[-1] == "[key]")
    return ProfileError(path, message, line_of(root, path))


def _plain(detail: ErrorDetails, field: str, *, is_key: bool) -> str:
    kind = detail["type"]
    value: Any = detail.get("input")
    if kind == "missing":
        if field == "cite":
            return 'cite is missing: say which paragraph requires this, e.g. cite: "50(c)".'
        return f"{field or 'this field'} is missing."
    if kind == "extra_forbidden":
        return f"'{field}' is not a field the profile format knows; check the spelling."
    if kind == "enum":
        expected = detail.get("ctx", {}).get("expected", "")
        what = "role key" if is_key else "value"
        return f"'{value}' is not a known {what}; use one of {expected}."
    if kind == "string_type":
        return f"must be text; put {value!r} in quotes."
    if kind == "role_expression":
        return detail["msg"]
    return f"{detail['msg']}."
