"""Reads of cases, always scoped to the person asking: the access layer for procedures.

Who may see a case is decided in one place, `visible_cases`, as a single filter built from the
profile's `visible_to` rules and the person's standing today. A single case is fetched through
the same filter, so a list, a count and a page can never disagree, and a case the person may not
see is reported exactly as one that does not exist.

Who a rule names for one case (`case_viewers`, `may_act`) is worked out the other way round, by
resolving each role expression against the directory; tests check both directions agree.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from accord.access.actor import Actor, person_of
from accord.core import clock
from accord.core.errors import NotFound
from accord.core.request_memo import remembered
from accord.procedures.conflicts import Conflict, conflict_sources
from accord.procedures.models import (
    Case,
    CaseAlert,
    CaseConsent,
    CaseDuty,
    CaseEngagement,
    CaseEscalation,
    CaseExclusion,
    CaseInvolvement,
    CaseNotice,
    CaseReminder,
    CaseStage,
    CaseStandIn,
    CaseTimer,
    CaseTransition,
)
from accord.procedures.pages import app_page
from accord.procedures.resolve import Parties, Standing, resolve
from accord.procedures.table import TransitionTable, gate_of, table_for
from accord.profiles.explain import Explanation, consent_explanation, explain
from accord.profiles.expressions import ExpressionKind, RoleExpression
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import Transition

__all__ = [
    "Action",
    "JointPart",
    "TimerCounts",
    "alerts_for",
    "app_page",
    "case_actions",
    "case_afresh",
    "case_consents",
    "case_duties",
    "case_get",
    "case_history",
    "case_stand_ins",
    "case_table",
    "case_timer",
    "case_viewers",
    "conflicts_on_case",
    "detail_cases",
    "ended_case_rules",
    "ended_cases",
    "engagements_missing",
    "handler_choices",
    "joint_parts",
    "latest_visit",
    "listed",
    "may_act",
    "notices_for",
    "notices_unread",
    "open_timers",
    "open_visit",
    "people_named",
    "records_needed",
    "reminder_count",
    "reminders_for",
    "timer_counts",
    "visible_cases",
]

_NOTHING = Q(pk__in=[])


def case_table(case: Case) -> TransitionTable:
    return table_for(case.profile_version.text, case.procedure)


def _rules_in_use() -> tuple[list[tuple[int, str]], dict[int, ProfileVersion]]:
    """Each (profile version, procedure) some case runs under, and those versions."""
    # order_by() clears the model's ordering, which would otherwise make DISTINCT per case.
    combos = list(Case.objects.order_by().values_list("profile_version_id", "procedure").distinct())
    return combos, ProfileVersion.objects.in_bulk({version for version, _ in combos})


def _visibility(standing: Standing, *, detail: bool = False) -> Q:
    """The filter for the cases `standing`'s person may see; with `detail`, only those they see
    as the raiser or as someone handling the stage (not as a party told of it, or a viewer)."""
    person_id = standing.person_id
    excluded = Q(Exists(CaseExclusion.objects.filter(case=OuterRef("pk"), person_id=person_id)))
    combos, versions = remembered(("rules_in_use",), _rules_in_use)
    visible = _NOTHING
    for version_id, procedure in combos:
        table = table_for(versions[version_id].text, procedure)
        for stage in table.stages:
            parties = _NOTHING
            others = _NOTHING
            texts: set[str] = set()
            choosable = table.stages[stage].chooses_role
            chosen_person = table.stages[stage].chooses_person
            for expression, from_handlers in table.viewer_expressions(stage):
                if detail and not from_handlers and expression.text != "raiser":
                    continue
                condition = standing.q(expression)
                if expression.kind is ExpressionKind.PARTY:
                    parties |= condition
                    continue
                if from_handlers:
                    condition &= ~Q(subject_id=person_id)
                    if choosable:
                        condition &= Q(handler_choice="") | Q(handler_choice=expression.text)
                    if chosen_person:
                        condition &= Q(stage_handler__isnull=True) | Q(stage_handler_id=person_id)
                others |= condition
                texts.add(expression.text)
            if texts:
                others |= Q(
                    Exists(
                        CaseStandIn.objects.filter(
                            case=OuterRef("pk"), person_id=person_id, expression__in=sorted(texts)
                        )
                    )
                )
            for expression in table.escalation_expressions(stage):
                others |= (
                    Q(
                        Exists(
                            CaseEscalation.objects.filter(
                                case=OuterRef("pk"), visit__stage=stage, expression=expression.text
                            )
                        )
                    )
                    & standing.q(expression)
                    & ~Q(subject_id=person_id)
                )
            # The subject sees a case only where a stage names them as `subject`: never
            # through a role they happen to hold on it (the Director of their own directorate).
            visible |= Q(profile_version_id=version_id, procedure=procedure, stage=stage) & (
                parties | (others & ~excluded & ~Q(subject_id=person_id))
            )
    return visible


def _standing(person_id: int, on: dt.date | None) -> Standing:
    day = on or clock.today()
    return remembered(("standing", person_id, day), lambda: Standing.of(person_id, on=day))


def visible_cases(actor: Actor, *, on: dt.date | None = None) -> QuerySet[Case]:
    """Every case the actor may see today, in one query (plus two to read the rules in use)."""
    person_id = person_of(actor)
    if person_id is None:
        return Case.objects.none()
    standing = _standing(person_id, on)
    return Case.objects.filter(_visibility(standing)).select_related("profile_version")


def detail_cases(actor: Actor, *, on: dt.date | None = None) -> QuerySet[Case]:
    """The cases the actor sees in full: as the one who raised it, or as one handling its stage
    (including stand-ins and escalations). Everyone else who may see a case sees only what the
    raiser agreed to share; a domain app decides what that is."""
    person_id = person_of(actor)
    if person_id is None:
        return Case.objects.none()
    standing = _standing(person_id, on)
    return Case.objects.filter(_visibility(standing, detail=True)).select_related("profile_version")


def case_get(actor: Actor, public_id: uuid.UUID | str) -> Case:
    """One case the actor may see; `NotFound` whether it is missing or hidden from them."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound() from None
    found = visible_cases(actor).filter(public_id=key).first()
    if found is None:
        raise NotFound()
    return found


