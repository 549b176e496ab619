"""What a profile version's rules say, as the rules pages and the API show them: every
procedure, stage, step, time limit, duty and conflict arrangement with its one-line
`Explanation` and citation, so a page and the API say the same thing and cite the same
paragraph. The words here (`described`, `timer_then`, `record_label`) are the ones the case
pages use too (`accord.procedures.selectors.presentation`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from accord.core.errors import NotFound
from accord.profiles.capabilities import capability
from accord.profiles.explain import Explanation, consent_explanation, describe, explain
from accord.profiles.expressions import ExpressionKind, RoleExpression, parse_role_expression
from accord.profiles.loader import load_profile
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import (
    DutyTrigger,
    InformationRule,
    InformationRuleKind,
    Matter,
    NotificationDuty,
    NotifyWhen,
    Procedure,
    Profile,
    Side,
    Stage,
    Timer,
    TimerAction,
    Transition,
)
from accord.profiles.selectors import council_profile_in_force, profile_versions

__all__ = [
    "ConflictRules",
    "CouncilRules",
    "DurationRules",
    "DutyRules",
    "InformationRules",
    "OutcomeRules",
    "ProcedureRules",
    "ProfileRules",
    "SilenceRules",
    "StageRules",
    "TimerRules",
    "TransitionRules",
    "VersionRow",
    "council_rules",
    "described",
    "joined",
    "profile_rules",
    "record_label",
    "timer_then",
]


# --- Words ----------------------------------------------------------------------------------


def joined(words: list[str], last: str) -> str:
    """The words as in "a, b and c", with `last` as the last joining word."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def record_label(key: str) -> str:
    """A record's name as a label: `breach_assessment` -> "Breach assessment"."""
    return _capital(key.replace("_", " "))


def _records(keys: Iterable[str]) -> str:
    return joined([key.replace("_", " ") for key in keys], "and")


_MATTER_WORDS = {
    Matter.EVENT: "an event",
    Matter.PUBLIC_MEETING: "a public meeting",
    Matter.MEMBER_PUBLIC_MEETING: "a member's own public meeting",
    Matter.CONSULTATION: "a consultation",
    Matter.SENSITIVE_REPORT: "a sensitive report",
    Matter.DELEGATED_DECISION: "a delegated decision",
    Matter.PRESS_APPROACH: "an approach from the press",
    Matter.PARTNERSHIP_ACTION: "action by a partner organisation",
    Matter.FOI_REQUEST: "a controversial freedom of information request",
    Matter.RESIDENT_COMPLAINTS: "significant complaints from residents",
    Matter.OPERATIONAL_MATTER: "an operational change",
    Matter.MAJOR_INCIDENT: "a major incident",
    Matter.OTHER: "another matter",
}
_SIDE_WORDS = {Side.OFFICER: "an officer", Side.MEMBER: "a member"}


def described(profile: Profile, expressions: Iterable[RoleExpression]) -> list[str]:
    """Each expression in the council's own words."""
    return [describe(profile, expression) for expression in expressions]


def timer_then(profile: Profile, timer: Timer) -> str:
    """What happens when the timer runs out: "a reminder goes to …", "it is escalated to …"."""
    named = joined(described(profile, timer.to), "and")
    if timer.action is TimerAction.ESCALATE:
        brought_in = [e for e in timer.to if e.kind is not ExpressionKind.HANDLERS]
        escalated = joined(described(profile, brought_in), "and")
        if len(brought_in) < len(timer.to):
            return (
                f"it is escalated to {escalated}, who may then act on it too, and {named} "
                "are reminded"
            )
        return f"it is escalated to {named}, who may then act on it too"
    return f"a reminder goes to {named}"


# --- A profile version's rules --------------------------------------------------------------


@dataclass(frozen=True)
class TimerRules:
    duration: str
    duration_words: str
    action: str
    to: list[str]
    explanation: Explanation


@dataclass(frozen=True)
class StageRules:
    key: str
    title: str
    is_initial: bool
    handlers: list[str]
    visible_to: list[str]
    no_members: bool
    requires_records: list[str]
    timer: TimerRules | None
    explanation: Explanation
    visibility: Explanation
    members_kept_out: Explanation | None
    records: Explanation | None


@dataclass(frozen=True)
class TransitionRules:
    from_stage: str
    from_title: str
    to: str
    to_title: str
    is_outcome: bool
    by: list[str]
    requires_records: list[str]
    consent: Explanation | None
    records: Explanation | None
    explanation: Explanation


@dataclass(frozen=True)
class OutcomeRules:
    key: str
    title: str
    explanation: Explanation


