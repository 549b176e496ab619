"""Giving a stage out: who handles and sees it, checked for conflicts of interest first, with
stand-ins where the profile names them; and the stage's timer.

Every write that brings a case into a stage enters it here (`stage_enter`, through
`accord.procedures.services.moving.move_with_history`), and every write that changes who may be
conflicted checks the open stage again (`stage_reassign`): recording involvement, a timer's
escalation, a relationship declared (`conflicts_recheck`), a conflict found when someone acts.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from accord.audit.services import record
from accord.core import clock
from accord.core.errors import ValidationFailed
from accord.procedures.deadlines import due_on
from accord.procedures.models import (
    Case,
    CaseEscalation,
    CaseExclusion,
    CaseStage,
    CaseStandIn,
    CaseTimer,
)
from accord.procedures.resolve import Parties, resolve
from accord.procedures.selectors import (
    case_table,
    conflicts_on_case,
    excluded_from,
    handler_choices,
)
from accord.procedures.table import TransitionTable
from accord.profiles.explain import describe, explain
from accord.profiles.expressions import ExpressionKind, RoleExpression

__all__ = [
    "chosen_only",
    "conflicts_recheck",
    "fresh_conflict_check",
    "handler_check",
    "person_exclude",
    "stage_assign",
    "stage_enter",
    "stage_reassign",
    "timers_queue",
    "viewer_expressions",
]


def stage_enter(
    case: Case,
    table: TransitionTable,
    stage: str,
    *,
    now: dt.datetime,
    day: dt.date,
    handler: int | None = None,
) -> CaseStage:
    """Enter `stage`: a new visit, given out to its handlers and viewers (conflicts checked),
    with the stage's timer set. Queue the timer with `timers_queue` once the visit exists.

    Where the stage lets whoever brings the case here choose who handles it, `handler` is the
    person chosen (checked beforehand with `handler_check`): only they are given the stage."""
    chosen = handler if table.chooses_person(stage) else None
    visit = CaseStage.objects.create(
        case=case, stage=stage, entered_at=now, chosen_handler_id=chosen
    )
    if case.stage_handler_id != chosen:
        Case.objects.filter(pk=case.pk).update(stage_handler_id=chosen)
        case.stage_handler_id = chosen
    stage_assign(
        case,
        visit,
        table,
        table.handler_expressions(stage, case.handler_choice),
        now=now,
        day=day,
        viewers=viewer_expressions(table, stage, case.handler_choice),
        only=chosen_only(case, table, stage),
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


def stage_assign(
    case: Case,
    visit: CaseStage,
    table: TransitionTable,
    expressions: list[RoleExpression],
    *,
    now: dt.datetime,
    day: dt.date,
    viewers: list[RoleExpression] | None = None,
    only: tuple[int, frozenset[str]] | None = None,
) -> None:
    """Before anyone is given the stage, check each for a conflict of interest; keep the
    conflicted off the case and put the profile's alternate in their place, saying why.

    `only` is the person chosen to handle the stage and the handler expressions the choice
    narrows: of the people those name, only the one chosen is given the stage.

    `expressions` name who will handle the stage; `viewers` who will only see it (they are
    checked and replaced the same way, but do not count as someone able to act). Stand-ins are
    checked too, so a stand-in who turns out to be conflicted is replaced in turn. An alternate
    is never a party to the case, and where possible is nobody the procedure already names on
    it, so that two decisions the protocol keeps apart do not end up with one person.
    """
    profile = table.profile
    parties = Parties(case.raiser, case.subject)
    rules = profile.conflict_rules_for(table.key)
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
        if only is not None and handles and expression.text in only[1]:
            people = [p for p in people if p == only[0]]
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
                person_exclude(case, person_id, conflict.reason, f"{who} {conflict.description}")
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


def stage_reassign(case: Case, table: TransitionTable, *, now: dt.datetime, day: dt.date) -> None:
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
    stage_assign(
        case,
        visit,
        table,
        handlers,
        now=now,
        day=day,
        viewers=viewer_expressions(table, case.stage, case.handler_choice),
        only=chosen_only(case, table, case.stage, escalated=fired),
    )


def chosen_only(
    case: Case, table: TransitionTable, stage: str, *, escalated: set[str] | None = None
) -> tuple[int, frozenset[str]] | None:
    """For a stage whose handler was chosen, the person chosen and the handler expressions the
    choice narrows (not those an escalation brought in: they handle it in full)."""
    if not table.chooses_person(stage) or case.stage_handler_id is None:
        return None
    texts = {e.text for e in table.stages[stage].handlers} - (escalated or set())
    return case.stage_handler_id, frozenset(texts)


def handler_check(
    table: TransitionTable, stage: str, handler: int | None, parties: Parties, *, day: dt.date
) -> int | None:
    """Check the person chosen to handle `stage` (`ValidationFailed` on `handler`): required
    where the stage lets whoever brings the case there choose, refused anywhere else."""
    rules = table.stages.get(stage)
    if rules is None or not rules.chooses_person:
        if handler is not None:
            raise ValidationFailed.for_field(
                "handler",
                f"'{table.title_of(stage)}' does not let you choose who handles it.",
            )
        return None
    choices = handler_choices(table, stage, parties, day=day)
    who = " or ".join(describe(table.profile, e) for e in rules.handlers)
    reference = explain(table.profile, "", rules.cite).reference
    if handler is None:
        raise ValidationFailed.for_field(
            "handler",
            f"Choose who handles '{rules.title}': one person who is {who} ({reference}).",
        )
    if handler not in choices:
        raise ValidationFailed.for_field(
            "handler",
            f"Choose someone who is {who} today, and is not a party to the case ({reference}).",
        )
    return handler


def viewer_expressions(
    table: TransitionTable, stage: str, chosen: str = ""
) -> list[RoleExpression]:
    """Who only sees the stage (its `visible_to`), as expressions to check for conflicts."""
    return [expression for expression, _ in table.viewer_expressions(stage, chosen)]


def person_exclude(case: Case, person_id: int, reason: str, text: str) -> None:
    """Keep the person off the case, saying why on the case (once)."""
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


def timers_queue(visit: CaseStage) -> None:
    """Queue the visit's timers on the task worker once the transaction commits."""

    def queue() -> None:
        from accord.procedures.tasks import schedule_timer

        for timer in CaseTimer.objects.filter(visit=visit, fired_at__isnull=True):
            schedule_timer(timer)

    transaction.on_commit(queue)


def fresh_conflict_check(
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
        stage_reassign(case, table, now=now, day=day)
        person_exclude(case, person_id, conflict.reason, f"This person {conflict.description}")


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
        stage_reassign(case, case_table(case), now=now, day=day)
        checked += 1
    return checked
