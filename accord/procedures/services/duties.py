"""Notification duties on a case: when a case event the profile names happens, the people the
duty names are told, in the same transaction as the event, and the case records that it was
done (or that there was no one to tell, or that it was done late).

Everyone told gets a notice on Accord and an email that says only that there is something to
read and under which paragraph: a case's existence may itself be confidential, so no email
carries any of it. A person told who may not see the case gets a notice without content: what
the duty says, its paragraph, and nothing of the case (no parties, no link to it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.directory.models import Person
from accord.procedures.deadlines import notice_by
from accord.procedures.models import Case, CaseDuty, CaseNotice
from accord.procedures.pages import case_path
from accord.procedures.selectors import case_viewers, people_named
from accord.procedures.table import TransitionTable
from accord.profiles.explain import explain
from accord.profiles.schema import DutyTrigger, NotificationDuty, NotifyWhen

__all__ = ["CaseEvent", "duties_perform", "events_of_move", "notices_read"]


@dataclass(frozen=True)
class CaseEvent:
    """Something that happened on a case that a duty may be set off by."""

    trigger: DutyTrigger
    key: str = ""


def events_of_move(
    table: TransitionTable, *, opened: bool, source: str, to: str, records: Iterable[str]
) -> list[CaseEvent]:
    """The events one move makes: opened, the stage left, the stage entered or the outcome
    reached, and each record written."""
    events: list[CaseEvent] = []
    if opened:
        events.append(CaseEvent(DutyTrigger.CASE_OPENED))
    elif source in table.stages:
        events.append(CaseEvent(DutyTrigger.STAGE_LEFT, source))
    if to in table.outcomes:
        events.append(CaseEvent(DutyTrigger.OUTCOME, to))
    else:
        events.append(CaseEvent(DutyTrigger.STAGE_ENTERED, to))
    events += [CaseEvent(DutyTrigger.RECORD_WRITTEN, key) for key in records]
    return events


def _matches(duty: NotificationDuty, table: TransitionTable, event: CaseEvent) -> bool:
    if duty.trigger is not event.trigger or duty.procedure != table.key:
        return False
    match event.trigger:
        case DutyTrigger.STAGE_ENTERED | DutyTrigger.STAGE_LEFT | DutyTrigger.CONSENT_GIVEN:
            return duty.stage == event.key
        case DutyTrigger.OUTCOME:
            return duty.outcome in (None, event.key)
        case DutyTrigger.RECORD_WRITTEN:
            return duty.record == event.key
        case _:
            return True


def duties_perform(
    case: Case,
    table: TransitionTable,
    events: list[CaseEvent],
    *,
    actor_id: int | None,
    now: dt.datetime,
    day: dt.date,
) -> list[CaseDuty]:
    """Carry out every duty `events` set off, inside the caller's transaction.

    Each duty resolves its recipients on the day (stand-ins for a conflict included, anyone
    kept off the case excluded), writes a notice for each and queues a content-free email,
    and records the duty on the case with its paragraph. The person whose action set it off is
    counted as told but not sent a notice: they know. Returns the duties recorded.
    """
    wanted = [
        (duty, event)
        for event in events
        for duty in table.profile.notification_duties
        if _matches(duty, table, event)
    ]
    if not wanted:
        return []
    # The caller's copy may still show the stage the case came from.
    fresh = Case.objects.select_related("raiser", "subject").get(pk=case.pk)
    viewers = case_viewers(fresh, on=day)
    done: list[CaseDuty] = []
    for duty, event in wanted:
        people: list[int] = []
        for expression in duty.tell:
            for person in people_named(fresh, expression, on=day, as_handler=False):
                if person not in people:
                    people.append(person)
        done.append(_perform(fresh, table, duty, event, people, viewers, actor_id, now, day))
    return done


def _due_before(case: Case, table: TransitionTable, duty: NotificationDuty) -> dt.date | None:
    """The day on or after which doing the duty is late: the day the matter is made public, or
    for a duty due before the case's event, the day after notice of it could last be given."""
    if duty.when in (NotifyWhen.BEFORE_PUBLIC, NotifyWhen.PROMPTLY_AND_BEFORE_PUBLIC):
        return case.public_on
    event = table.procedure.event
    if duty.when is NotifyWhen.BEFORE_START and event is not None and case.event_date:
        notice = table.profile.durations[event.notice]
        return notice_by(case.event_date, notice, table.profile) + dt.timedelta(days=1)
    return None


def _perform(
    case: Case,
    table: TransitionTable,
    duty: NotificationDuty,
    event: CaseEvent,
    people: list[int],
    viewers: set[int],
    actor_id: int | None,
    now: dt.datetime,
    day: dt.date,
) -> CaseDuty:
    due_before = _due_before(case, table, duty)
    late = due_before is not None and day >= due_before
    status = (
        CaseDuty.Status.NO_ONE
        if not people
        else CaseDuty.Status.LATE
        if late
        else CaseDuty.Status.DONE
    )
    says = duty.says or ""
    if status is CaseDuty.Status.NO_ONE:
        says = f"No one to tell: {says[:1].lower()}{says[1:]}" if says else "No one to tell"
    elif status is CaseDuty.Status.LATE:
        says = f"Told late, on or after {due_before:%-d %B %Y}: {says}"
    row = CaseDuty.objects.create(
        case=case,
        duty=duty.key,
        trigger=event.trigger.value,
        event=event.key,
        status=status,
        told=len(people),
        says=says.rstrip("."),
        cite=duty.cite,
        due_before=due_before,
        at=now,
    )
    recipients = [p for p in people if p != actor_id]
    CaseNotice.objects.bulk_create(
        [
            CaseNotice(
                case=case,
                duty=row,
                person_id=person,
                with_content=person in viewers,
                created_at=now,
            )
            for person in recipients
        ]
    )
    from accord.notifications.services import notify

    for person in Person.objects.filter(pk__in=recipients).order_by("pk"):
        notify(
            person=person,
            template="duty_notice",
            key=f"duty:{row.pk}:{person.pk}",
            personalisation={"paragraph": explain(table.profile, "", duty.cite).reference},
            link=case_path(case) if person.pk in viewers else reverse("procedures:notices"),
        )
    record(
        actor=None,
        verb="procedures.duty_done",
        target=case,
        data={
            "duty": duty.key,
            "trigger": event.trigger.value,
            "event": event.key,
            "status": status,
            "told": len(people),
            "cite": duty.cite,
        },
    )
    return row


def notices_read(*, actor: Actor) -> int:
    """Mark the actor's unread notices read (they have been shown them). Returns how many."""
    person_id = person_of(actor)
    if person_id is None:
        return 0
    with transaction.atomic():
        count = CaseNotice.objects.filter(person_id=person_id, read_at__isnull=True).update(
            read_at=clock.now()
        )
        if count:
            record(actor=actor, verb="procedures.notices_read", data={"count": count})
    return count