@dataclass(frozen=True)
class ProcedureRules:
    key: str
    title: str
    raised_by: str
    about: str
    initial: str
    explanation: Explanation
    stages: list[StageRules]
    transitions: list[TransitionRules]
    outcomes: list[OutcomeRules]
    event: Explanation | None = None


@dataclass(frozen=True)
class DurationRules:
    key: str
    name: str
    amount: int
    unit: str
    words: str
    explanation: Explanation


@dataclass(frozen=True)
class DutyRules:
    key: str
    trigger: str
    matter: str
    tell: list[str]
    when: str
    runs: str
    explanation: Explanation


@dataclass(frozen=True)
class InformationRules:
    key: str
    summary: str
    applies_to: list[str]
    kind: str
    runs: str
    explanation: Explanation


@dataclass(frozen=True)
class ConflictRules:
    role: str
    alternates: list[str]
    external: str | None
    explanation: Explanation


@dataclass(frozen=True)
class SilenceRules:
    topic: str
    default: str
    note: str | None


@dataclass(frozen=True)
class ProfileRules:
    profile_id: str
    version: int
    council: str
    governance: str
    source_document: str
    source_title: str
    source_version: str
    in_force_from: dt.date
    supersedes: int | None
    procedures: list[ProcedureRules]
    durations: list[DurationRules]
    duties: list[DutyRules]
    information: list[InformationRules]
    conflicts: list[ConflictRules]
    silences: list[SilenceRules]


def profile_rules(stored: ProfileVersion) -> ProfileRules:
    """Every rule of a stored profile version, each with its explanation and citation."""
    profile = load_profile(stored.text)
    return ProfileRules(
        profile_id=profile.id,
        version=profile.version,
        council=profile.council,
        governance=profile.governance.value,
        source_document=profile.source.document,
        source_title=profile.source.title,
        source_version=profile.source.version,
        in_force_from=profile.source.in_force_from,
        supersedes=profile.supersedes,
        procedures=[_procedure(profile, key, p) for key, p in profile.procedures.items()],
        durations=[
            DurationRules(
                key=key,
                name=record_label(key),
                amount=duration.amount,
                unit=duration.unit.value,
                words=duration.describe(),
                explanation=explain(
                    profile, f"{record_label(key)}: {duration.describe()}", duration.cite
                ),
            )
            for key, duration in profile.durations.items()
        ],
        duties=[
            DutyRules(
                key=duty.key,
                trigger=duty.trigger.value,
                matter=duty.matter.value if duty.matter else "",
                tell=described(profile, duty.tell),
                when=duty.when.value,
                runs=duty_runs(duty),
                explanation=explain(profile, duty_words(profile, duty), duty.cite),
            )
            for duty in profile.notification_duties
        ],
        information=[
            InformationRules(
                key=rule.key,
                summary=rule.summary,
                applies_to=list(rule.applies_to),
                kind=rule.kind.value,
                runs=rule_runs(profile, rule),
                explanation=explain(profile, rule.summary, rule.cite),
            )
            for rule in profile.information_rules
        ],
        conflicts=[
            ConflictRules(
                role=describe(profile, rule.role),
                alternates=described(profile, rule.alternates),
                external=rule.external,
                explanation=explain(
                    profile,
                    f"If {describe(profile, rule.role)} has a conflict of interest"
                    f"{_only_in(profile, rule.procedures)}, "
                    f"{joined(described(profile, rule.alternates), 'or, failing them,')} "
                    "acts instead",
                    rule.cite,
                ),
            )
            for rule in profile.conflicts
        ],
        silences=[
            SilenceRules(topic=s.topic, default=s.default, note=s.note) for s in profile.silences
        ],
    )


def _only_in(profile: Profile, keys: list[str]) -> str:
    if not keys:
        return ""
    titles = [f"'{profile.procedures[k].title}'" for k in keys if k in profile.procedures]
    return f" in {joined(titles, 'or')}"


def duty_words(profile: Profile, duty: NotificationDuty) -> str:
    """The duty in a sentence: when it is set off, whom it tells and what."""
    people = joined(described(profile, duty.tell), "and")
    if not duty.on_case:
        matter = _MATTER_WORDS[duty.matter] if duty.matter else "a matter"
        condition = (
            f", if {duty.only_if[:1].lower()}{duty.only_if[1:].rstrip('.')},"
            if duty.only_if
            else ","
        )
        return f"About {matter}{condition} tell {people} {_when(profile, duty)}"
    event = _event_words(profile, duty)
    says = f": {duty.says.rstrip('.')}" if duty.says else ""
    late = (
        f" ({_when(profile, duty)})"
        if duty.when in (NotifyWhen.BEFORE_PUBLIC, NotifyWhen.PROMPTLY_AND_BEFORE_PUBLIC)
        else ""
    )
    return f"When {event}, tell {people}{late}{says}"


