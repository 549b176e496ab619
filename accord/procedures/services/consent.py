"""Consent: the party a gated step names agrees to it, or withdraws that agreement until the
step is taken (`case_transition` uses it)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import ValidationFailed
from accord.procedures.errors import ConsentMissing, TransitionNotAllowed
from accord.procedures.models import Case, CaseConsent
from accord.procedures.resolve import Parties, resolve
from accord.procedures.selectors import case_get, case_table
from accord.procedures.services.duties import CaseEvent, duties_perform
from accord.procedures.table import TransitionTable, gate_of
from accord.profiles.explain import describe, explain
from accord.profiles.schema import DutyTrigger, Transition

__all__ = ["consent_give", "consent_withdraw"]


def consent_give(*, actor: Actor, case: Case, to: str, note: str = "") -> CaseConsent:
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
        duties_perform(
            case,
            table,
            [CaseEvent(DutyTrigger.CONSENT_GIVEN, to)],
            actor_id=giver,
            now=consent.given_at,
            day=clock.today(),
        )
    return consent


def consent_withdraw(*, actor: Actor, case: Case, to: str) -> CaseConsent:
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


def _gate(actor: Actor, case: Case, table: TransitionTable, to: str) -> tuple[Transition, int]:
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
