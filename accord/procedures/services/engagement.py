"""Joint handling: each handler of a joint stage records that they have engaged with it (000
§50(b): the Chief Executive, the relevant Director and the Monitoring Officer all discuss the
concern with the officer). `case_transition` refuses to leave the stage until all have."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import ValidationFailed
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.models import Case, CaseEngagement, CaseStage
from accord.procedures.selectors import case_get, case_table, joint_parts
from accord.procedures.services.assignment import fresh_conflict_check
from accord.profiles.explain import explain

__all__ = ["engagement_record"]


def engagement_record(*, actor: Actor, case: Case) -> CaseEngagement:
    """Record that the actor, one of those handling the case's joint stage, has engaged with it
    (for a concern: discussed it with the officer). Once per person per visit to the stage."""
    case = case_get(actor, case.public_id)  # missing and forbidden look the same
    table = case_table(case)
    person_id = person_of(actor)
    day = clock.today()
    now = clock.now()
    stage = table.stages[case.stage]
    if not case.is_open or not stage.joint:
        raise ValidationFailed.for_field(
            "engagement", "This case is not at a stage its handlers take part in jointly."
        )
    fresh_conflict_check(case, table, person_id, day=day, now=now)
    parts = joint_parts(case, on=day)
    if person_id is None or not any(person_id in part.people for part in parts):
        raise TransitionNotAllowed(
            explain(
                table.profile,
                "Only those handling this stage can record that they have taken part",
                stage.cite,
            )
        )
    visit = CaseStage.objects.get(case=case, left_at__isnull=True)
    with transaction.atomic():
        try:
            with transaction.atomic():
                engagement = CaseEngagement.objects.create(
                    case=case,
                    visit=visit,
                    person_id=person_id,
                    roles=[p.expression.text for p in parts if person_id in p.people],
                    at=now,
                    cite=stage.cite,
                )
        except IntegrityError:
            raise ValidationFailed.for_field(
                "engagement", "You have already recorded that you took part."
            ) from None
        record(
            actor=actor,
            verb="procedures.engagement_recorded",
            target=case,
            data={
                "procedure": case.procedure,
                "stage": case.stage,
                "cite": stage.cite,
            },
        )
    return engagement
