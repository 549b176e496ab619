"""Timers firing: a stage's deadline passed, so the people it names are reminded (or it is
escalated to them), once, however many workers and sweeps try."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from accord.audit.services import record
from accord.core import clock
from accord.directory.models import Person
from accord.procedures.models import Case, CaseAlert, CaseEscalation, CaseReminder, CaseTimer
from accord.procedures.pages import case_path
from accord.procedures.selectors import case_handlers, case_viewers, people_named
from accord.procedures.services.assignment import (
    chosen_only,
    stage_assign,
    viewer_expressions,
)
from accord.procedures.table import table_for
from accord.profiles.explain import describe, explain
from accord.profiles.expressions import ExpressionKind

__all__ = ["timer_fire", "timers_sweep"]


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
            stage_assign(
                case,
                timer.visit,
                table,
                table.handler_expressions(timer.visit.stage, case.handler_choice)
                + table.escalation_expressions(timer.visit.stage),
                now=now,
                day=today,
                viewers=viewer_expressions(table, timer.visit.stage, case.handler_choice),
                only=chosen_only(
                    case,
                    table,
                    timer.visit.stage,
                    escalated={e.text for e in table.escalation_expressions(timer.visit.stage)},
                ),
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
        # Those the profile reminds without content: a viewer among them gets the ordinary
        # reminder; anyone else is told only the paragraph, and still cannot see the case.
        alerted: list[int] = []
        for expression in stage_rules.timer.remind_without_content:
            for person in people_named(case, expression, on=today, as_handler=False):
                if person in (case.raiser_id, case.subject_id):
                    continue
                if person in viewers:
                    people += [person] if person not in people else []
                elif person not in alerted:
                    alerted.append(person)
        _alert(case, timer, alerted, now=now)
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
                "alerted": len(alerted),
            },
        )
    return True


def _alert(case: Case, timer: CaseTimer, people: list[int], *, now: dt.datetime) -> None:
    """A content-free alert, in Accord and by email, for each person: the paragraph and nothing
    else of the case; the link is to their own list, not to the case."""
    if not people:
        return
    from accord.notifications.services import notify

    profile = table_for(case.profile_version.text, case.procedure).profile
    line = explain(
        profile,
        "A matter under this paragraph of the protocol needs your attention; Accord does not "
        "show you the matter itself",
        timer.cite,
    )
    CaseAlert.objects.bulk_create(
        [
            CaseAlert(
                case=case, timer=timer, person_id=person, explanation=str(line), created_at=now
            )
            for person in people
        ],
        ignore_conflicts=True,
    )
    for recipient in Person.objects.filter(pk__in=people).order_by("pk"):
        notify(
            person=recipient,
            template="matter_alert",
            key=f"alert:{timer.pk}:{recipient.pk}",
            personalisation={"paragraph": line.reference},
            link=reverse("procedures:cases"),
        )


def timers_sweep() -> int:
    """Fire every overdue timer: the backstop that makes timers survive a stopped worker."""
    today = clock.today()
    overdue = CaseTimer.objects.filter(
        due_on__lt=today, fired_at__isnull=True, cancelled_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(1 for timer_id in list(overdue) if timer_fire(timer_id=timer_id))