# --- Who a rule names for one case ---------------------------------------------------------


def _parties(case: Case) -> Parties:
    return Parties(raiser=case.raiser, subject=case.subject)


@dataclass(frozen=True)
class _HandOvers:
    """A case's conflict decisions, read once: who is kept off, who stands in for which rule."""

    excluded: set[int]
    stand_ins: dict[str, list[int]]

    @classmethod
    def of(cls, case: Case) -> _HandOvers:
        stand_ins: dict[str, list[int]] = {}
        for expression, person_id in CaseStandIn.objects.filter(case=case).values_list(
            "expression", "person_id"
        ):
            stand_ins.setdefault(expression, []).append(person_id)
        return cls(excluded_from(case), stand_ins)


def people_named(
    case: Case,
    expression: RoleExpression,
    *,
    on: dt.date,
    as_handler: bool,
    hand_overs: _HandOvers | None = None,
) -> list[int]:
    """Who `expression` names on this case: the people it resolves to, less anyone kept off the
    case for a conflict and less the subject (who is named only as `subject`), plus their
    stand-ins. `as_handler` says the expression came from a stage's handlers."""
    people = resolve(expression, _parties(case), on=on)
    if expression.kind is ExpressionKind.PARTY:
        return people
    known = hand_overs or _HandOvers.of(case)
    kept = [p for p in people if p not in known.excluded and p != case.subject_id]
    kept += [s for s in known.stand_ins.get(expression.text, []) if s not in kept]
    return [p for p in kept if p not in known.excluded]


