"""The check every API operation's input passes, once ninja has authenticated and parsed it.

No text sent to the API may hold a control character (nor half of a surrogate pair): it would
reach the audit trail (which refuses NUL), PostgreSQL (which cannot store NUL) or a page or PDF
that cannot show it. Tab, line feed and carriage return are text in a body, which may run over
several lines; in a path or query parameter, which is one line, they are refused too. Each is a
422 naming the field, as for a value of the wrong type (`accord.api.errors`).

It runs after authentication, like ninja's own parsing, so a caller without a working token, or
without the role an endpoint needs, learns nothing from what they sent.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest
from ninja.errors import ValidationError
from pydantic import BaseModel

from accord.core import limits

# The view arguments that hold a whole JSON body (as `accord.api.main` names them).
BODY_PARAMS = frozenset({"payload"})

Loc = tuple[str | int, ...]


def _faults(value: Any, loc: Loc, *, multiline: bool) -> Iterator[tuple[Loc, str]]:
    """(where, why) for each piece of text in `value` holding a character it may not."""
    if isinstance(value, str):
        found = limits.refused_character(value, multiline=multiline)
        if found is not None:
            yield loc, limits.unusable_character(found, multiline=multiline)
    elif isinstance(value, BaseModel):
        yield from _faults(value.model_dump(), loc, multiline=multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            bad = limits.refused_character(key) if isinstance(key, str) else None
            if bad is not None:
                why = limits.unusable_character(bad)
                yield loc, f"A key {why[:1].lower()}{why[1:]}"
            yield from _faults(item, (*loc, key), multiline=multiline)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _faults(item, (*loc, index), multiline=multiline)


def input_faults(request: HttpRequest, values: dict[str, Any]) -> list[dict[str, Any]]:
    """Ninja's error entries for the text in an operation's parsed arguments that may not be."""
    path = set((request.resolver_match.kwargs if request.resolver_match else {}) or {})
    errors: list[dict[str, Any]] = []
    for name, value in values.items():
        if name in BODY_PARAMS:
            found = _faults(value, ("body", name), multiline=True)
        elif isinstance(value, BaseModel):
            # A query model: its fields are the query parameters, by name.
            found = _faults(value, ("query",), multiline=False)
        else:
            found = _faults(value, ("path" if name in path else "query", name), multiline=False)
        errors.extend({"loc": loc, "msg": why, "type": "value_error"} for loc, why in found)
    return errors


def refuse_unusable_characters(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap an operation's view: a 422 naming each field whose text may not be taken."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        errors = input_faults(request, kwargs)
        if errors:
            raise ValidationError(errors)
        return view(request, *args, **kwargs)

    return checked
