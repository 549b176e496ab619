"""What pages and the API show of the procedure engine: a profile version's rules, and a case as
its reader may see it. Every rule, deadline and step comes with its one-line `Explanation`, so a
page and the API say the same thing and cite the same paragraph.

Nothing here decides who may see a case: every case handed in has already come through
`accord.procedures.selectors.case_get` or `visible_cases`. What is left out is deliberate: the
names of the people involved and whatever was written in a case's records. Domain pages show
those to the people entitled to them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from accord.core.errors import NotFound
from accord.directory.models import Person
from accord.procedures.models import Case, CaseConsent, CaseStage, CaseStandIn, CaseTimer
from accord.procedures.selectors import (
    case_actions,
    case_handlers,
    case_history,
    case_table,
    case_timer,
    person_of,
)
from accord.procedures.selectors import records_needed as _records_needed
from accord.procedures.table import TransitionTable, gate_of
from accord.profiles.explain import Explanation, consent_explanation, describe, explain
from accord.profiles.expressions import ExpressionKind, RoleExpression
from accord.profiles.loader import load_profile
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import (
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
    "Agreement",
    "CaseRow",
    "CaseView",
    "CouncilRules",
    "Deadline",
    "Move",
    "ProfileRules",
    "Step",
    "case_rows",
    "case_view",
    "council_rules",
    "listed",
    "procedure_of",
    "procedures_raisable",
    "profile_rules",
    "record_label",
    "records_needed",
]


# --- Words ----------------------------------------------------------------------------------


def _joined(words: list[str], last: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def record_label(key: str) -> str:
    """A record's name as a label: `breach_assessment` -> "Breach assessment"."""
    return _capital(key.replace("_", " "))


def _records(keys: Iterable[str]) -> str:
    return _joined([key.replace("_", " ") for key in keys], "and")


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


def _people(profile: Profile, expressions: Iterable[RoleExpression]) -> list[str]:
    return [describe(profile, expression) for expression in expressions]


def _timer_then(profile: Profile, timer: Timer) -> str:
    named = _joined(_people(profile, timer.to), "and")
    if timer.action is TimerAction.ESCALATE:
        brought_in = [e for e in timer.to if e.kind is not ExpressionKind.HANDLERS]
        escalated = _joined(_people(profile, brought_in), "and")
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
    matter: str
    tell: list[str]
    when: str
    explanation: Explanation