def excluded_from(case: Case) -> set[int]:
    return set(CaseExclusion.objects.filter(case=case).values_list("person_id", flat=True))


def case_handlers(case: Case, *, on: dt.date | None = None) -> list[int]:
    """Who may act at the case's stage today (its handlers, stand-ins and escalations)."""
    day = on or clock.today()
    table = case_table(case)
    found: list[int] = []
    own = table.handler_expressions(case.stage, case.handler_choice)
    known = _HandOvers.of(case)
    for index, expression in enumerate(own + _escalated(case)):
        people = people_named(case, expression, on=day, as_handler=True, hand_overs=known)
        if index < len(own):
            people = _chosen(case, table, expression, people, known)
        for person in people:
            if person not in found:
                found.append(person)
    return found


def _chosen(
    case: Case,
    table: TransitionTable,
    expression: RoleExpression,
    people: list[int],
    known: _HandOvers,
) -> list[int]:
    """Where whoever brought the case to its stage chose who handles it, only that person (or
    whoever stands in for them) of those one of the stage's handler expressions names."""
    stage = table.stages[case.stage]
    if not stage.chooses_person or case.stage_handler_id is None:
        return people
    if expression.text not in {e.text for e in stage.handlers}:
        return people
    allowed = {case.stage_handler_id, *known.stand_ins.get(expression.text, [])}
    return [p for p in people if p in allowed]


def _escalated(case: Case) -> list[RoleExpression]:
    table = case_table(case)
    texts = set(
        CaseEscalation.objects.filter(case=case, visit__stage=case.stage).values_list(
            "expression", flat=True
        )
    )
    return [e for e in table.escalation_expressions(case.stage) if e.text in texts]


def handler_choices(
    table: TransitionTable, stage: str, parties: Parties, *, day: dt.date
) -> list[int]:
    """Whom whoever brings a case into `stage` may choose to handle it: everyone its handlers
    name that day, except the case's own parties; empty where the stage has no such choice."""
    if not table.chooses_person(stage):
        return []
    party_ids = {parties.raiser.pk} | ({parties.subject.pk} if parties.subject else set())
    found: list[int] = []
    for expression in table.stages[stage].handlers:
        for person in resolve(expression, parties, on=day):
            if person not in party_ids and person not in found:
                found.append(person)
    return found


def case_viewers(case: Case, *, on: dt.date | None = None) -> set[int]:
    """Everyone who may see the case today, worked out by resolving the stage's rules."""
    day = on or clock.today()
    table = case_table(case)
    found: set[int] = set()
    known = _HandOvers.of(case)
    for expression, from_handlers in table.viewer_expressions(case.stage, case.handler_choice):
        people = people_named(case, expression, on=day, as_handler=from_handlers, hand_overs=known)
        found.update(_chosen(case, table, expression, people, known) if from_handlers else people)
    for expression in _escalated(case):
        found.update(people_named(case, expression, on=day, as_handler=True, hand_overs=known))
    return found


def conflicts_on_case(case: Case, person_ids: list[int], *, on: dt.date) -> dict[int, Conflict]:
    """The conflicted people among `person_ids`, each with why: the subject, then whom each
    registered source names (see `accord.procedures.conflicts`), then those recorded as
    involved; one query for each source and one for involvement at most."""
    found: dict[int, Conflict] = {}
    ids = set(person_ids)
    if not ids:
        return found
    if case.subject_id in ids:
        found[case.subject_id] = Conflict(
            case.subject_id, "subject", "is the person the case is about"
        )
    parties = {case.raiser_id} | ({case.subject_id} if case.subject_id else set())
    for source in conflict_sources():
        for person_id, party_id in sorted(source.pairs(ids - parties, parties, on=on)):
            if person_id in found:
                continue
            who = "the person who raised the case" if party_id == case.raiser_id else "its subject"
            found[person_id] = Conflict(person_id, source.reason, source.says.format(party=who))
    involved = CaseInvolvement.objects.filter(case=case, person_id__in=ids).values_list(
        "person_id", flat=True
    )
    for person_id in involved:
        found.setdefault(
            person_id,
            Conflict(
                person_id,
                CaseExclusion.Reason.INVOLVEMENT,
                "was recorded as materially involved in the matter earlier",
            ),
        )
    return found


