"""Writes for conduct concerns: raising one, acting on it, consent and sharing, later reports.

Each service opens or moves the engine's case (`accord.procedures.services`) in the same
transaction as its own writes and its audit event, and writes any email to the outbox in that
transaction too, so a concern is never half-raised and a message never goes for an action that
rolled back. Emails only say that something needs attention, with a link: never content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record, record_read
from accord.concerns.models import Concern
from accord.concerns.selectors import ACTIONS, concern_get, direction_purpose
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.core.validation import Problems
from accord.directory.models import Person
from accord.notifications.services import notify
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.models import Case, CaseConsent
from accord.procedures.resolve import Parties, resolve
from accord.procedures.selectors import case_handlers, case_table
from accord.procedures.services import (
    case_open,
    case_reopen,
    case_transition,
    consent_give,
    consent_withdraw,
)
from accord.procedures.table import TransitionTable, table_for
from accord.profiles.explain import explain
from accord.profiles.loader import load_profile
from accord.profiles.selectors import council_profile_in_force

__all__ = [
    "ACTIONS",
    "concern_act",
    "concern_consent_give",
    "concern_consent_withdraw",
    "concern_raise",
    "concern_register_exported",
    "concern_report",
    "concern_share",
    "concern_viewed",
]

TEXT_MAX = 20_000


def _link(case: Case) -> str:
    return f"/concerns/{case.public_id}/"


def _tell(people: list[int], case: Case, template: str, key: str, reason: str = "") -> None:
    """Write one outbox message per person; the message carries a link and at most a
    rules-level reason, never anything written on the concern."""
    found = Person.objects.in_bulk(people)
    for person_id in people:
        person = found.get(person_id)
        if person is not None:
            values = {"reason": reason} if reason else {}
            notify(
                person=person,
                template=template,
                key=f"{key}:{person_id}",
                personalisation=values,
                link=_link(case),
            )


# --- Raising --------------------------------------------------------------------------------


def concern_raise(
    *,
    actor: Actor,
    direction: str,
    subject: Person | None,
    what_happened: str,
    happened_on: dt.date | None = None,
    outcome_wanted: str = "",
    tried_direct: bool | None,
    tried_direct_details: str = "",
    first_contact: str = "",
    raiser: Person | None = None,
) -> Concern:
    """Raise a concern under the council's profile in force today. `raiser` is given when the
    actor records it on someone's behalf: only a person the first stage would give it to (the
    one they spoke to) may do that, and it goes to them."""
    actor_person = person_of(actor)
    if actor_person is None:
        raise NotFound()
    errors = Problems()
    if direction not in Concern.Direction.values:
        raise ValidationFailed.for_field("direction", "Choose who the concern is about.")
    stored = council_profile_in_force(on=clock.today())
    profile_procedures = _procedures_for(stored.text, direction)
    if not profile_procedures:
        raise ValidationFailed.for_field(
            "direction", "The council's protocol has no route for this kind of concern."
        )
    table = table_for(stored.text, profile_procedures[0])
    who = raiser or Person.objects.get(pk=actor_person)
    on_behalf = who.pk != actor_person
    if subject is None:
        errors.add("subject", "Say who the concern is about.")
    what = errors.text(
        "what_happened", what_happened, max_length=TEXT_MAX, required="Say what happened."
    )
    wanted = errors.text("outcome_wanted", outcome_wanted, max_length=TEXT_MAX)
    if happened_on is not None and happened_on > clock.today():
        errors.add("happened_on", "The date it happened must be today or earlier.")
    if tried_direct is None:
        errors.add("tried_direct", "Say whether you have tried to settle it with them directly.")
    details = errors.text("tried_direct_details", tried_direct_details, max_length=TEXT_MAX)
    choice = _first_contact(errors, table, first_contact, who, subject, actor_person, on_behalf)
    errors.raise_if_any("The concern could not be raised.")
    with transaction.atomic():
        case = case_open(
            actor=actor,
            procedure=table.key,
            raiser=who,
            subject=subject,
            profile_version=stored,
            handler_choice=choice,
        )
        concern = Concern.objects.create(
            case=case,
            direction=direction,
            recorded_by_id=actor_person if on_behalf else None,
            what_happened=what,
            happened_on=happened_on,
            outcome_wanted=wanted,
            tried_direct=bool(tried_direct),
            tried_direct_details=details,
            created_at=clock.now(),
        )
        record(
            actor=actor,
            verb="concerns.concern_raised",
            target=concern,
            data={
                "case": str(case.public_id),
                "direction": direction,
                "on_behalf": on_behalf,
                "first_contact": choice,
                "cite": table.procedure.cite,
            },
        )
        _tell_handlers(case, table, f"opened:{case.public_id}")
    return concern


def _procedures_for(text: str, direction: str) -> list[str]:
    return load_profile(text).procedures_for(direction_purpose(direction))


def _first_contact(
    errors: Problems,
    table: TransitionTable,
    first_contact: str,
    raiser: Person,
    subject: Person | None,
    recorder: int,
    on_behalf: bool,
) -> str:
    choices = table.handler_choices()
    parties = Parties(raiser, subject)
    day = clock.today()
    if on_behalf:
        # The person who listened records it, and it goes to them (or to what they hold).
        naming = [
            e
            for e in table.handler_expressions(table.procedure.initial)
            if recorder in resolve(e, parties, on=day)
        ]
        if not naming:
            errors.add(
                "raiser",
                "Only someone the concern would go to first can record it for another person.",
            )
            return ""
        if not choices:
            return ""
        if first_contact and first_contact not in {e.text for e in naming}:
            errors.add("first_contact", "Recorded for someone, it goes to you.")
            return ""
        return first_contact or naming[0].text
    if not choices:
        if first_contact:
            errors.add("first_contact", "The council's protocol says who takes this concern first.")
        return ""
    if first_contact not in {e.text for e in choices}:
        errors.add("first_contact", "Choose who you want to talk to first.")
        return ""
    return first_contact


def _tell_handlers(case: Case, table: TransitionTable, key: str) -> None:
    reason = str(
        explain(
            table.profile,
            f"A concern needs your attention at '{table.title_of(case.stage)}'",
            table.stages[case.stage].cite,
        )
    )
    _tell(case_handlers(case), case, "case_assigned", key, reason)


# --- Acting on it ---------------------------------------------------------------------------


def concern_act(
    *, actor: Actor, concern: Concern, to: str, records: Mapping[str, str] | None = None
) -> Case:
    """Take a step the profile allows; the same refusals as `case_transition`, plus a check
    that any recorded action is one of `ACTIONS`."""
    clean = dict(records or {})
    action = clean.get("action")
    if action is not None and action.strip() and action.strip() not in ACTIONS:
        allowed = ", ".join(ACTIONS.values())
        raise ValidationFailed.for_field("records.action", f"Choose one of: {allowed}.")
    with transaction.atomic():
        case = case_transition(actor=actor, case=concern.case, to=to, records=clean)
        table = case_table(case)
        key = f"moved:{case.public_id}:{case.revision}"
        if case.is_open:
            _tell_handlers(case, table, key)
            if _consent_awaited(table, case):
                _tell([case.raiser_id], case, "consent_requested", key)
        else:
            _tell([case.raiser_id], case, "concern_update", key)
    return case


def _consent_awaited(table: TransitionTable, case: Case) -> bool:
    return any(
        t.consent is not None and t.consent.from_.text == "raiser"
        for t in table.from_stage(case.stage)
    )


def concern_consent_give(
    *, actor: Actor, concern: Concern, to: str, summary: str, share_identity: bool
) -> CaseConsent:
    """The raiser agrees to a gated step (000 §50(c)), saying what may be shared with those it
    brings in and whether their name may be. What they share replaces what they shared before."""
    errors = Problems()
    text = errors.text("summary", summary, max_length=TEXT_MAX)
    errors.raise_if_any("The agreement could not be recorded.")
    with transaction.atomic():
        consent = consent_give(actor=actor, case=concern.case, to=to, note=text)
        _set_sharing(actor, concern, text, share_identity, via="consent")
    return consent


def concern_consent_withdraw(*, actor: Actor, concern: Concern, to: str) -> CaseConsent:
    """Withdraw an agreement while the step it allowed has not been taken."""
    return consent_withdraw(actor=actor, case=concern.case, to=to)


def concern_share(*, actor: Actor, concern: Concern, summary: str, share_identity: bool) -> Concern:
    """The raiser says what may be shown to people the procedure tells of the concern beyond
    those handling it, and whether their name may be; only the raiser can."""
    concern = concern_get(actor, concern.case.public_id)
    if person_of(actor) != concern.case.raiser_id:
        table = case_table(concern.case)
        raise TransitionNotAllowed(
            explain(
                table.profile,
                "Only the person who raised the concern decides what is shared",
                table.procedure.cite,
            )
        )
    errors = Problems()
    text = errors.text("summary", summary, max_length=TEXT_MAX)
    errors.raise_if_any("What you share could not be saved.")
    with transaction.atomic():
        _set_sharing(actor, concern, text, share_identity, via="raiser")
    concern.refresh_from_db()
    return concern


def _set_sharing(actor: Actor, concern: Concern, text: str, share_identity: bool, via: str) -> None:
    Concern.objects.filter(pk=concern.pk).update(shared_summary=text, share_identity=share_identity)
    record(
        actor=actor,
        verb="concerns.sharing_set",
        target=concern,
        data={"via": via, "summary_given": bool(text), "identity_shared": share_identity},
    )


# --- Later reports and reads ----------------------------------------------------------------


def concern_report(*, actor: Actor, concern: Concern, report: str) -> Case:
    """Record a later report of pressure or retaliation (000 §50(d), SO §6.3): the case goes to
    the stage the profile names (the Monitoring Officer), reopening it if it had ended."""
    with transaction.atomic():
        case = case_reopen(actor=actor, case=concern.case, report=report)
        record(
            actor=actor,
            verb="concerns.report_recorded",
            target=concern,
            data={"case": str(case.public_id), "stage": case.stage},
        )
        _tell_handlers(case, case_table(case), f"reopened:{case.public_id}:{case.revision}")
    return case


def concern_register_exported(*, actor: Actor, filters: Mapping[str, str], rows: int) -> None:
    """Record that the actor exported the register: the filters used and how many rows, never
    what they held."""
    with transaction.atomic():
        record(
            actor=actor,
            verb="concerns.register_exported",
            data={"filters": {k: str(v)[:100] for k, v in sorted(filters.items())}, "rows": rows},
        )


def concern_viewed(*, actor: Actor, concern: Concern) -> None:
    """Record that the actor opened the concern: the raiser can see who has."""
    if person_of(actor) is None:
        return
    with transaction.atomic():
        record_read(actor=actor, target=concern)
