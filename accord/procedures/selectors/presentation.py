"""What pages and the API show of a case: where it is, its deadline, its history, the moves
and agreements open to the reader, as its reader may see it. Every deadline and step comes with
its one-line `Explanation`, so a page and the API say the same thing and cite the same
paragraph. What a profile's rules say is `accord.profiles.selectors.presentation`.

Nothing here decides who may see a case: every case handed in has already come through
`accord.procedures.selectors.case_get` or `visible_cases`, and every read of it goes through
the selectors. What is left out is deliberate: the names of the people involved and whatever
was written in a case's records. Domain pages show those to the people entitled to them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from accord.access.actor import Actor, person_of
from accord.core import clock
from accord.directory.models import Person
from accord.procedures.models import Case, CaseConsent, CaseDuty, CaseNotice, CaseTimer
from accord.procedures.pages import case_path
from accord.procedures.resolve import Parties
from accord.procedures.selectors import (
    case_actions,
    case_consents,
    case_handlers,
    case_history,
    case_stand_ins,
    case_table,
    case_timer,
    handler_choices,
    joint_parts,
    listed,
    open_timers,
    open_visit,
)
from accord.procedures.selectors import records_needed as _records_needed
from accord.procedures.table import TransitionTable, gate_of, table_for
from accord.profiles.explain import Explanation, consent_explanation, describe, explain
from accord.profiles.expressions import ExpressionKind, parse_role_expression
from accord.profiles.loader import load_profile
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import Procedure, Transition
from accord.profiles.selectors.presentation import described, joined, record_label, timer_then

__all__ = [
    "Agreement",
    "CaseRow",
    "CaseView",
    "Deadline",
    "DutyDone",
    "Move",
    "NoticeView",
    "Step",
    "case_rows",
    "case_view",
    "duties_done",
    "listed",
    "notice_views",
    "procedure_of",
    "procedures_raisable",
    "record_label",
    "records_needed",
    "start_needs",
]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- Raising a case -------------------------------------------------------------------------


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


def asks_public_day(stored: ProfileVersion, key: str) -> bool:
    """Whether opening a case of procedure `key` asks the day it is made public."""
    return table_for(stored.text, key).asks_public_day()


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
            table.profile,
            f"{'Aim to finish by' if duration.aim else 'Due by'} {_day(timer.due_on)} "
            f"({duration.describe()})",
            timer.cite,
        ),
        then=explain(
            table.profile,
            f"If it is still at this stage after that, {timer_then(table.profile, rules)}",
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


def case_rows(cases: Iterable[Case]) -> list[CaseRow]:
    """One row per case (from `listed`): procedure, where it is, and its deadline."""
    rows = []
    for case in cases:
        table = case_table(case)
        timers = open_timers(case)
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
    # Where the stage moved to lets the mover choose who handles it: whom (id, name).
    handler_choices: list[tuple[int, str]]
    # Where the move sets a new date for the procedure's event.
    sets_event_date: bool
    # Where the move names the case's subject: the role they must hold, and its title.
    names_role: str | None = None
    names_title: str | None = None


@dataclass(frozen=True)
class JointRow:
    """One handler of a joint stage, by role (never by name), and whether they have taken part."""

    role: str
    engaged: bool


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
class DutyDone:
    """A duty carried out on the case, as its handlers are shown it."""

    at: dt.datetime
    duty: str
    status: str  # "done", "late" or "no_one"
    status_label: str
    told: int
    # Whom the duty names, as the profile says (never the people's names: a generic page names
    # no one a case involves).
    tell: list[str]
    explanation: Explanation


@dataclass(frozen=True)
class NoticeView:
    """One notice a person was given under a duty. Without `link`, it names nothing of the
    case: the reader may not see it."""

    at: dt.datetime
    explanation: str
    link: str | None
    unread: bool


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
    event_date: dt.date | None
    event_title: str | None
    history: list[Step]
    actions: list[Move]
    agreements: list[Agreement]
    you_handle: bool
    handling_notes: list[str]
    duties: list[DutyDone]
    joint: list[JointRow] = dataclasses.field(default_factory=list)
    joint_explanation: Explanation | None = None
    you_may_engage: bool = False


def case_view(actor: Actor, case: Case) -> CaseView:
    """The case as `actor` (who can see it) is shown it on the generic case page and API."""
    table = case_table(case)
    profile = table.profile
    reader = person_of(actor)
    stage = table.stages[case.stage]
    handlers = joined(described(profile, stage.handlers), "or")
    handles = reader is not None and reader in case_handlers(case)
    you_handle = handles and case.is_open
    timer = case_timer(case) if case.is_open else None
    outcome = table.outcomes.get(case.outcome) if case.outcome else None
    parts = joint_parts(case) if you_handle else []
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
        event_date=case.event_date,
        event_title=table.procedure.event.title if table.procedure.event else None,
        history=_history(table, case, reader),
        actions=_moves(actor, table, case),
        agreements=_agreements(table, case, reader),
        you_handle=you_handle,
        handling_notes=_handling_notes(case) if you_handle else [],
        duties=duties_done(case) if handles else [],
        joint=[JointRow(describe(profile, p.expression), p.engaged) for p in parts],
        joint_explanation=(
            explain(
                profile,
                "Everyone handling this stage takes part, and records it, before it moves on",
                stage.cite,
            )
            if parts
            else None
        ),
        you_may_engage=any(reader in p.people and not p.engaged for p in parts),
    )


def duties_done(case: Case) -> list[DutyDone]:
    """What the case's duties did: for those handling it, so a duty with no one to tell is
    seen by someone who can act on it."""
    labels = dict(CaseDuty.Status.choices)
    profile = case_table(case).profile
    duties = {duty.key: duty for duty in profile.notification_duties}
    return [
        DutyDone(
            at=row.at,
            duty=row.duty,
            status=row.status,
            status_label=labels[row.status],
            told=row.told,
            tell=described(profile, duties[row.duty].tell) if row.duty in duties else [],
            explanation=explain(profile, row.says, row.cite),
        )
        for row in case.duties.order_by("at", "pk")
    ]


def notice_views(notices: Iterable[CaseNotice]) -> list[NoticeView]:
    """Notices as their reader is shown them (from `selectors.notices_for`)."""
    return [
        NoticeView(
            at=notice.created_at,
            explanation=str(
                explain(case_table(notice.case).profile, notice.duty.says, notice.duty.cite)
            ),
            link=case_path(notice.case) if getattr(notice, "can_open", False) else None,
            unread=notice.read_at is None,
        )
        for notice in notices
    ]


def naming_choices(case: Case, to: str) -> list[tuple[int, str]]:
    """Where the move to `to` names the case's subject, whom it may name: the people holding
    the role today, as (id, label); empty where it names nobody. The directory is not the
    case's content: anyone taking the step may choose from it."""
    from accord.access.roles import people_acting_as
    from accord.core import clock
    from accord.directory.selectors import person_label

    transition = case_table(case).move(case.stage, to)
    if transition is None or transition.names_subject is None:
        return []
    ids = people_acting_as(transition.names_subject.role, on=clock.today())
    people = Person.objects.filter(pk__in=ids, is_active=True).exclude(pk=case.raiser_id)
    return [(p.pk, person_label(p)) for p in people.order_by("family_name", "given_name", "pk")]


