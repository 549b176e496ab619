"""The transition table of one procedure of one profile version, built once and looked up.

Pure data: nothing here touches the database. The profile was checked when it was stored, so
every transition leads somewhere that exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from accord.profiles.expressions import ExpressionKind, RoleExpression
from accord.profiles.loader import load_profile
from accord.profiles.schema import (
    NotifyWhen,
    Outcome,
    Procedure,
    Profile,
    Stage,
    Transition,
)

__all__ = ["TransitionTable", "gate_of", "table_for"]


def gate_of(transition: Transition) -> str:
    """The name consents are stored under: the move they unlock."""
    return f"{transition.from_}->{transition.to}"


@dataclass(frozen=True)
class TransitionTable:
    profile: Profile
    key: str
    procedure: Procedure
    stages: dict[str, Stage]
    outcomes: dict[str, Outcome]
    moves: dict[tuple[str, str], Transition]

    @classmethod
    def build(cls, profile: Profile, key: str) -> TransitionTable:
        procedure = profile.procedures[key]
        return cls(
            profile=profile,
            key=key,
            procedure=procedure,
            stages={stage.key: stage for stage in procedure.stages},
            outcomes={outcome.key: outcome for outcome in procedure.outcomes},
            moves={(t.from_, t.to): t for t in procedure.transitions},
        )

    def from_stage(self, stage: str) -> list[Transition]:
        return [t for (source, _), t in self.moves.items() if source == stage]

    def reachable_from(self, start: str) -> set[str]:
        """The stages a case at `start` can still get to, `start` included."""
        seen = {start}
        queue = [start]
        while queue:
            for transition in self.from_stage(queue.pop()):
                if transition.to in self.stages and transition.to not in seen:
                    seen.add(transition.to)
                    queue.append(transition.to)
        return seen

    def move(self, source: str, target: str) -> Transition | None:
        return self.moves.get((source, target))

    def title_of(self, key: str) -> str:
        if key in self.stages:
            return self.stages[key].title
        if key in self.outcomes:
            return self.outcomes[key].title
        return key

    def handler_expressions(self, stage: str, chosen: str = "") -> list[RoleExpression]:
        """A stage's handlers; where the raiser chose one of them (`chosen`), only that one."""
        found = self.stages[stage]
        if found.chooses_role and chosen:
            return [e for e in found.handlers if e.text == chosen]
        return list(found.handlers)

    def viewer_expressions(
        self, stage: str, chosen: str = ""
    ) -> Iterator[tuple[RoleExpression, bool]]:
        """Who may see a case at `stage`: each expression, and whether it came from `handlers`
        (a handler who is the subject is never given the case)."""
        found = self.stages[stage]
        for expression in found.visible_to:
            if expression.kind is ExpressionKind.HANDLERS:
                for handler in self.handler_expressions(stage, chosen):
                    yield handler, True
            else:
                yield expression, False

    def handler_choices(self) -> list[RoleExpression]:
        """Whom the person raising a case may choose between for its first stage, if anyone."""
        first = self.stages[self.procedure.initial]
        return list(first.handlers) if first.chooses_role else []

    def chooses_person(self, stage: str) -> bool:
        """Whether whoever brings a case into `stage` chooses the one person who handles it."""
        return stage in self.stages and self.stages[stage].chooses_person

    def asks_public_day(self) -> bool:
        """Whether a case of this procedure needs the day it is made public: some duty on its
        events is due before then."""
        return any(
            duty.on_case
            and duty.procedure == self.key
            and duty.when in (NotifyWhen.BEFORE_PUBLIC, NotifyWhen.PROMPTLY_AND_BEFORE_PUBLIC)
            for duty in self.profile.notification_duties
        )

    def escalation_expressions(self, stage: str) -> list[RoleExpression]:
        timer = self.stages[stage].timer
        if timer is None or timer.action.value != "escalate":
            return []
        return [e for e in timer.to if e.kind is not ExpressionKind.HANDLERS]


@cache
def _table(text: str, key: str) -> TransitionTable:
    return TransitionTable.build(load_profile(text), key)


def table_for(profile_text: str, procedure: str) -> TransitionTable:
    """The table for a stored profile's text (cached: a stored version never changes)."""
    return _table(profile_text, procedure)
