"""Why the engine refused: each error carries a one-line reason with its citation."""

from __future__ import annotations

from accord.core.errors import AccordError, FieldError
from accord.profiles.explain import Explanation

__all__ = [
    "ConflictOfInterest",
    "ConsentMissing",
    "EngagementMissing",
    "ProcedureRefused",
    "TransitionNotAllowed",
]


class ProcedureRefused(AccordError):
    """The profile's rules do not allow this step now; `explanation` says which rule."""

    status_code = 409
    field = "transition"

    def __init__(self, explanation: Explanation) -> None:
        super().__init__(str(explanation), [FieldError(self.field, str(explanation))])
        self.explanation = explanation


class TransitionNotAllowed(ProcedureRefused):
    """No such move from the case's stage, or the actor is not one of those who may make it."""


class ConsentMissing(ProcedureRefused):
    """The move needs a party's agreement, which has not been given (or was withdrawn)."""

    field = "consent"


class ConflictOfInterest(ProcedureRefused):
    """The actor would be allowed, but has a conflict of interest on this case."""


class EngagementMissing(ProcedureRefused):
    """The stage is handled jointly and someone handling it has not yet engaged with it."""

    field = "engagement"
