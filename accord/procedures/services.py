"""Writes: opening a case, moving it, consents, involvement, and timers firing.

`case_transition` is the one way a case moves. Everything it needs to decide comes from the
transition table of the profile version the case opened under, so a new version of the rules
never changes a case already running. Every write is one transaction with its audit event;
tasks are queued only once it commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from accord.access.roles import STATUTORY_ROLES, roles_for_people
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import Person
from accord.procedures.deadlines import due_on
from accord.procedures.errors import ConflictOfInterest, ConsentMissing, TransitionNotAllowed
from accord.procedures.explain import consent_explanation, describe, explain
from accord.procedures.models import (
    Case,
    CaseConsent,
    CaseEscalation,
    CaseExclusion,
    CaseInvolvement,
    CaseReminder,
    CaseStage,
    CaseStandIn,
    CaseTimer,
    CaseTransition,
)
from accord.procedures.pages import case_path
from accord.procedures.resolve import Parties, resolve
from accord.procedures.selectors import (
    case_get,
    case_handlers,
    case_table,
    case_viewers,
    conflicts_on_case,
    excluded_from,
    may_act,
    people_named,
    person_of,
    records_needed,
)
from accord.procedures.table import TransitionTable, gate_of, table_for
from accord.profiles.expressions import ExpressionKind, RoleExpression
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import Side, Transition
from accord.profiles.selectors import profile_in_force

__all__ = [
    "case_open",
    "case_reopen",
    "case_transition",
    "conflicts_recheck",
    "consent_give",
    "consent_withdraw",
    "due_on",
    "involvement_record",
    "timer_fire",
    "timers_sweep",
]

_RECORD_MAX = 20_000


# --- Opening --------------------------------------------------------------------------------


def case_open(
    *,
    actor: Any,
    procedure: str,
    raiser: Person,
    subject: Person | None,
    profile_id: str | None = None,
    profile_version: ProfileVersion | None = None,
    handler_choice: str = "",
) -> Case:
    """Open a case at its procedure's first stage, under the profile version in force today
    (or the one given). `actor` may be the raiser or someone recording it on their behalf.

    Where the first stage lets the raiser choose whom to go to, `handler_choice` is the role
    expression they chose (e.g. "monitoring_officer"); left empty, every handler takes it."""
    now = clock.now()
    day = clock.today()
    if profile_version is None:
        if profile_id is None:
            raise ValidationFailed.for_field("profile", "Say which council profile to use.")
        profile_version = profile_in_force(profile_id, on=day)
    table = _table_or_error(profile_version, procedure)
    _check_parties(table, raiser, subject)
    _check_choice(table, handler_choice)
    initial = table.procedure.initial
    with transaction.atomic():
        case = Case.objects.create(
            profile_version=profile_version,
            procedure=procedure,
            raiser=raiser,
            subject=subject,
            stage=initial,
            handler_choice=handler_choice,
            opened_at=now,
        )
        CaseTransition.objects.create(
            case=case,
            from_stage="",
            to=initial,
            actor_id=person_of(actor),
            at=now,
            cite=table.procedure.cite,
            profile_version=profile_version,
            explanation=str(
                explain(table.profile, f"Opened: {table.procedure.title}", table.procedure.cite)
            ),
        )
        visit = _enter(case, table, initial, now=now, day=day)
        record(
            actor=actor,
            verb="procedures.case_opened",
            target=case,
            data={
                "procedure": procedure,
                "profile": table.profile.id,
                "profile_version": table.profile.version,
                "stage": initial,
                "cite": table.procedure.cite,
            },
        )
        _after_commit(visit)
    return case


def _table_or_error(version: ProfileVersion, procedure: str) -> TransitionTable:
    try:
        return table_for(version.text, procedure)
    except KeyError:
        raise ValidationFailed.for_field(
            "procedure",
            f"Profile '{version.profile_id}' version {version.version} has no procedure "
            f"'{procedure}'.",
        ) from None


def _check_parties(table: TransitionTable, raiser: Person, subject: Person | None) -> None:
    errors: list[FieldError] = []
    procedure = table.procedure
    if not raiser.is_active:
        errors.append(FieldError("raiser", "The person raising it is no longer active."))
    elif raiser.kind != procedure.raised_by.value:
        errors.append(
            FieldError("raiser", f"This procedure is raised by {_side(procedure.raised_by)}.")
        )
    if subject is None:
        errors.append(FieldError("subject", f"Say which {procedure.about.value} it is about."))
    elif subject.pk == raiser.pk:
        errors.append(FieldError("subject", "A case cannot be about the person raising it."))
    elif subject.kind != procedure.about.value:
        errors.append(FieldError("subject", f"This procedure is about {_side(procedure.about)}."))
    if errors:
        raise ValidationFailed("The case could not be opened.", errors)


def _check_choice(table: TransitionTable, choice: str) -> None:
    if not choice:
        return
    choices = table.handler_choices()
    if not choices:
        raise ValidationFailed.for_field(
            "handler_choice", "This procedure does not let you choose whom to go to first."
        )
    if choice not in {e.text for e in choices}:
        allowed = ", ".join(describe(table.profile, e) for e in choices)
        raise ValidationFailed.for_field("handler_choice", f"Choose one of: {allowed}.")


def _side(side: Side) -> str:
    return "an officer" if side is Side.OFFICER else "a member"


# --- Entering a stage: handlers, conflicts, timer -------------------------------------------


def _enter(
    case: Case, table: TransitionTable, stage: str, *, now: dt.datetime, day: dt.date
) -> CaseStage:
    visit = CaseStage.objects.create(case=case, stage=stage, entered_at=now)
    _assign(
        case,
        visit,
        table,
        table.handler_expressions(stage, case.handler_choice),
        now=now,
        day=day,
        viewers=_viewer_expressions(table, stage, case.handler_choice),
    )
    timer = table.stages[stage].timer
    if timer is not None:
        duration = table.profile.durations[timer.after]
        CaseTimer.objects.create(
            case=case,
            visit=visit,
            duration=timer.after,
            action=timer.action.value,
            due_on=due_on(day, duration, table.profile),
            cite=timer.cite,
        )
    return visit


def _assign(
    case: Case,
    visit: CaseStage,
    table: TransitionTable,
    expressions: list[RoleExpression],
    *,
    now: dt.datetime,
    day: dt.date,
    viewers: list[RoleExpression] | None = None,
) -> None:
    """Before anyone is given the stage, check each for a conflict of interest; keep the
    conflicted off the case and put the profile's alternate in their place, saying why.

    `expressions` name who will handle the stage; `viewers` who will only see it (they are
    checked and replaced the same way, but do not count as someone able to act). Stand-ins are
    checked too, so a stand-in who turns out to be conflicted is replaced in turn. An alternate
    is never a party to the case, and where possible is nobody the procedure already names on
    it, so that two decisions the protocol keeps apart do not end up with one person.
    """
    profile = table.profile
    parties = Parties(case.raiser, case.subject)
    rules = {rule.role.text: rule for rule in profile.conflicts}
    handler_texts = {e.text for e in expressions}
    checked = list(expressions) + [
        e
        for e in viewers or []
        if e.text not in handler_texts and e.kind is not ExpressionKind.PARTY
    ]
    named = {
        expression.text: resolve(expression, parties, on=day)
        for expression in checked
        if expression.kind is not ExpressionKind.PARTY
    }
    party_ids = {case.raiser_id} | ({case.subject_id} if case.subject_id else set())
    able = 0
    unresolved: list[str] = []
    elsewhere: set[int] | None = None
    for expression in checked:
        handles = expression.text in handler_texts
        if expression.kind is ExpressionKind.PARTY:
            able += 1
            continue
        people = named[expression.text]
        stand_ins = {
            s.replaces_id: s
            for s in CaseStandIn.objects.filter(case=case, expression=expression.text)
        }
        conflicts = conflicts_on_case(
            case, people + [s.person_id for s in stand_ins.values()], on=day
        )
        who = describe(profile, expression)
        for person_id, conflict in conflicts.items():
            if conflict.reason != "subject":
                _exclude(case, person_id, conflict.reason, f"{who} {conflict.description}")
        excluded = excluded_from(case)
        for person_id in people:
            if person_id not in conflicts and person_id not in excluded:
                able += handles
                continue
            current = stand_ins.get(person_id)
            if current is not None and current.person_id not in excluded | set(conflicts):
                able += handles
                continue
            rule = rules.get(expression.text)
            found_conflict = conflicts.get(person_id)
            why = found_conflict.description if found_conflict else "is kept off this case"
            if rule is None:
                unresolved.append(f"{who[0].upper()}{who[1:]} {why}.")
                continue
            avoid = excluded | party_ids | set(conflicts)
            if elsewhere is None:
                elsewhere = _named_on_case(table, parties, day)
            found = _first_unconflicted(
                case, rule.alternates, parties, day, avoid=avoid, prefer_not=elsewhere
            )
            if found is None:
                unresolved.append(rule.external or f"Nobody can act for {who}.")
                continue
            person, via = found
            reason = explain(
                profile,
                f"{who[0].upper()}{who[1:]} {why}, so {describe(profile, via)} acts instead",
                rule.cite,
            )
            CaseStandIn.objects.update_or_create(
                case=case,
                expression=expression.text,
                replaces_id=person_id,
                defaults={
                    "person_id": person,
                    "via": via.text,
                    "explanation": str(reason),
                    "cite": rule.cite,
                    "at": now,
                },
            )
            able += handles
            record(
                actor=None,
                verb="procedures.conflict_handled",
                target=case,
                data={
                    "stage": visit.stage,
                    "role": expression.text,
                    "replaced_person_id": person_id,
                    "stand_in_person_id": person,
                    # Not why: that could tell an audit reader of a declared relationship. The
                    # reason is on the case, for those who may see it.
                    "cite": rule.cite,
                },
            )
    needed = "" if able else (" ".join(unresolved) or "Nobody holds the roles named.")
    if visit.arrangement_needed != needed:
        visit.arrangement_needed = needed
        visit.save(update_fields=["arrangement_needed"])


def _reassign(case: Case, table: TransitionTable, *, now: dt.datetime, day: dt.date) -> None:
    """Check the open stage's handlers and viewers for conflicts again, after something changed."""
    visit = CaseStage.objects.get(case=case, left_at__isnull=True)
    handlers = table.handler_expressions(case.stage, case.handler_choice)
    # Those an escalation brought in handle the stage too, so they are checked again as well.
    fired = set(CaseEscalation.objects.filter(visit=visit).values_list("expression", flat=True))
    handlers += [
        e
        for e in table.escalation_expressions(case.stage)
        if e.text in fired and e.text not in {h.text for h in handlers}
    ]
    _assign(
        case,
        visit,
        table,
        handlers,
        now=now,
        day=day,
        viewers=_viewer_expressions(table, case.stage, case.handler_choice),
    )