@dataclass(frozen=True)
class Permission:
    allowed: bool
    conflict: Conflict | None = None


def may_act(
    person_id: int | None, case: Case, transition: Transition, *, on: dt.date | None = None
) -> Permission:
    """Whether the person may make `transition` on the case today, and any conflict stopping
    them. Consent and required records are checked separately, when the move is made."""
    if person_id is None or not case.is_open or case.stage != transition.from_:
        return Permission(False)
    day = on or clock.today()
    table = case_table(case)
    expressions = list(transition.by)
    if table.stages[case.stage].chooses_role and case.handler_choice:
        # The raiser chose whom to go to: the other handlers the stage names take no step.
        passed_over = {e.text for e in table.stages[case.stage].handlers} - {case.handler_choice}
        expressions = [e for e in expressions if e.text not in passed_over]
    handler_texts = {e.text for e in table.handler_expressions(case.stage, case.handler_choice)}
    own = len(expressions)
    if handler_texts & {e.text for e in transition.by}:
        expressions += _escalated(case)
    would_be = False
    known = _HandOvers.of(case)
    for index, expression in enumerate(expressions):
        if expression.kind is ExpressionKind.PARTY:
            if person_id in resolve(expression, _parties(case), on=day):
                return Permission(True)
            continue
        named = people_named(case, expression, on=day, as_handler=True, hand_overs=known)
        if index < own:
            named = _chosen(case, table, expression, named, known)
        if person_id in named:
            return Permission(True)
        if person_id in resolve(expression, _parties(case), on=day):
            would_be = True
    if would_be:
        excluded = CaseExclusion.objects.filter(case=case, person_id=person_id).first()
        if excluded is not None:
            return Permission(False, Conflict(person_id, excluded.reason, excluded.explanation))
        if person_id == case.subject_id:
            return Permission(
                False, Conflict(person_id, "subject", "is the person the case is about")
            )
    return Permission(False)


@dataclass(frozen=True)
class Action:
    """A move the actor may make now, with what it needs."""

    to: str
    title: str
    is_outcome: bool
    cite: str
    requires_records: list[str]
    consent: Explanation | None
    consent_given: bool
    explanation: Explanation


def case_actions(actor: Actor, case: Case, *, on: dt.date | None = None) -> list[Action]:
    """The moves the actor may make on the case today (the case must be visible to them)."""
    person_id = person_of(actor)
    table = case_table(case)
    if not case.is_open:
        return []
    live_gates = set(
        CaseConsent.objects.filter(case=case, withdrawn_at__isnull=True).values_list(
            "gate", flat=True
        )
    )
    found: list[Action] = []
    for transition in table.from_stage(case.stage):
        if not may_act(person_id, case, transition, on=on).allowed:
            continue
        records = records_needed(case, transition)
        consent = consent_explanation(table.profile, transition)
        found.append(
            Action(
                to=transition.to,
                title=table.title_of(transition.to),
                is_outcome=transition.to in table.outcomes,
                cite=transition.cite,
                requires_records=records,
                consent=consent,
                consent_given=gate_of(transition) in live_gates,
                explanation=explain(
                    table.profile, f"Move to: {table.title_of(transition.to)}", transition.cite
                ),
            )
        )
    return found


def records_needed(case: Case, transition: Transition) -> list[str]:
    """What must be written to make `transition`: its own records, the stage's records not
    already written when the case entered the stage, and, on a move that ends the case, the
    records the procedure requires on every ending."""
    table = case_table(case)
    entered = CaseTransition.objects.filter(case=case, to=case.stage).order_by("-at", "-pk").first()
    written = set(entered.records) if entered is not None else set()
    stage_needs = [r for r in table.stages[case.stage].requires_records if r not in written]
    ending = table.procedure.every_ending
    ending_needs = (
        ending.requires_records if ending is not None and transition.to in table.outcomes else []
    )
    return list(dict.fromkeys(stage_needs + transition.requires_records + ending_needs))


