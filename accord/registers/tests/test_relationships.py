"""The register of declared relationships at service and selector level: who may declare and end
what, who sees which declaration, and what a declaration does to the cases running now.

Runs on the example profile's council: an officer raises a concern about a councillor, which
the officer's Director and the Monitoring Officer handle at first.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest

from accord.access.actor import Actor
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed
from accord.directory.services import absence_record
from accord.procedures.models import Case, CaseExclusion, CaseStandIn
from accord.procedures.selectors import case_get, case_handlers, visible_cases
from accord.procedures.selectors.presentation import case_view
from accord.procedures.services import case_open, involvement_record
from accord.procedures.tests.example_council import EVERYONE, ExampleCouncil, example_council
from accord.registers.models import DeclaredRelationship
from accord.registers.selectors import (
    keeps_register,
    relationship_get,
    relationship_register,
    relationships_filtered,
    relationships_of,
    relationships_visible,
)
from accord.registers.services import relationship_declare, relationship_end

pytestmark = pytest.mark.django_db

MARKER = "MARKER-5e1d07-declared-in-confidence"


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _declare(
    example: ExampleCouncil, who: str, other: str, **kwargs: object
) -> DeclaredRelationship:
    return relationship_declare(
        actor=cast(Actor, kwargs.pop("actor", example.user(who))),
        person=example.person(who),
        other=example.person(other),
        nature=str(kwargs.pop("nature", "friend")),
        **kwargs,  # type: ignore[arg-type]
    )


def _open(example: ExampleCouncil) -> Case:
    return case_open(
        actor=example.user("officer"),
        procedure="officer_concern",
        raiser=example.person("officer"),
        subject=example.person("councillor"),
        profile_id="example",
    )


# --- Declaring and ending -------------------------------------------------------------------


def test_a_person_declares_their_own_relationship_once_whichever_way_round(example):
    declared = _declare(example, "colleague", "manager", description=f"  {MARKER}  ")

    assert {declared.person_id, declared.other_id} == {
        example.person("colleague").pk,
        example.person("manager").pk,
    }
    assert declared.description == MARKER
    assert declared.starts_on == clock.today()
    with pytest.raises(ValidationFailed) as refused:
        _declare(example, "manager", "colleague")
    assert refused.value.errors[0].field == "other"
    assert DeclaredRelationship.objects.count() == 1


def test_the_audit_trail_records_a_declaration_without_who_it_is_between_or_what_it_says(
    example,
):
    declared = _declare(example, "colleague", "councillor", nature="partner", description=MARKER)
    relationship_end(actor=example.user("councillor"), relationship=declared)

    events = list(AuditEvent.objects.filter(verb__startswith="registers."))
    assert [e.verb for e in events] == [
        "registers.relationship_declared",
        "registers.relationship_ended",
    ]
    for event in events:
        assert event.target_id == str(declared.pk)
        assert set(event.data) <= {"on_behalf", "open_cases_checked", "starts_on", "ends_on"}
        assert MARKER not in str(event.data)
        assert "partner" not in str(event.data)


def test_someone_who_keeps_no_register_cannot_declare_for_two_other_people(example):
    with pytest.raises(PermissionDenied) as refused:
        relationship_declare(
            actor=example.user("officer"),
            person=example.person("colleague"),
            other=example.person("manager"),
            nature="family",
        )

    assert refused.value.errors[0].field == "person"
    assert not DeclaredRelationship.objects.exists()


@pytest.mark.parametrize("keeper", ["mo", "deputy_mo"])
def test_the_monitoring_officer_or_a_deputy_records_a_declaration_on_someones_behalf(
    example, keeper
):
    declared = relationship_declare(
        actor=example.user(keeper),
        person=example.person("colleague"),
        other=example.person("manager"),
        nature="family",
    )

    event = AuditEvent.objects.get(verb="registers.relationship_declared")
    assert event.data["on_behalf"] is True
    ended = relationship_end(actor=example.user(keeper), relationship=declared)
    assert ended.ends_on == clock.today()


def test_a_relationship_cannot_be_declared_to_start_in_the_future(example):
    with pytest.raises(ValidationFailed) as refused:
        _declare(example, "colleague", "manager", starts_on=clock.today() + dt.timedelta(days=1))

    assert refused.value.errors[0].field == "starts_on"


def test_a_relationship_ends_once_and_not_before_it_started(example):
    declared = _declare(example, "colleague", "manager", starts_on=dt.date(2026, 1, 10))

    with pytest.raises(ValidationFailed) as early:
        relationship_end(
            actor=example.user("colleague"), relationship=declared, ends_on=dt.date(2026, 1, 9)
        )
    assert early.value.errors[0].field == "ends_on"
    relationship_end(actor=example.user("manager"), relationship=declared)
    with pytest.raises(ValidationFailed):
        relationship_end(
            actor=example.user("colleague"), relationship=DeclaredRelationship.objects.get()
        )


def test_someone_not_party_to_a_declaration_cannot_end_it_and_is_told_it_does_not_exist(example):
    declared = _declare(example, "colleague", "manager")

    for key in ("officer", "director", "chief_exec", "councillor"):
        with pytest.raises(NotFound):
            relationship_end(actor=example.user(key), relationship=declared)
    declared.refresh_from_db()
    assert declared.ends_on is None


# --- Who sees what --------------------------------------------------------------------------


def test_a_declaration_is_seen_only_by_its_two_people_and_the_monitoring_officer_and_deputy(
    example,
):
    declared = _declare(example, "colleague", "councillor", description=MARKER)
    readers = {"colleague", "councillor", "mo", "deputy_mo"}

    for key in EVERYONE:
        user = example.user(key)
        sees = key in readers
        assert relationships_visible(user).filter(description__contains=MARKER).exists() is sees
        assert relationships_filtered(user).count() == (1 if sees else 0), key
        assert relationships_filtered(user, person_id=example.person("colleague").pk).count() == (
            1 if sees else 0
        ), key
        if sees:
            assert relationship_get(user, declared.pk).description == MARKER
        else:
            with pytest.raises(NotFound):
                relationship_get(user, declared.pk)
    with pytest.raises(NotFound):
        relationship_get(example.user("mo"), declared.pk + 1000)


def test_ones_own_list_holds_only_ones_own_declarations_even_for_the_monitoring_officer(example):
    _declare(example, "colleague", "manager")
    mine = _declare(example, "mo", "director")

    assert list(relationships_of(example.user("mo"))) == [mine]
    assert relationship_register(example.user("mo")).count() == 2
    assert [r.pk for r in relationships_of(example.user("director"))] == [mine.pk]


def test_only_those_who_keep_the_register_see_all_of_it(example):
    _declare(example, "colleague", "manager")

    for key in EVERYONE:
        if key in {"mo", "deputy_mo"}:
            assert relationship_register(example.user(key)).count() == 1
        else:
            with pytest.raises(NotFound):
                relationship_register(example.user(key))


def test_the_register_filters_by_person_name_and_status(example):
    _declare(example, "colleague", "manager")
    ended = _declare(example, "officer", "councillor")
    relationship_end(actor=example.user("officer"), relationship=ended)
    mo = example.user("mo")

    assert relationship_register(mo, person_id=example.person("manager").pk).count() == 1
    assert relationship_register(mo, status="current").count() == 1
    assert list(relationship_register(mo, status="ended")) == [ended]
    family_name = example.person("councillor").family_name
    assert list(relationship_register(mo, query=family_name)) == [ended]


def test_a_monitoring_officer_away_today_does_not_keep_the_register_and_the_deputy_does(example):
    today = clock.today()
    absence_record(actor=None, officer=example.person("mo").officer, starts_on=today, ends_on=today)

    assert keeps_register(example.user("mo")) is False
    assert keeps_register(example.user("deputy_mo")) is True
    with pytest.raises(NotFound):
        relationship_register(example.user("mo"))


# --- What a declaration and a recorded involvement do to cases ------------------------------


def test_declaring_a_relationship_with_the_raiser_takes_the_declarer_off_the_case_at_once(
    example,
):
    case = _open(example)
    assert case_get(example.user("director"), case.public_id) == case

    _declare(example, "director", "officer", description=MARKER)

    with pytest.raises(NotFound):
        case_get(example.user("director"), case.public_id)
    assert not visible_cases(example.user("director")).exists()
    assert CaseExclusion.objects.filter(
        case=case, person=example.person("director"), reason="relationship"
    ).exists()
    stand_in = CaseStandIn.objects.get(case=case)
    assert stand_in.person_id == example.person("chief_exec").pk
    assert example.person("chief_exec").pk in case_handlers(case)
    for key in ("mo", "chief_exec"):
        notes = case_view(example.user(key), case_get(example.user(key), case.public_id))
        assert any("acts instead" in note for note in notes.handling_notes), key
        assert not any(MARKER in note for note in notes.handling_notes), key


def test_ending_the_relationship_does_not_put_the_declarer_back_on_the_case(example):
    case = _open(example)
    declared = _declare(example, "director", "officer")

    relationship_end(actor=example.user("director"), relationship=declared)

    with pytest.raises(NotFound):
        case_get(example.user("director"), case.public_id)


def test_recording_a_statutory_officers_involvement_hands_the_case_to_the_alternate(example):
    case = _open(example)

    involvement_record(
        actor=example.user("director"),
        case=case,
        person=example.person("mo"),
        note="Advised the member on this matter earlier.",
    )

    with pytest.raises(NotFound):
        case_get(example.user("mo"), case.public_id)
    handlers = case_handlers(case)
    assert example.person("mo").pk not in handlers
    assert example.person("deputy_mo").pk in handlers
    view = case_view(example.user("deputy_mo"), case_get(example.user("deputy_mo"), case.public_id))
    assert view.you_handle is True
    assert any("acts instead" in note for note in view.handling_notes)