def _event_words(profile: Profile, duty: NotificationDuty) -> str:
    procedure = profile.procedures[duty.procedure or ""]
    titles = {s.key: s.title for s in procedure.stages} | {
        o.key: o.title for o in procedure.outcomes
    }
    name = procedure.title[0].lower() + procedure.title[1:]
    stage = f"'{titles.get(duty.stage or '', duty.stage)}'"
    match duty.trigger:
        case DutyTrigger.CASE_OPENED:
            return f"{name} is raised"
        case DutyTrigger.STAGE_ENTERED:
            return f"{name} reaches {stage}"
        case DutyTrigger.STAGE_LEFT:
            return f"{name} leaves {stage}"
        case DutyTrigger.CONSENT_GIVEN:
            return f"agreement is given for {name} to go to {stage}"
        case DutyTrigger.RECORD_WRITTEN:
            return f"the {record_label(duty.record or '').lower()} is written on {name}"
        case _:
            ending = f"'{titles[duty.outcome]}'" if duty.outcome else "any outcome"
            return f"{name} ends with {ending}"


def duty_runs(duty: NotificationDuty) -> str:
    """Who carries the duty out: Accord, on the event, or a capability still to come."""
    if duty.on_case:
        return "Accord tells them when it happens and records it on the case."
    waiting = capability(duty.deferred_to or "local_notices")
    assert waiting is not None
    return f"Waits for {waiting.title}: until then, people carry it out themselves."


def rule_runs(profile: Profile, rule: InformationRule) -> str:
    if rule.kind is InformationRuleKind.GATE and rule.enforced_by in profile.procedures:
        title = profile.procedures[rule.enforced_by].title
        return f"Accord runs it as a step of '{title}'."
    if rule.kind is InformationRuleKind.DEFERRED and rule.deferred_to:
        waiting = capability(rule.deferred_to)
        if waiting is not None:
            return f"Waits for {waiting.title}: until then, people follow it themselves."
    return "Guidance: people follow it; Accord shows it."


def _when(profile: Profile, duty: NotificationDuty) -> str:
    if duty.when is NotifyWhen.WITHIN and duty.within in profile.durations:
        return f"within {profile.durations[duty.within].describe()}"
    return {
        NotifyWhen.BEFORE_PUBLIC: "before it is made public",
        NotifyWhen.PROMPTLY_AND_BEFORE_PUBLIC: (
            "as soon as reasonably possible, and before it is made public"
        ),
        NotifyWhen.BEFORE_START: "before it starts",
        NotifyWhen.PROMPTLY: "promptly",
        NotifyWhen.WITHIN: "within the time set",
    }[duty.when]


def _procedure(profile: Profile, key: str, procedure: Procedure) -> ProcedureRules:
    titles = {s.key: s.title for s in procedure.stages} | {
        o.key: o.title for o in procedure.outcomes
    }
    outcomes = {o.key for o in procedure.outcomes}
    ending = procedure.every_ending

    def written(t: Transition) -> list[str]:
        extra = ending.requires_records if ending is not None and t.to in outcomes else []
        return list(dict.fromkeys([*t.requires_records, *extra]))

    def naming(t: Transition) -> str:
        if t.names_subject is None:
            return ""
        role = describe(profile, parse_role_expression(t.names_subject.role.value))
        return f"; whoever takes it names {role}, who becomes the person the case is about"

    return ProcedureRules(
        key=key,
        title=procedure.title,
        raised_by=procedure.raised_by.value,
        about=procedure.about.value,
        initial=procedure.initial,
        explanation=explain(
            profile,
            f"{procedure.title}: raised by {_SIDE_WORDS[procedure.raised_by]}, about "
            f"{_SIDE_WORDS[procedure.about]}; it starts at '{titles[procedure.initial]}'",
            procedure.cite,
        ),
        event=(
            explain(
                profile,
                f"Each case gives the date of {procedure.event.title}, with at least "
                f"{profile.durations[procedure.event.notice].describe()}' notice counted back "
                "from it",
                procedure.event.cite,
            )
            if procedure.event is not None
            else None
        ),
        stages=[
            _stage(profile, stage, stage.key == procedure.initial) for stage in procedure.stages
        ],
        transitions=[
            TransitionRules(
                from_stage=t.from_,
                from_title=titles.get(t.from_, t.from_),
                to=t.to,
                to_title=titles.get(t.to, t.to),
                is_outcome=t.to in outcomes,
                by=described(profile, t.by),
                requires_records=written(t),
                consent=consent_explanation(profile, t),
                records=(
                    explain(
                        profile,
                        f"Written down when this step is taken: {_records(written(t))}",
                        t.cite if t.requires_records or ending is None else ending.cite,
                    )
                    if written(t)
                    else None
                ),
                explanation=explain(
                    profile,
                    f"From '{titles.get(t.from_, t.from_)}' to '{titles.get(t.to, t.to)}': "
                    f"taken by {joined(described(profile, t.by), 'or')}{naming(t)}"
                    + (", once the stage's time has run out" if t.after_due else "")
                    + (", with a new date that gives the same notice" if t.reschedules else ""),
                    t.cite,
                ),
            )
            for t in procedure.transitions
        ],
        outcomes=[
            OutcomeRules(
                key=o.key,
                title=o.title,
                explanation=explain(profile, f"The case ends: {o.title}", o.cite),
            )
            for o in procedure.outcomes
        ],
    )