@dataclass(frozen=True)
class JointPart:
    """One handler of a joint stage: the role expression, the people it names today, and
    whether one of them has engaged with the stage on this visit."""

    expression: RoleExpression
    people: list[int]
    engaged: bool


def joint_parts(case: Case, *, on: dt.date | None = None) -> list[JointPart]:
    """For a case at a joint stage, each handler and whether they have engaged; empty for any
    other stage or an ended case."""
    table = case_table(case)
    if not case.is_open or not table.stages[case.stage].joint:
        return []
    day = on or clock.today()
    engaged: set[int] = set()
    done: set[str] = set()
    for person_id, roles in CaseEngagement.objects.filter(
        case=case, visit__left_at__isnull=True
    ).values_list("person_id", "roles"):
        engaged.add(person_id)
        done.update(roles)
    known = _HandOvers.of(case)
    parts: list[JointPart] = []
    for expression in table.handler_expressions(case.stage, case.handler_choice):
        people = people_named(case, expression, on=day, as_handler=True, hand_overs=known)
        # A part is done by whoever took it, even if another holds the role today (a deputy
        # acting in an absence), or by whoever holds it today.
        parts.append(
            JointPart(expression, people, expression.text in done or bool(engaged & set(people)))
        )
    return parts


def engagements_missing(case: Case, *, on: dt.date | None = None) -> list[RoleExpression]:
    """The handlers of a joint stage who have not engaged yet (a role nobody holds today is
    left out: the stage's arrangement says what is needed instead)."""
    return [p.expression for p in joint_parts(case, on=on) if p.people and not p.engaged]


def alerts_for(actor: Actor) -> QuerySet[CaseAlert]:
    """The actor's own content-free alerts. Their case is never read or shown through them."""
    person_id = person_of(actor)
    if person_id is None:
        return CaseAlert.objects.none()
    return CaseAlert.objects.filter(person_id=person_id).order_by("-created_at", "pk")


def case_history(case: Case) -> QuerySet[CaseTransition]:
    """The case's history, oldest first (the case must already be visible to the reader)."""
    return case.history.select_related("actor", "profile_version").order_by("at", "pk")


def case_timer(case: Case) -> CaseTimer | None:
    """The open stage's timer, if it has one still to run."""
    return (
        CaseTimer.objects.filter(
            case=case, visit__left_at__isnull=True, fired_at__isnull=True, cancelled_at__isnull=True
        )
        .order_by("due_on")
        .first()
    )


def reminders_for(actor: Actor) -> QuerySet[CaseReminder]:
    """The actor's own reminders, on cases they can still see."""
    person_id = person_of(actor)
    if person_id is None:
        return CaseReminder.objects.none()
    return (
        CaseReminder.objects.filter(person_id=person_id, case__in=visible_cases(actor))
        .select_related("case")
        .order_by("-created_at", "pk")
    )


def case_duties(case: Case) -> QuerySet[CaseDuty]:
    """The duties carried out on the case, oldest first, each with the people told (the case
    must already be visible to the reader, as one of its handlers)."""
    return case.duties.prefetch_related(
        Prefetch("notices", queryset=CaseNotice.objects.select_related("person").order_by("pk"))
    ).order_by("at", "pk")


def notices_for(actor: Actor) -> QuerySet[CaseNotice]:
    """The actor's own notices, newest first. `can_open` says whether the notice may show and
    link to its case: only where it was written with content and the case is still visible to
    them today; otherwise it shows the duty's words alone."""
    person_id = person_of(actor)
    if person_id is None:
        return CaseNotice.objects.none()
    return (
        CaseNotice.objects.filter(person_id=person_id)
        .select_related("duty", "case__profile_version")
        .annotate(
            can_open=ExpressionWrapper(
                Q(with_content=True) & Exists(visible_cases(actor).filter(pk=OuterRef("case_id"))),
                output_field=BooleanField(),
            )
        )
        .order_by("-created_at", "-pk")
    )


