"""The shapes of the council's rules as the API answers with them, and of an explanation: a
rule, obligation, deadline or refusal in one line with the paragraph it comes from."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

if TYPE_CHECKING:
    from accord.profiles.explain import Explanation


class ExplanationOut(Schema):
    """A rule, obligation, deadline or refusal in one line, with the paragraph it comes from."""

    text: str = Field(description="What and why, in the council's words.")
    cite: str = Field(description='The paragraph as the profile cites it, e.g. "50(c)".')
    reference: str = Field(description='How the paragraph is named, e.g. "Protocol v2025 §50(c)".')
    profile: str
    profile_version: int
    line: str = Field(description="`text` and `reference` as one line, as the pages show it.")

    @staticmethod
    def resolve_profile(obj: Explanation) -> str:
        return obj.profile_id

    @staticmethod
    def resolve_line(obj: Explanation) -> str:
        return str(obj)


class RulesVersionOut(Schema):
    version: int
    source_version: str
    in_force_from: dt.date
    loaded_at: dt.datetime
    sha256: str
    status: Literal["in_force", "superseded", "not_yet_in_force"]


class RulesInForceOut(Schema):
    profile_id: str
    version: int = Field(description="The version new cases open under today.")
    council: str
    source_document: str
    source_title: str
    source_version: str
    in_force_from: dt.date
    versions: list[RulesVersionOut]


class TimerRulesOut(Schema):
    duration: str
    duration_words: str
    action: Literal["remind", "escalate"]
    to: list[str]
    explanation: ExplanationOut


class StageRulesOut(Schema):
    key: str
    title: str
    is_initial: bool
    handlers: list[str]
    visible_to: list[str]
    no_members: bool
    requires_records: list[str]
    timer: TimerRulesOut | None
    explanation: ExplanationOut
    visibility: ExplanationOut
    members_kept_out: ExplanationOut | None
    records: ExplanationOut | None


class TransitionRulesOut(Schema):
    from_stage: str
    from_title: str
    to: str
    to_title: str
    is_outcome: bool
    by: list[str]
    requires_records: list[str]
    consent: ExplanationOut | None
    records: ExplanationOut | None
    explanation: ExplanationOut


class OutcomeRulesOut(Schema):
    key: str
    title: str
    explanation: ExplanationOut


class ProcedureRulesOut(Schema):
    key: str
    title: str
    raised_by: Literal["officer", "member"]
    about: Literal["officer", "member"]
    initial: str
    explanation: ExplanationOut
    event: ExplanationOut | None = Field(
        default=None, description="The dated event each case gives, and the notice it needs."
    )
    stages: list[StageRulesOut]
    transitions: list[TransitionRulesOut]
    outcomes: list[OutcomeRulesOut]


class DurationRulesOut(Schema):
    key: str
    name: str
    amount: int
    unit: str
    words: str
    explanation: ExplanationOut


class DutyRulesOut(Schema):
    key: str
    trigger: str = Field(description="What sets it off: a case event, or matter_logged.")
    matter: str = Field(description="For a matter logged, its kind; empty for a case event.")
    tell: list[str]
    when: str
    runs: str = Field(description="Whether Accord carries it out, or what it waits for.")
    explanation: ExplanationOut


class InformationRulesOut(Schema):
    key: str
    summary: str
    applies_to: list[str]
    kind: str = Field(description="guidance, gate (a procedure runs it) or deferred.")
    runs: str
    explanation: ExplanationOut


class ConflictRulesOut(Schema):
    role: str
    alternates: list[str]
    external: str | None
    explanation: ExplanationOut


class SilenceOut(Schema):
    topic: str
    default: str = Field(description="What Accord does where the protocol says nothing.")
    note: str | None


class RulesOut(Schema):
    profile_id: str
    version: int
    council: str
    governance: str
    source_document: str
    source_title: str
    source_version: str
    in_force_from: dt.date
    supersedes: int | None
    procedures: list[ProcedureRulesOut]
    durations: list[DurationRulesOut]
    duties: list[DutyRulesOut]
    information: list[InformationRulesOut]
    conflicts: list[ConflictRulesOut]
    silences: list[SilenceOut]
