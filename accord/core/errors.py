"""Errors every layer understands.

Services raise these; views turn them into the GOV.UK error summary and the API into
`{"detail": ..., "errors": [{"field": ..., "message": ...}]}`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class AccordError(Exception):
    """Base for errors a person can act on; `detail` is shown to them as written."""

    status_code = 400

    def __init__(self, detail: str, errors: Iterable[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)


class ValidationFailed(AccordError):
    """Input was rejected; nothing was written. Each error names the field it concerns."""

    @classmethod
    def for_field(cls, field: str, message: str) -> ValidationFailed:
        return cls(message, [FieldError(field, message)])


class NotFound(AccordError):
    """Missing, or not visible to the actor: the two must be indistinguishable."""

    status_code = 404

    def __init__(self, detail: str = "Not found.") -> None:
        super().__init__(detail)


class PermissionDenied(AccordError):
    """The actor can see the record but may not do this to it."""

    status_code = 403