def notices_unread(actor: Actor) -> int:
    person_id = person_of(actor)
    if person_id is None:
        return 0
    return CaseNotice.objects.filter(person_id=person_id, read_at__isnull=True).count()


_OPEN_TIMERS = "open_timers"


def listed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A list of visible cases, newest first, with each one's running timers fetched up front
    (read them with `open_timers`)."""
    return cases.order_by("-opened_at", "-pk").prefetch_related(
        Prefetch(
            "timers",
            queryset=CaseTimer.objects.filter(
                visit__left_at__isnull=True, fired_at__isnull=True, cancelled_at__isnull=True
            ).order_by("due_on", "pk"),
            to_attr=_OPEN_TIMERS,
        )
    )


def open_timers(case: Case) -> list[CaseTimer]:
    """The running timers of a case from `listed`, soonest first."""
    timers: list[CaseTimer] = getattr(case, _OPEN_TIMERS, [])
    return timers


def case_consents(case: Case) -> QuerySet[CaseConsent]:
    """Every agreement given on the case, withdrawn and used ones too (the case must already be
    visible to the reader)."""
    return CaseConsent.objects.filter(case=case)


def case_stand_ins(case: Case) -> QuerySet[CaseStandIn]:
    """Who stands in for whom on the case (the case must already be visible to the reader)."""
    return CaseStandIn.objects.filter(case=case)


def open_visit(case: Case) -> CaseStage | None:
    """The visit to the stage the case is at, None once the case has ended."""
    return CaseStage.objects.filter(case=case, left_at__isnull=True).first()


def latest_visit(case: Case) -> CaseStage | None:
    """The case's last stage visit, open or not."""
    return CaseStage.objects.filter(case=case).order_by("-entered_at", "-pk").first()


def alert_count(case: Case, person_id: int) -> int:
    """How many content-free alerts the person has had about the case (for the system)."""
    return CaseAlert.objects.filter(case=case, person_id=person_id).count()


def reminder_count(case: Case, person_id: int) -> int:
    """How many reminders the person has had about the case."""
    return CaseReminder.objects.filter(case=case, person_id=person_id).count()


def case_afresh(case: Case) -> Case:
    """The case as it is stored now, for the system (the scenario tests' checks)."""
    return Case.objects.get(pk=case.pk)


# --- For the system: timers and retention ---------------------------------------------------


@dataclass(frozen=True)
class TimerCounts:
    pending: int
    overdue: int


def timer_counts(*, on: dt.date) -> TimerCounts:
    """How many timers are still to fire, and how many of those were due before `on`."""
    pending = CaseTimer.objects.filter(fired_at__isnull=True, cancelled_at__isnull=True)
    overdue = pending.filter(due_on__lt=on).count()
    return TimerCounts(pending=pending.count(), overdue=overdue)


def ended_case_rules() -> list[tuple[ProfileVersion, str]]:
    """Each (profile version, procedure) some ended case ran under."""
    combos = list(
        Case.objects.filter(closed_at__isnull=False)
        .order_by()
        .values_list("profile_version_id", "procedure")
        .distinct()
    )
    versions = ProfileVersion.objects.in_bulk({version for version, _ in combos})
    return [(versions[version_id], procedure) for version_id, procedure in combos]


def ended_cases(version: ProfileVersion, procedure: str, outcomes: list[str]) -> QuerySet[Case]:
    """The cases of `procedure` under `version` that ended in one of `outcomes`."""
    return Case.objects.filter(
        profile_version=version, procedure=procedure, outcome__in=outcomes
    ).select_related("profile_version")