@dataclass(frozen=True)
class InformationRules:
    key: str
    summary: str
    applies_to: list[str]
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
                matter=duty.matter.value,
                tell=_people(profile, duty.tell),
                when=duty.when.value,
                explanation=explain(
                    profile,
                    f"About {_MATTER_WORDS[duty.matter]}, tell "
                    f"{_joined(_people(profile, duty.tell), 'and')} {_when(profile, duty)}",
                    duty.cite,
                ),
            )
            for duty in profile.notification_duties
        ],
        information=[
            InformationRules(
                key=rule.key,
                summary=rule.summary,
                applies_to=list(rule.applies_to),
                explanation=explain(profile, rule.summary, rule.cite),
            )
            for rule in profile.information_rules
        ],
        conflicts=[
            ConflictRules(
                role=describe(profile, rule.role),
                alternates=_people(profile, rule.alternates),
                external=rule.external,
                explanation=explain(
                    profile,
                    f"If {describe(profile, rule.role)} has a conflict of interest, "
                    f"{_joined(_people(profile, rule.alternates), 'or, failing them,')} "
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


def _when(profile: Profile, duty: NotificationDuty) -> str:
    if duty.when is NotifyWhen.WITHIN and duty.within in profile.durations:
        return f"within {profile.durations[duty.within].describe()}"
    return {
        NotifyWhen.BEFORE_PUBLIC: "before it is made public",
        NotifyWhen.BEFORE_START: "before it starts",
        NotifyWhen.PROMPTLY: "promptly",
        NotifyWhen.WITHIN: "within the time set",
    }[duty.when]


def _procedure(profile: Profile, key: str, procedure: Procedure) -> ProcedureRules:
    titles = {s.key: s.title for s in procedure.stages} | {
        o.key: o.title for o in procedure.outcomes
    }
    outcomes = {o.key for o in procedure.outcomes}
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
                by=_people(profile, t.by),
                requires_records=list(t.requires_records),
                consent=consent_explanation(profile, t),
                records=(
                    explain(
                        profile,
                        f"Written down when this step is taken: {_records(t.requires_records)}",
                        t.cite,
                    )
                    if t.requires_records
                    else None
                ),
                explanation=explain(
                    profile,
                    f"From '{titles.get(t.from_, t.from_)}' to '{titles.get(t.to, t.to)}': "
                    f"taken by {_joined(_people(profile, t.by), 'or')}",
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
    handlers = _people(profile, stage.handlers)
    viewers = _people(profile, stage.visible_to)
    timer = None
    if stage.timer is not None:
        duration = profile.durations[stage.timer.after]
        timer = TimerRules(
            duration=stage.timer.after,
            duration_words=duration.describe(),
            action=stage.timer.action.value,
            to=_people(profile, stage.timer.to),
            explanation=explain(
                profile,
                f"If the case is still here after {duration.describe()}, "
                f"{_timer_then(profile, stage.timer)}",
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
            profile, f"{stage.title}: handled by {_joined(handlers, 'or')}", stage.cite
        ),
        visibility=explain(
            profile,
            f"While the case is here, only {_joined(viewers, 'and')} can see it",
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


def procedures_raisable(stored: ProfileVersion, person: Person | None) -> list[tuple[str, str]]:
    """(key, title) of each procedure of the profile that `person` may raise: those raised by
    their kind (officer or member)."""
    if person is None or not person.is_active:
        return []
    profile = load_profile(stored.text)
    return [
        (key, procedure.title)
        for key, procedure in profile.procedures.items()
        if procedure.raised_by.value == person.kind
    ]


def procedure_of(stored: ProfileVersion, key: str) -> Procedure | None:
    return load_profile(stored.text).procedures.get(key)


# --- Cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    duration: str
    action: str
    explanation: Explanation
    then: Explanation


def _deadline(table: TransitionTable, stage: str, timer: CaseTimer) -> Deadline | None:
    rules = table.stages[stage].timer
    duration = table.profile.durations.get(timer.duration)
    if rules is None or duration is None:
        return None
    return Deadline(
        due_on=timer.due_on,
        duration=duration.describe(),
        action=timer.action,
        explanation=explain(
            table.profile, f"Due by {_day(timer.due_on)} ({duration.describe()})", timer.cite
        ),
        then=explain(
            table.profile,
            f"If it is still at this stage after that, {_timer_then(table.profile, rules)}",
            timer.cite,
        ),
    )


@dataclass(frozen=True)
class CaseRow:
    public_id: uuid.UUID
    procedure: str
    procedure_title: str
    profile_id: str
    profile_version: int
    is_open: bool
    stage: str
    stage_title: str
    outcome: str | None
    outcome_title: str | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    deadline: Deadline | None


_OPEN_TIMERS = "open_timers"


def listed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A list of visible cases, newest first, with what `case_rows` shows fetched up front."""
    return cases.order_by("-opened_at", "-pk").prefetch_related(
        Prefetch(
            "timers",
            queryset=CaseTimer.objects.filter(
                visit__left_at__isnull=True, fired_at__isnull=True, cancelled_at__isnull=True
            ).order_by("due_on", "pk"),
            to_attr=_OPEN_TIMERS,
        )
    )


def case_rows(cases: Iterable[Case]) -> list[CaseRow]:
    """One row per case (from `listed`): procedure, where it is, and its deadline."""
    rows = []
    for case in cases:
        table = case_table(case)
        timers: list[CaseTimer] = getattr(case, _OPEN_TIMERS, [])
        rows.append(
            CaseRow(
                public_id=case.public_id,
                procedure=case.procedure,
                procedure_title=table.procedure.title,
                profile_id=table.profile.id,
                profile_version=table.profile.version,
                is_open=case.is_open,
                stage=case.stage,
                stage_title=table.title_of(case.stage),
                outcome=case.outcome or None,
                outcome_title=table.title_of(case.outcome) if case.outcome else None,
                opened_at=case.opened_at,
                closed_at=case.closed_at,
                deadline=(
                    _deadline(table, case.stage, timers[0]) if timers and case.is_open else None
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class Step:
    """One move in a case's history. `by_you` is the only word about who made it."""

    at: dt.datetime
    from_stage: str | None
    from_title: str | None
    to: str
    to_title: str
    is_outcome: bool
    by_you: bool
    explanation: Explanation


@dataclass(frozen=True)
class Move:
    """A move the reader may make now."""

    to: str
    title: str
    is_outcome: bool
    requires_records: list[str]
    consent: Explanation | None
    consent_given: bool
    explanation: Explanation


@dataclass(frozen=True)
class Agreement:
    """A step that needs the reader's own agreement, and where that agreement stands."""

    to: str
    to_title: str
    status: str  # "not_given", "given", "withdrawn" or "used"
    given_at: dt.datetime | None
    can_give: bool
    can_withdraw: bool
    explanation: Explanation


@dataclass(frozen=True)
class CaseView:
    public_id: uuid.UUID
    procedure: str
    procedure_title: str
    procedure_explanation: Explanation
    profile_id: str
    profile_version: int
    is_open: bool
    stage: str
    stage_title: str
    stage_explanation: Explanation
    outcome: str | None
    outcome_title: str | None
    outcome_explanation: Explanation | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    deadline: Deadline | None
    history: list[Step]
    actions: list[Move]
    agreements: list[Agreement]
    you_handle: bool
    handling_notes: list[str]


def case_view(actor: Any, case: Case) -> CaseView:
    """The case as `actor` (who can see it) is shown it on the generic case page and API."""
    table = case_table(case)
    profile = table.profile
    reader = person_of(actor)
    stage = table.stages[case.stage]
    handlers = _joined(_people(profile, stage.handlers), "or")
    you_handle = reader is not None and case.is_open and reader in case_handlers(case)
    timer = case_timer(case) if case.is_open else None
    outcome = table.outcomes.get(case.outcome) if case.outcome else None
    return CaseView(
        public_id=case.public_id,
        procedure=case.procedure,
        procedure_title=table.procedure.title,
        procedure_explanation=explain(
            profile, f"Procedure: {table.procedure.title}", table.procedure.cite
        ),
        profile_id=profile.id,
        profile_version=profile.version,
        is_open=case.is_open,
        stage=case.stage,
        stage_title=stage.title,
        stage_explanation=explain(
            profile,
            f"At '{stage.title}', handled by {handlers}"
            if case.is_open
            else f"The last stage was '{stage.title}'",
            stage.cite,
        ),
        outcome=case.outcome or None,
        outcome_title=outcome.title if outcome else None,
        outcome_explanation=(
            explain(profile, f"The case ended: {outcome.title}", outcome.cite) if outcome else None
        ),
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        deadline=_deadline(table, case.stage, timer) if timer else None,
        history=_history(table, case, reader),
        actions=_moves(actor, table, case),
        agreements=_agreements(table, case, reader),
        you_handle=you_handle,
        handling_notes=_handling_notes(case) if you_handle else [],
    )


def records_needed(case: Case, to: str) -> list[str]:
    """What must be written down to move the case to `to` from where it is now."""
    transition = case_table(case).move(case.stage, to)
    return _records_needed(case, transition) if transition is not None else []


def _moves(actor: Any, table: TransitionTable, case: Case) -> list[Move]:
    moves = []
    for action in case_actions(actor, case):
        transition = table.move(case.stage, action.to)
        moves.append(
            Move(
                to=action.to,
                title=action.title,
                is_outcome=action.is_outcome,
                requires_records=action.requires_records,
                consent=(
                    consent_explanation(table.profile, transition)
                    if transition is not None
                    else action.consent
                ),
                consent_given=action.consent_given,
                explanation=action.explanation,
            )
        )
    return moves


def _history(table: TransitionTable, case: Case, reader: int | None) -> list[Step]:
    steps = []
    for row in case_history(case):
        text = (
            f"{table.title_of(row.from_stage)} → {table.title_of(row.to)}"
            if row.from_stage
            else f"Opened: {table.procedure.title}"
        )
        steps.append(
            Step(
                at=row.at,
                from_stage=row.from_stage or None,
                from_title=table.title_of(row.from_stage) if row.from_stage else None,
                to=row.to,
                to_title=table.title_of(row.to),
                is_outcome=row.to in table.outcomes,
                by_you=reader is not None and row.actor_id == reader,
                explanation=explain(table.profile, text, row.cite),
            )
        )
    return steps


def _agreements(table: TransitionTable, case: Case, reader: int | None) -> list[Agreement]:
    """The gated steps whose agreement the reader gives, the way `consent_give` finds them: by
    the step's destination, preferring the gate out of the case's stage."""
    if reader is None:
        return []
    parties = {"raiser": case.raiser_id, "subject": case.subject_id}
    gates: dict[str, Transition] = {}
    for transition in table.procedure.transitions:
        consent = transition.consent
        if consent is None or consent.from_.kind is not ExpressionKind.PARTY:
            continue
        if consent.from_.party is None or parties.get(consent.from_.party.value) != reader:
            continue
        if transition.to not in gates or transition.from_ == case.stage:
            gates[transition.to] = transition
    if not gates:
        return []
    latest: dict[str, CaseConsent] = {}
    for given in CaseConsent.objects.filter(case=case).order_by("given_at", "pk"):
        latest[given.gate] = given
    ahead = table.reachable_from(case.stage) if case.is_open else set()
    found = []
    for to, transition in gates.items():
        row = latest.get(gate_of(transition))
        if row is None:
            status = "not_given"
        elif row.withdrawn_at is not None:
            status = "withdrawn"
        elif row.used_at is not None:
            status = "used"
        else:
            status = "given"
        needed = consent_explanation(table.profile, transition)
        assert needed is not None
        found.append(
            Agreement(
                to=to,
                to_title=table.title_of(to),
                status=status,
                given_at=row.given_at if row is not None and status != "withdrawn" else None,
                can_give=status in {"not_given", "withdrawn"} and transition.from_ in ahead,
                can_withdraw=status == "given" and case.is_open,
                explanation=needed,
            )
        )
    return found


def _handling_notes(case: Case) -> list[str]:
    """Who stands in for whom, and any arrangement the stage still needs: for handlers only."""
    notes = list(
        CaseStandIn.objects.filter(case=case)
        .order_by("at", "pk")
        .values_list("explanation", flat=True)
    )
    visit = CaseStage.objects.filter(case=case, left_at__isnull=True).first()
    if visit is not None and visit.arrangement_needed:
        notes.append(f"Nobody here can handle this stage: {visit.arrangement_needed}")
    return notes