def _stage(profile: Profile, stage: Stage, is_initial: bool) -> StageRules:
    handlers = described(profile, stage.handlers)
    viewers = described(profile, stage.visible_to)
    timer = None
    if stage.timer is not None:
        duration = profile.durations[stage.timer.after]
        timer = TimerRules(
            duration=stage.timer.after,
            duration_words=duration.describe(),
            action=stage.timer.action.value,
            to=described(profile, stage.timer.to),
            explanation=explain(
                profile,
                f"If the case is still here after {duration.describe()}, "
                f"{timer_then(profile, stage.timer)}"
                + (
                    "; if they cannot see the case, "
                    f"{joined(described(profile, stage.timer.remind_without_content), 'and')}"
                    + (" is" if len(stage.timer.remind_without_content) == 1 else " are")
                    + " told only that a matter under this paragraph needs their attention"
                    if stage.timer.remind_without_content
                    else ""
                ),
                stage.timer.cite,
            ),
        )
    return StageRules(
        key=stage.key,
        title=stage.title,
        is_initial=is_initial,
        handlers=handlers,
        visible_to=viewers,
        no_members=stage.no_members,
        requires_records=list(stage.requires_records),
        timer=timer,
        explanation=explain(
            profile,
            f"{stage.title}: handled by one person who is {joined(handlers, 'or')}, chosen by "
            "whoever brings the case here"
            if stage.chooses_person
            else f"{stage.title}: handled by {joined(handlers, 'and')} together; each takes part "
            "before the case moves on"
            if stage.joint
            else f"{stage.title}: handled by {joined(handlers, 'or')}",
            stage.cite,
        ),
        visibility=explain(
            profile,
            f"While the case is here, only {joined(viewers, 'and')} can see it",
            stage.cite,
        ),
        members_kept_out=(
            explain(profile, "No member takes part in or sees this stage", stage.cite)
            if stage.no_members
            else None
        ),
        records=(
            explain(
                profile,
                f"Written down before the case leaves this stage: "
                f"{_records(stage.requires_records)}",
                stage.cite,
            )
            if stage.requires_records
            else None
        ),
    )


@dataclass(frozen=True)
class VersionRow:
    version: int
    source_version: str
    in_force_from: dt.date
    loaded_at: dt.datetime
    sha256: str
    status: str  # "in_force", "superseded" or "not_yet_in_force"


@dataclass(frozen=True)
class CouncilRules:
    profile_id: str
    version: int
    council: str
    source_document: str
    source_title: str
    source_version: str
    in_force_from: dt.date
    versions: list[VersionRow]


def council_rules(*, on: dt.date) -> CouncilRules | None:
    """The council's profile in force on `on`, with every stored version of it; None when the
    council has no profile (or none in force yet)."""
    try:
        stored = council_profile_in_force(on=on)
    except NotFound:
        return None
    profile = load_profile(stored.text)
    versions = []
    for row in profile_versions(stored.profile_id):
        if row.version == stored.version:
            status = "in_force"
        elif row.in_force_from > on or row.version > stored.version:
            status = "not_yet_in_force"
        else:
            status = "superseded"
        versions.append(
            VersionRow(
                version=row.version,
                source_version=row.source_version,
                in_force_from=row.in_force_from,
                loaded_at=row.loaded_at,
                sha256=row.sha256,
                status=status,
            )
        )
    return CouncilRules(
        profile_id=stored.profile_id,
        version=stored.version,
        council=profile.council,
        source_document=profile.source.document,
        source_title=profile.source.title,
        source_version=profile.source.version,
        in_force_from=stored.in_force_from,
        versions=versions,
    )