def naming_for(case: Case, to: str) -> tuple[str, list[tuple[int, str]]] | None:
    """For the move to `to`: what it names (e.g. "a Lead Member") and whom it may name."""
    table = case_table(case)
    transition = table.move(case.stage, to)
    if transition is None or transition.names_subject is None:
        return None
    title = describe(table.profile, parse_role_expression(transition.names_subject.role.value))
    return title, naming_choices(case, to)


def naming_person(case: Case, to: str, person_id: int | None) -> Person | None:
    """The person chosen for the move to `to`, if they are one `naming_choices` offers."""
    if person_id is None or person_id not in dict(naming_choices(case, to)):
        return None
    return Person.objects.get(pk=person_id)


def records_needed(case: Case, to: str) -> list[str]:
    """What must be written down to move the case to `to` from where it is now."""
    transition = case_table(case).move(case.stage, to)
    return _records_needed(case, transition) if transition is not None else []


def _moves(actor: Actor, table: TransitionTable, case: Case) -> list[Move]:
    moves = []
    for action in case_actions(actor, case):
        transition = table.move(case.stage, action.to)
        naming = transition.names_subject if transition is not None else None
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
                handler_choices=handler_options(
                    table, action.to, Parties(case.raiser, case.subject)
                ),
                sets_event_date=bool(transition and transition.reschedules),
                names_role=naming.role.value if naming else None,
                names_title=(
                    describe(table.profile, parse_role_expression(naming.role.value))
                    if naming
                    else None
                ),
            )
        )
    return moves


def handler_options(
    table: TransitionTable, stage: str, parties: Parties, *, on: dt.date | None = None
) -> list[tuple[int, str]]:
    """Whom someone bringing a case into `stage` may choose to handle it, as (id, name)
    choices; empty where the stage has no such choice."""
    from accord.directory.selectors import person_label

    ids = handler_choices(table, stage, parties, day=on or clock.today())
    people = Person.objects.in_bulk(ids)
    return [(pk, person_label(people[pk])) for pk in ids if pk in people]


@dataclass(frozen=True)
class StartNeeds:
    """What raising a case of a procedure asks for besides its subject."""

    handler_choices: list[tuple[int, str]]
    event_title: str | None


def start_needs(stored: ProfileVersion, procedure: str, raiser: Person) -> StartNeeds:
    """Whom the raiser may choose to handle the first stage, and the event whose date the case
    must carry, for a procedure of `stored`."""
    table = table_for(stored.text, procedure)
    event = table.procedure.event
    return StartNeeds(
        handler_choices=handler_options(table, table.procedure.initial, Parties(raiser, None)),
        event_title=event.title if event is not None else None,
    )


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
    for given in case_consents(case).order_by("given_at", "pk"):
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
    notes = list(case_stand_ins(case).order_by("at", "pk").values_list("explanation", flat=True))
    visit = open_visit(case)
    if visit is not None and visit.arrangement_needed:
        notes.append(f"Nobody here can handle this stage: {visit.arrangement_needed}")
    return notes
