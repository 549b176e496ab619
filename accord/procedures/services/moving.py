"""Moving a case: `case_transition`, the one way a case moves from stage to stage, and
`move_with_history`, the one step that every write changing a case's stage or adding to its
history takes (opening, moving, reopening).

Everything `case_transition` needs to decide comes from the transition table of the profile
version the case opened under, so a new version of the rules never changes a case already
running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import F

from accord.access.actor import Actor, person_of
from accord.access.roles import people_acting_as
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import Person
from accord.procedures.deadlines import earliest_event, notice_by
from accord.procedures.errors import (
    ConflictOfInterest,
    ConsentMissing,
    EngagementMissing,
    TransitionNotAllowed,
)
from accord.procedures.models import Case, CaseConsent, CaseStage, CaseTimer, CaseTransition
from accord.procedures.resolve import Parties
from accord.procedures.selectors import (
    case_get,
    case_table,
    engagements_missing,
    may_act,
    records_needed,
)
from accord.procedures.services.assignment import (
    fresh_conflict_check,
    handler_check,
    stage_enter,
    timers_queue,
)
from accord.procedures.services.duties import duties_perform, events_of_move
from accord.procedures.table import TransitionTable, gate_of
from accord.profiles.explain import consent_explanation, describe, explain
from accord.profiles.expressions import parse_role_expression
from accord.profiles.schema import Transition

__all__ = ["RECORD_MAX", "case_transition", "event_check", "move_with_history"]

RECORD_MAX = 20_000


def move_with_history(
    case: Case,
    table: TransitionTable,
    *,
    to: str,
    actor_id: int | None,
    cite: str,
    says: str,
    now: dt.datetime,
    day: dt.date,
    records: Mapping[str, str] | None = None,
    consent: CaseConsent | None = None,
    handler: int | None = None,
    subject: Person | None = None,
) -> CaseStage | None:
    """Bring the case to `to` and write its history row, inside the caller's transaction; the
    caller audits it afterwards.

    - A case not yet saved is being opened: it is saved as it is (at `to`).
    - Otherwise the case moves by a conditional update on its revision, so that of two people
      moving it at once one wins and the other is told to look again (`TransitionNotAllowed`).
      An outcome ends the case; a stage reopens it if it had ended. `consent`, the agreement
      the move needs, is used (`ConsentMissing` if it was withdrawn just now). The open stage's
      visit is closed and its timers cancelled.
    - The history row says where the case came from, where it went, by whom, under which
      paragraph (`cite`) and why (`says`), with the records written.
    - `subject`, where the move names the case's subject, becomes the subject before the case
      enters `to`, so the new stage is given out with them as the subject.
    - Unless the case ended, it enters `to` (`stage_enter`: the stage given out, to `handler`
      alone where the stage lets the mover choose, conflicts checked, its timer set), and the
      timer is queued on the task worker once it commits.
    - The duties the move sets off (opened, a stage left or entered, an outcome, a record
      written) are carried out (`duties_perform`).

    Returns the visit entered, or None when the case ended. The case in hand is left as it was
    read, so the caller's audit event can say where it came from.
    """
    profile = table.profile
    is_outcome = to in table.outcomes
    opened = case.pk is None
    if opened:
        case.save(force_insert=True)
        source = ""
    else:
        source = case.stage if case.is_open else case.outcome
        changes: dict[str, object] = {
            "stage": case.stage if is_outcome else to,
            "outcome": to if is_outcome else "",
            "closed_at": now if is_outcome else None,
            "revision": F("revision") + 1,
        }
        if subject is not None:
            changes["subject_id"] = subject.pk
        moved = Case.objects.filter(pk=case.pk, revision=case.revision, stage=case.stage).update(
            **changes
        )
        if moved != 1:
            raise TransitionNotAllowed(
                explain(
                    profile,
                    "Someone else moved this case on while you were looking at it; "
                    "look at it again",
                    cite,
                )
            )
        if consent is not None:
            used = CaseConsent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
                used_at=now
            )
            if used != 1:
                raise ConsentMissing(explain(profile, "The agreement was withdrawn just now", cite))
        CaseStage.objects.filter(case=case, left_at__isnull=True).update(left_at=now)
        CaseTimer.objects.filter(
            case=case, fired_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
    CaseTransition.objects.create(
        case=case,
        from_stage=source,
        to=to,
        actor_id=actor_id,
        at=now,
        cite=cite,
        profile_version=case.profile_version,
        records=dict(records or {}),
        explanation=str(explain(profile, says, cite)),
    )
    if subject is not None:
        case.subject = subject
    visit = None if is_outcome else stage_enter(case, table, to, now=now, day=day, handler=handler)
    events = events_of_move(table, opened=opened, source=source, to=to, records=records or {})
    duties_perform(case, table, events, actor_id=actor_id, now=now, day=day)
    if visit is not None:
        timers_queue(visit)
    return visit


def case_transition(
    *,
    actor: Actor,
    case: Case,
    to: str,
    records: Mapping[str, str] | None = None,
    handler: Person | None = None,
    event_date: dt.date | None = None,
    named: Person | None = None,
) -> Case:
    """Move the case from its stage to `to`, if the profile allows this actor to, today.

    Where the stage `to` lets the mover choose who handles it, `handler` is the person chosen;
    where the move sets a new date for the procedure's event, `event_date` is the date, which
    must give the notice the profile asks for; where the move names the case's subject
    (`names_subject`), `named` is the person chosen: they must hold the role it names today.

    Refuses with `TransitionNotAllowed`, `ConsentMissing`, `ConflictOfInterest` or, at a joint
    stage someone handling it has not engaged with, `EngagementMissing` (each with the rule's
    citation), or `ValidationFailed` naming each record that is missing, or `handler`,
    `event_date` or `named`.
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
    fresh_conflict_check(case, table, person_id, day=day, now=now)
    permission = may_act(person_id, case, transition, on=day)
    if permission.conflict is not None:
        takers = {e.text for e in transition.by}
        rules = profile.conflict_rules_for(table.key)
        rule = next((r for text, r in rules.items() if text in takers), None)
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
    if transition.after_due:
        _check_due(case, table, transition, day)
    clean = _check_records(table, case.stage, records_needed(case, transition), records or {})
    chosen = handler_check(
        table, to, handler.pk if handler else None, Parties(case.raiser, case.subject), day=day
    )
    if transition.reschedules:
        if event_date is None:
            raise ValidationFailed.for_field(
                "event_date", f"Give the new date of {_event_title(table)}."
            )
        event_check(table, event_date, day)
    elif event_date is not None:
        raise ValidationFailed.for_field(
            "event_date", "This step does not set a date: leave the date out."
        )
    subject = _check_named(table, case, transition, named, day=day)
    missing = engagements_missing(case, on=day)
    if missing:
        stage = table.stages[case.stage]
        raise EngagementMissing(
            explain(
                profile,
                f"Everyone handling '{stage.title}' must take part before the case moves on; "
                "not yet recorded: " + ", ".join(describe(profile, e) for e in missing),
                stage.cite,
            )
        )
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
    previous_subject = case.subject_id
    with transaction.atomic():
        if transition.reschedules:
            # Before the move, so the duties it sets off count notice from the new date.
            Case.objects.filter(pk=case.pk).update(event_date=event_date)
        move_with_history(
            case,
            table,
            to=to,
            actor_id=person_id,
            cite=transition.cite,
            says=f"{table.title_of(case.stage)} → {table.title_of(to)}",
            now=now,
            day=day,
            records=clean,
            consent=consent,
            handler=chosen,
            subject=subject,
        )
        if subject is not None:
            assert transition.names_subject is not None
            record(
                actor=actor,
                verb="procedures.subject_named",
                target=case,
                data={
                    "procedure": case.procedure,
                    "stage": to,
                    "role": transition.names_subject.role.value,
                    "person_id": subject.pk,
                    "replaced_person_id": previous_subject,
                    "cite": transition.names_subject.cite,
                },
            )
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
                **({"handler_chosen": chosen} if chosen is not None else {}),
                **({"event_date_changed": True} if transition.reschedules else {}),
            },
        )
    case.refresh_from_db()
    return case