def _viewer_expressions(
    table: TransitionTable, stage: str, chosen: str = ""
) -> list[RoleExpression]:
    return [expression for expression, _ in table.viewer_expressions(stage, chosen)]


def _exclude(case: Case, person_id: int, reason: str, text: str) -> None:
    _, created = CaseExclusion.objects.get_or_create(
        case=case,
        person_id=person_id,
        defaults={"reason": reason, "explanation": text, "at": clock.now()},
    )
    if created:
        # Who was kept off, not why: the reason stays on the case (see conflict_handled).
        record(
            actor=None,
            verb="procedures.person_kept_off",
            target=case,
            data={"person_id": person_id},
        )


def _named_on_case(table: TransitionTable, parties: Parties, day: dt.date) -> set[int]:
    """Everyone a handler rule of any stage names personally for this case."""
    found: set[int] = set()
    for stage in table.stages.values():
        for expression in stage.handlers:
            if expression.kind is ExpressionKind.RELATIVE:
                found.update(resolve(expression, parties, on=day))
            elif expression.kind is ExpressionKind.ROLE:
                people = resolve(expression, parties, on=day)
                # An office one person holds names them; a role many hold names nobody in
                # particular (any Director), so it does not make them part of the case.
                if len(people) == 1:
                    found.update(people)
    return found


