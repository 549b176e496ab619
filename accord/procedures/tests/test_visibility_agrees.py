"""Who may see a case is worked out two ways, and they must always agree.

Lists and single pages use one filter built from each person's standing (`visible_cases`);
reminders, handlers and scenario expectations resolve the profile's role expressions for the
case (`case_viewers`). Hypothesis plays random cases of every procedure of the council's
profile through the demo council, with absences, declared relationships and recorded
involvement thrown in, and checks after every step that the two answers are the same person
for person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accord.access.roles import people_acting_as
from accord.accounts.models import User
from accord.core import clock
from accord.core.errors import AccordError, ValidationFailed
from accord.core.testing import examples
from accord.directory.models import Officer, Person
from accord.directory.services import absence_record
from accord.procedures.models import Case
from accord.procedures.resolve import Parties, resolve
from accord.procedures.selectors import (
    case_handlers,
    case_table,
    case_viewers,
    records_needed,
    visible_cases,
)
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    engagement_record,
)
from accord.profiles.selectors import council_profile_in_force, profile_of
from accord.registers.services import relationship_declare

pytestmark = pytest.mark.django_db(transaction=False)


def _actor(person_id: int) -> Any:
    """A signed-in account for the person (the demo gives accounts to only a few people)."""
    user, _ = User.objects.get_or_create(
        person_id=person_id, defaults={"username": f"person-{person_id}"}
    )
    return user


def _candidates(case: Case, extra: list[int]) -> set[int]:
    """People any rule of the procedure could name for this case (up to five per rule, so a
    rule naming every officer does not make the check slow), plus some bystanders."""
    table = case_table(case)
    parties = Parties(case.raiser, case.subject)
    found = {case.raiser_id, *([case.subject_id] if case.subject_id else [])}
    for stage in table.stages.values():
        for expression in [*stage.handlers, *stage.visible_to]:
            if expression.kind.value != "handlers":
                found.update(resolve(expression, parties, on=clock.today())[:5])
    for rule in table.profile.conflicts:
        for expression in rule.alternates:
            found.update(resolve(expression, parties, on=clock.today())[:5])
    return found | set(extra)


def _check_agreement(case: Case, bystanders: list[int]) -> None:
    case.refresh_from_db()
    resolved = case_viewers(case)
    for person_id in sorted(_candidates(case, bystanders)):
        listed = visible_cases(_actor(person_id)).filter(pk=case.pk).exists()
        assert listed == (person_id in resolved), (
            f"person {person_id} at {case.procedure}/{case.stage}: "
            f"filter says {listed}, rules say {person_id in resolved}"
        )


@pytest.mark.usefixtures("demo_council")
@settings(
    max_examples=examples(15, quick=8),
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_case_filter_and_the_rules_name_the_same_people(data: st.DataObject) -> None:
    profile = profile_of(council_profile_in_force(on=clock.today()))
    officers = list(
        Person.objects.filter(kind="officer").order_by("pk").values_list("pk", flat=True)
    )
    members = list(Person.objects.filter(kind="member").order_by("pk").values_list("pk", flat=True))
    pools = {"officer": officers, "member": members}
    key = data.draw(st.sampled_from(sorted(profile.procedures)), label="procedure")
    procedure = profile.procedures[key]
    raiser_id = data.draw(st.sampled_from(pools[procedure.raised_by.value]), label="raiser")
    subject_id = data.draw(
        st.sampled_from([p for p in pools[procedure.about.value] if p != raiser_id]),
        label="subject",
    )
    bystanders = data.draw(st.lists(st.sampled_from(officers + members), max_size=3))
    raiser = Person.objects.get(pk=raiser_id)
    case = case_open(
        actor=_actor(raiser_id),
        procedure=key,
        raiser=raiser,
        subject=None if procedure.subject_named_later else Person.objects.get(pk=subject_id),
        profile_id=profile.id,
    )
    _check_agreement(case, bystanders)
    for _ in range(data.draw(st.integers(0, 4), label="steps")):
        if not case.is_open:
            break
        event = data.draw(st.sampled_from(["move", "move", "absence", "relationship"]))
        if event == "absence":
            _random_absence(data)
        elif event == "relationship":
            _random_relationship(data, case, officers)
        else:
            _random_move(data, case)
        case.refresh_from_db()
        _check_agreement(case, bystanders)


def _random_move(data: st.DataObject, case: Case) -> None:
    table = case_table(case)
    moves = table.from_stage(case.stage)
    move = data.draw(st.sampled_from(moves), label="move")
    parties = Parties(case.raiser, case.subject)
    if move.consent is not None:
        for giver in resolve(move.consent.from_, parties, on=clock.today()):
            consent_give(actor=_actor(giver), case=case, to=move.to)
    records = {name: "Recorded for the test." for name in records_needed(case, move)}
    if table.stages[case.stage].joint:
        # Everyone handling a joint stage takes part before it can be left.
        for handler in case_handlers(case):
            try:
                engagement_record(actor=_actor(handler), case=case)
            except AccordError:
                continue
    named = None
    if move.names_subject is not None:
        choices = [
            p
            for p in people_acting_as(move.names_subject.role, on=clock.today())
            if p != case.raiser_id
        ]
        named = Person.objects.get(pk=data.draw(st.sampled_from(choices))) if choices else None
    for expression in move.by:
        for person_id in resolve(expression, parties, on=clock.today()):
            try:
                case_transition(
                    actor=_actor(person_id), case=case, to=move.to, records=records, named=named
                )
            except AccordError:
                continue
            return


def _random_absence(data: st.DataObject) -> None:
    from accord.directory.models import StatutoryDesignation

    holders = list(
        StatutoryDesignation.objects.filter(is_deputy=False).values_list("officer_id", flat=True)
    )
    officer = Officer.objects.get(pk=data.draw(st.sampled_from(sorted(holders)), label="absent"))
    today = clock.today()
    # An overlapping absence is refused, which is fine: the officer is away either way.
    with contextlib.suppress(ValidationFailed):
        absence_record(
            actor=None, officer=officer, starts_on=today, ends_on=today + dt.timedelta(days=7)
        )


def _random_relationship(data: st.DataObject, case: Case, officers: list[int]) -> None:
    parties_ids = [p for p in (case.raiser_id, case.subject_id) if p is not None]
    other = data.draw(st.sampled_from(parties_ids), label="with")
    table = case_table(case)
    parties = Parties(case.raiser, case.subject)
    handlers = [
        p
        for expression in table.stages[case.stage].handlers
        for p in resolve(expression, parties, on=clock.today())
        if p not in (case.raiser_id, case.subject_id)
    ]
    if not handlers:
        return
    person = data.draw(st.sampled_from(handlers), label="conflicted")
    # Declaring the same pair twice is refused; the relationship stands either way.
    with contextlib.suppress(ValidationFailed):
        relationship_declare(
            actor=None,
            person=Person.objects.get(pk=person),
            other=Person.objects.get(pk=other),
            nature="friend",
        )