def _check_due(case: Case, table: TransitionTable, transition: Transition, day: dt.date) -> None:
    """A move allowed only once the stage's time has run out: refused before then."""
    timer = (
        CaseTimer.objects.filter(case=case, visit__left_at__isnull=True).order_by("-due_on").first()
    )
    if timer is None or timer.due_on < day:
        return
    raise TransitionNotAllowed(
        explain(
            table.profile,
            f"This step can be taken once '{table.title_of(case.stage)}' has had its time "
            f"({table.profile.durations[timer.duration].describe()}), after "
            f"{timer.due_on:%-d %B %Y}",
            transition.cite,
        )
    )


def event_check(table: TransitionTable, event_date: dt.date, day: dt.date) -> None:
    """Refuse (`ValidationFailed` on `event_date`) a date for the procedure's event that leaves
    less notice than the profile asks for, counted back from the event."""
    event = table.procedure.event
    assert event is not None
    duration = table.profile.durations[event.notice]
    if notice_by(event_date, duration, table.profile) >= day:
        return
    earliest = earliest_event(day, duration, table.profile)
    reference = explain(table.profile, "", event.cite).reference
    raise ValidationFailed.for_field(
        "event_date",
        f"{event.title[0].upper()}{event.title[1:]} needs {duration.describe()}' notice "
        f"({reference}): with notice given today, choose {earliest:%-d %B %Y} or later.",
    )


def _event_title(table: TransitionTable) -> str:
    event = table.procedure.event
    return event.title if event is not None else "the event"


def _check_named(
    table: TransitionTable,
    case: Case,
    transition: Transition,
    named: Person | None,
    *,
    day: dt.date,
) -> Person | None:
    """The person the move names as the case's subject, checked; None where it names nobody."""
    rule = transition.names_subject
    if rule is None:
        if named is not None:
            raise ValidationFailed.for_field("named", "This step does not name anyone.")
        return None
    title = describe(table.profile, parse_role_expression(rule.role.value))
    where = explain(table.profile, "", rule.cite).reference
    if named is None:
        raise ValidationFailed.for_field("named", f"Choose {title} ({where}).")
    if named.pk == case.raiser_id:
        raise ValidationFailed.for_field(
            "named", "The person who raised the case cannot be named as its subject."
        )
    if not named.is_active or named.pk not in people_acting_as(rule.role, on=day):
        raise ValidationFailed.for_field("named", f"Choose someone who is {title} today ({where}).")
    return named


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
        if len(text) > RECORD_MAX:
            errors.append(
                FieldError(f"records.{key}", f"Keep this under {RECORD_MAX:,} characters.")
            )
        elif text:
            clean[key] = text
    cite = table.stages[stage].cite
    ending = table.procedure.every_ending
    for key in needed:
        if key not in clean and not any(e.field == f"records.{key}" for e in errors):
            # A record every ending needs cites the rule that says so, not the stage.
            where = ending.cite if ending and key in ending.requires_records else cite
            errors.append(
                FieldError(
                    f"records.{key}",
                    f"Write the {key.replace('_', ' ')}: this step needs it "
                    f"({explain(table.profile, '', where).reference}).",
                )
            )
    if errors:
        raise ValidationFailed("Some of what this step needs is missing.", errors)
    return clean