def _first_unconflicted(
    case: Case,
    alternates: list[RoleExpression],
    parties: Parties,
    day: dt.date,
    *,
    avoid: set[int],
    prefer_not: set[int],
) -> tuple[int, RoleExpression] | None:
    """The first alternate without a conflict: preferring, across all the alternates, someone
    the case does not already name, before falling back to someone it does."""
    candidates: list[tuple[int, RoleExpression]] = []
    for alternate in alternates:
        people = [p for p in resolve(alternate, parties, on=day) if p not in avoid]
        conflicts = conflicts_on_case(case, people, on=day)
        candidates += [(person, alternate) for person in people if person not in conflicts]
    for person, alternate in candidates:
        if person not in prefer_not:
            return person, alternate
    return candidates[0] if candidates else None


def _after_commit(visit: CaseStage) -> None:
    def queue() -> None:
        from accord.procedures.tasks import schedule_timer

        for timer in CaseTimer.objects.filter(visit=visit, fired_at__isnull=True):
            schedule_timer(timer)

    transaction.on_commit(queue)


# --- Moving ---------------------------------------------------------------------------------


def case_transition(
    *, actor: Any, case: Case, to: str, records: Mapping[str, str] | None = None
) -> Case:
    """Move the case from its stage to `to`, if the profile allows this actor to, today.

    Refuses with `TransitionNotAllowed`, `ConsentMissing` or `ConflictOfInterest` (each with
    the rule's citation), or `ValidationFailed` naming each record that is missing.
    """
    case = case_get(actor, case.public_id)  # missing and forbidden look the same
    person_id = person_of(actor)
    table = case_table(case)
    profile = table.profile
    now = clock.now()
    day = clock.today()
    transition = table.move(case.stage, to) if case.is_open else None
    if transition is None:
        raise TransitionNotAllowed(
            explain(
                profile,
                f"A case at '{table.title_of(case.stage)}' cannot move to '{table.title_of(to)}'"
                if case.is_open
                else "This case has ended, so it cannot move",
                table.stages[case.stage].cite,
            )
        )
    _check_fresh_conflict(case, table, person_id, day=day, now=now)
    permission = may_act(person_id, case, transition, on=day)
    if permission.conflict is not None:
        named = {e.text for e in transition.by}
        rule = next((r for r in profile.conflicts if r.role.text in named), None)
        raise ConflictOfInterest(
            explain(
                profile,
                "You have a conflict of interest on this case, so you cannot take this step",
                rule.cite if rule else transition.cite,
            )
        )
    if not permission.allowed:
        allowed = ", ".join(describe(profile, e) for e in transition.by)
        raise TransitionNotAllowed(
            explain(profile, f"Only {allowed} can take this step", transition.cite)
        )
    clean = _check_records(table, case.stage, records_needed(case, transition), records or {})
    consent = None
    if transition.consent is not None:
        consent = CaseConsent.objects.filter(
            case=case, gate=gate_of(transition), withdrawn_at__isnull=True
        ).first()
        if consent is None:
            needed = consent_explanation(profile, transition)
            assert needed is not None
            raise ConsentMissing(needed)
    is_outcome = to in table.outcomes
    with transaction.atomic():
        moved = Case.objects.filter(pk=case.pk, revision=case.revision, stage=case.stage).update(
            stage=case.stage if is_outcome else to,
            outcome=to if is_outcome else "",
            closed_at=now if is_outcome else None,
            revision=F("revision") + 1,
        )
        if moved != 1:
            raise TransitionNotAllowed(
                explain(
                    profile,
                    "Someone else moved this case on while you were looking at it; "
                    "look at it again",
                    transition.cite,
                )
            )
        if consent is not None:
            used = CaseConsent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
                used_at=now
            )
            if used != 1:
                raise ConsentMissing(
                    explain(profile, "The agreement was withdrawn just now", transition.cite)
                )
        CaseStage.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
        CaseTimer.objects.filter(
            case=case, fired_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        CaseTransition.objects.create(
            case=case,
            from_stage=case.stage,
            to=to,
            actor_id=person_id,
            at=now,
            cite=transition.cite,
            profile_version=case.profile_version,
            records=clean,
            explanation=str(
                explain(
                    profile,
                    f"{table.title_of(case.stage)} → {table.title_of(to)}",
                    transition.cite,
                )
            ),
        )
        visit = None if is_outcome else _enter(case, table, to, now=now, day=day)
        record(
            actor=actor,
            verb="procedures.case_closed" if is_outcome else "procedures.case_moved",
            target=case,
            data={
                "procedure": case.procedure,
                "profile": profile.id,
                "profile_version": profile.version,
                "from": case.stage,
                "to": to,
                "cite": transition.cite,
                "records": sorted(clean),
                "consent_used": consent is not None,
            },
        )
        if visit is not None:
            _after_commit(visit)
    case.refresh_from_db()
    return case


def _check_records(
    table: TransitionTable, stage: str, needed: list[str], given: Mapping[str, str]
) -> dict[str, str]:
    errors: list[FieldError] = []
    clean: dict[str, str] = {}
    for key, value in given.items():
        if key not in needed:
            errors.append(FieldError(f"records.{key}", f"This step does not take a '{key}'."))
            continue
        text = value.strip() if isinstance(value, str) else ""
        if len(text) > _RECORD_MAX:
            errors.append(
                FieldError(f"records.{key}", f"Keep this under {_RECORD_MAX:,} characters.")
            )
        elif text:
            clean[key] = text
    cite = table.stages[stage].cite
    for key in needed:
        if key not in clean and not any(e.field == f"records.{key}" for e in errors):
            errors.append(
                FieldError(
                    f"records.{key}",
                    f"Write the {key.replace('_', ' ')}: this step needs it "
                    f"({explain(table.profile, '', cite).reference}).",
                )
            )
    if errors:
        raise ValidationFailed("Some of what this step needs is missing.", errors)
    return clean


def _check_fresh_conflict(
    case: Case, table: TransitionTable, person_id: int | None, *, day: dt.date, now: dt.datetime
) -> None:
    """A conflict that arose after the stage was given out (a relationship declared since,
    say) is caught at the moment of acting: the person is handed over like any other."""
    if person_id is None or person_id == case.raiser_id:
        return
    conflict = conflicts_on_case(case, [person_id], on=day).get(person_id)
    if conflict is None or conflict.reason == "subject":
        return
    if CaseExclusion.objects.filter(case=case, person_id=person_id).exists():
        return
    with transaction.atomic():
        _reassign(case, table, now=now, day=day)
        _exclude(case, person_id, conflict.reason, f"This person {conflict.description}")


# --- Consent --------------------------------------------------------------------------------


def consent_give(*, actor: Any, case: Case, to: str, note: str = "") -> CaseConsent:
    """The party named by the gate agrees to the move to `to`; revocable until it is used."""
    case = case_get(actor, case.public_id)
    table = case_table(case)
    transition, giver = _gate(actor, case, table, to)
    assert transition.consent is not None
    _refuse_if_ended(case, table)
    if transition.from_ not in table.reachable_from(case.stage):
        raise TransitionNotAllowed(
            explain(
                table.profile,
                f"The case has moved past '{table.title_of(transition.from_)}', so this step "
                "can no longer be agreed to",
                transition.consent.cite,
            )
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                consent = CaseConsent.objects.create(
                    case=case,
                    gate=gate_of(transition),
                    giver_id=giver,
                    note=note.strip(),
                    given_at=clock.now(),
                    cite=transition.consent.cite,
                )
        except IntegrityError:
            raise ValidationFailed.for_field(
                "consent", "You have already agreed to this step."
            ) from None
        record(
            actor=actor,
            verb="procedures.consent_given",
            target=case,
            data={"gate": consent.gate, "cite": consent.cite, "limited": bool(consent.note)},
        )
    return consent


def consent_withdraw(*, actor: Any, case: Case, to: str) -> CaseConsent:
    """Withdraw an agreement, which is possible only until the step it allowed was taken."""
    case = case_get(actor, case.public_id)
    table = case_table(case)
    transition, _giver = _gate(actor, case, table, to)
    assert transition.consent is not None
    consent = CaseConsent.objects.filter(
        case=case, gate=gate_of(transition), withdrawn_at__isnull=True
    ).first()
    if consent is None:
        raise ValidationFailed.for_field("consent", "There is no agreement to withdraw.")
    if consent.used_at is not None:
        raise ConsentMissing(
            explain(
                table.profile,
                "The step you agreed to has already been taken, so the agreement can no longer "
                "be withdrawn",
                transition.consent.cite,
            )
        )
    _refuse_if_ended(case, table)
    now = clock.now()
    with transaction.atomic():
        changed = CaseConsent.objects.filter(
            pk=consent.pk, withdrawn_at__isnull=True, used_at__isnull=True
        ).update(withdrawn_at=now)
        if changed != 1:
            raise ConsentMissing(
                explain(
                    table.profile,
                    "The step you agreed to was taken just now, so the agreement stands",
                    transition.consent.cite,
                )
            )
        record(
            actor=actor,
            verb="procedures.consent_withdrawn",
            target=case,
            data={"gate": consent.gate, "cite": consent.cite},
        )
    consent.refresh_from_db()
    return consent


def _gate(actor: Any, case: Case, table: TransitionTable, to: str) -> tuple[Transition, int]:
    gated = [t for t in table.procedure.transitions if t.to == to and t.consent is not None]
    if not gated:
        raise ValidationFailed.for_field("to", f"No step to '{to}' needs anyone's agreement.")
    transition = next((t for t in gated if t.from_ == case.stage), gated[0])
    assert transition.consent is not None
    party = resolve(transition.consent.from_, Parties(case.raiser, case.subject), on=clock.today())
    person_id = person_of(actor)
    if person_id is None or person_id not in party:
        raise TransitionNotAllowed(
            explain(
                table.profile,
                f"Only {describe(table.profile, transition.consent.from_)} can give or "
                "withdraw this agreement",
                transition.consent.cite,
            )
        )
    return transition, person_id


def _refuse_if_ended(case: Case, table: TransitionTable) -> None:
    if not case.is_open:
        raise TransitionNotAllowed(
            explain(table.profile, "This case has ended", table.procedure.cite)
        )


# --- Reopening ------------------------------------------------------------------------------


def case_reopen(*, actor: Any, case: Case, report: str) -> Case:
    """Bring the case to the stage the procedure's `reopen` rule names, because of a later
    report (of pressure or retaliation, say): an ended case opens again, an open one moves
    there from wherever it is. `report` is kept as the history row's record."""
    case = case_get(actor, case.public_id)
    table = case_table(case)
    rule = table.procedure.reopen
    profile = table.profile
    if rule is None:
        raise TransitionNotAllowed(
            explain(profile, "This procedure has no way to reopen a case", table.procedure.cite)
        )
    text = report.strip()
    if not text:
        raise ValidationFailed.for_field("report", f"Say what happened: {rule.about}.")
    if len(text) > _RECORD_MAX:
        raise ValidationFailed.for_field("report", f"Keep this under {_RECORD_MAX:,} characters.")
    person_id = person_of(actor)
    day = clock.today()
    allowed = any(person_id in people_named(case, e, on=day, as_handler=True) for e in rule.by)
    if person_id is None or not allowed:
        who = ", ".join(describe(profile, e) for e in rule.by)
        raise TransitionNotAllowed(explain(profile, f"Only {who} can report this", rule.cite))
    now = clock.now()
    source = case.stage if case.is_open else case.outcome
    with transaction.atomic():
        moved = Case.objects.filter(pk=case.pk, revision=case.revision).update(
            stage=rule.to, outcome="", closed_at=None, revision=F("revision") + 1
        )
        if moved != 1:
            raise TransitionNotAllowed(
                explain(
                    profile,
                    "Someone else moved this case on while you were looking at it; "
                    "look at it again",
                    rule.cite,
                )
            )
        CaseStage.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
        CaseTimer.objects.filter(
            case=case, fired_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        CaseTransition.objects.create(
            case=case,
            from_stage=source,
            to=rule.to,
            actor_id=person_id,
            at=now,
            cite=rule.cite,
            profile_version=case.profile_version,
            records={"report": text},
            explanation=str(
                explain(
                    profile,
                    f"Reported: {rule.about} → {table.title_of(rule.to)}",
                    rule.cite,
                )
            ),
        )
        case.stage = rule.to
        visit = _enter(case, table, rule.to, now=now, day=day)
        record(
            actor=actor,
            verb="procedures.case_reopened",
            target=case,
            data={
                "procedure": case.procedure,
                "profile": profile.id,
                "profile_version": profile.version,
                "from": source,
                "to": rule.to,
                "was_closed": not case.is_open,
                "cite": rule.cite,
            },
        )
        _after_commit(visit)
    case.refresh_from_db()
    return case


# --- Material involvement -------------------------------------------------------------------


def involvement_record(*, actor: Any, case: Case, person: Person, note: str) -> CaseInvolvement:
    """Record that a statutory officer was materially involved in the matter; they are then
    handed over wherever they would act on the case (000 SO §7.3)."""
    case = case_get(actor, case.public_id)
    table = case_table(case)
    errors: list[FieldError] = []
    if not note.strip():
        errors.append(FieldError("note", "Say how they were involved."))
    if not roles_for_people([person.pk]).get(person.pk, frozenset()) & STATUTORY_ROLES:
        errors.append(
            FieldError("person", "Only a statutory officer or deputy is recorded as involved.")
        )
    if CaseInvolvement.objects.filter(case=case, person=person).exists():
        errors.append(FieldError("person", "Their involvement is already recorded."))
    if errors:
        raise ValidationFailed("The involvement could not be recorded.", errors)
    if person_of(actor) not in case_handlers(case):
        raise TransitionNotAllowed(
            explain(
                table.profile,
                "Only someone handling the case can record a statutory officer's involvement",
                table.stages[case.stage].cite,
            )
        )
    now = clock.now()
    with transaction.atomic():
        involvement = CaseInvolvement.objects.create(
            case=case, person=person, note=note.strip(), recorded_by_id=person_of(actor), at=now
        )
        if case.is_open:
            _reassign(case, table, now=now, day=clock.today())
        record(
            actor=actor,
            verb="procedures.involvement_recorded",
            target=case,
            data={"person_id": person.pk},
        )
    return involvement


# --- Timers ---------------------------------------------------------------------------------


def timer_fire(*, timer_id: int) -> bool:
    """Fire one overdue timer: remind (or escalate to) the people it names, once.

    Safe to call any number of times from any number of workers: only the call that marks the
    timer fired does anything. A timer whose stage was left is cancelled instead.
    """
    now = clock.now()
    today = clock.today()
    timer = CaseTimer.objects.select_related("case", "visit").filter(pk=timer_id).first()
    if timer is None or timer.fired_at or timer.cancelled_at or timer.due_on >= today:
        return False
    case = timer.case
    with transaction.atomic():
        if timer.visit.left_at is not None:
            CaseTimer.objects.filter(pk=timer.pk, cancelled_at__isnull=True).update(
                cancelled_at=now
            )
            return False
        if (
            CaseTimer.objects.filter(
                pk=timer.pk, fired_at__isnull=True, cancelled_at__isnull=True
            ).update(fired_at=now)
            != 1
        ):
            return False
        table = table_for(case.profile_version.text, case.procedure)
        stage_rules = table.stages[timer.visit.stage]
        assert stage_rules.timer is not None
        duration = table.profile.durations[timer.duration]
        words = "escalated to" if timer.action == CaseTimer.Action.ESCALATE else "reminder for"
        explanation = explain(
            table.profile,
            f"'{stage_rules.title}' was due by {timer.due_on:%-d %B %Y} "
            f"({duration.describe()} after it began): {words} "
            + ", ".join(describe(table.profile, e) for e in stage_rules.timer.to),
            timer.cite,
        )
        if timer.action == CaseTimer.Action.ESCALATE:
            for expression in table.escalation_expressions(timer.visit.stage):
                CaseEscalation.objects.get_or_create(
                    visit=timer.visit,
                    expression=expression.text,
                    defaults={"case": case, "at": now, "cite": timer.cite},
                )
            # The people escalated to now handle the stage alongside its own handlers.
            _assign(
                case,
                timer.visit,
                table,
                table.handler_expressions(timer.visit.stage, case.handler_choice)
                + table.escalation_expressions(timer.visit.stage),
                now=now,
                day=today,
                viewers=_viewer_expressions(table, timer.visit.stage, case.handler_choice),
            )
        people: list[int] = []
        for expression in stage_rules.timer.to:
            named = (
                case_handlers(case, on=today)
                if expression.kind is ExpressionKind.HANDLERS
                else people_named(case, expression, on=today, as_handler=True)
            )
            people += [person for person in named if person not in people]
        # A reminder, and its email, would tell someone the case exists: never send one to a
        # person the case is hidden from (a Monitoring Officer the raiser did not choose, say).
        viewers = case_viewers(case, on=today)
        people = [person for person in people if person in viewers]
        CaseReminder.objects.bulk_create(
            [
                CaseReminder(
                    case=case,
                    timer=timer,
                    person_id=person,
                    explanation=str(explanation),
                    created_at=now,
                )
                for person in people
            ],
            ignore_conflicts=True,
        )
        from accord.notifications.services import notify

        for recipient in Person.objects.filter(pk__in=people).order_by("pk"):
            notify(
                person=recipient,
                template="case_reminder",
                key=f"reminder:{timer.pk}:{recipient.pk}",
                personalisation={"reason": str(explanation)},
                link=case_path(case),
            )
        record(
            actor=None,
            verb="procedures.timer_fired",
            target=case,
            data={
                "stage": timer.visit.stage,
                "action": timer.action,
                "due_on": timer.due_on.isoformat(),
                "cite": timer.cite,
                "people": len(people),
            },
        )
    return True


def timers_sweep() -> int:
    """Fire every overdue timer: the backstop that makes timers survive a stopped worker."""
    today = clock.today()
    overdue = CaseTimer.objects.filter(
        due_on__lt=today, fired_at__isnull=True, cancelled_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(1 for timer_id in list(overdue) if timer_fire(timer_id=timer_id))


def conflicts_recheck(*, person_ids: list[int]) -> int:
    """Check again, for every open case raised by or about these people, whoever is given its
    stage now; called when a relationship is declared, inside that service's transaction.
    Returns how many cases were checked."""
    now = clock.now()
    day = clock.today()
    cases = Case.objects.filter(closed_at__isnull=True).filter(
        Q(raiser_id__in=person_ids) | Q(subject_id__in=person_ids)
    )
    checked = 0
    for case in cases.select_related("profile_version", "raiser", "subject"):
        _reassign(case, case_table(case), now=now, day=day)
        checked += 1
    return checked
