"""Date-dependent reads: who acts in a statutory office, who manages whom, who is Director."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.directory import selectors, services
from accord.directory.models import Officer, StatutoryDesignation
from accord.directory.tests.factories import DirectorateFactory, OfficerFactory

pytestmark = pytest.mark.django_db

MO = StatutoryDesignation.Office.MONITORING_OFFICER
START = dt.date(2025, 5, 1)
DAY = dt.date(2025, 9, 10)


@pytest.fixture
def office():
    """A Monitoring Officer with two ranked deputies, all from START."""
    holder, first, second = (OfficerFactory.create() for _ in range(3))
    services.statutory_designate(actor=None, office=MO, officer=holder, starts_on=START)
    services.statutory_designate(
        actor=None, office=MO, officer=second, starts_on=START, is_deputy=True, deputy_rank=2
    )
    services.statutory_designate(
        actor=None, office=MO, officer=first, starts_on=START, is_deputy=True, deputy_rank=1
    )
    return holder, first, second


def away(officer: Officer) -> None:
    services.absence_record(
        actor=None, officer=officer, starts_on=DAY - dt.timedelta(days=2), ends_on=DAY
    )


def test_the_holder_acts_when_present(office):
    holder, _, _ = office

    acting = selectors.acting_statutory_officer(office=MO, on=DAY)

    assert acting.officer == holder
    assert not acting.is_deputy
    assert acting.reason == "Holds the office of Monitoring Officer."


def test_the_first_deputy_acts_when_the_holder_is_absent(office):
    holder, first, _ = office
    away(holder)

    acting = selectors.acting_statutory_officer(office=MO, on=DAY)

    assert acting.officer == first
    assert acting.is_deputy
    assert holder.person.full_name in acting.reason


def test_the_second_deputy_acts_when_the_holder_and_first_deputy_are_absent(office):
    holder, first, second = office
    away(holder)
    away(first)

    acting = selectors.acting_statutory_officer(office=MO, on=DAY)

    assert acting.officer == second
    assert acting.reason.endswith(
        f"{holder.person.full_name} and {first.person.full_name} are absent."
    )


def test_nobody_acts_when_everyone_designated_is_absent(office):
    for officer in office:
        away(officer)

    acting = selectors.acting_statutory_officer(office=MO, on=DAY)

    assert acting.officer is None
    assert "Nobody is available" in acting.reason


def test_an_ended_designation_no_longer_counts(office):
    holder, first, _ = office
    designation = StatutoryDesignation.objects.get(officer=holder)
    services.statutory_designation_end(
        actor=None, designation=designation, ends_on=DAY - dt.timedelta(days=1)
    )

    assert selectors.acting_statutory_officer(office=MO, on=DAY - dt.timedelta(days=1)).officer == (
        holder
    )
    acting = selectors.acting_statutory_officer(office=MO, on=DAY)
    assert acting.officer == first
    assert "no holder is designated" in acting.reason


def test_an_absence_only_matters_on_the_days_it_covers(office):
    holder, _, _ = office
    away(holder)

    after = selectors.acting_statutory_officer(office=MO, on=DAY + dt.timedelta(days=1))

    assert after.officer == holder


def test_line_management_chain_runs_to_the_top_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    top = OfficerFactory.create()
    chain = [top]
    for _ in range(5):
        chain.append(OfficerFactory.create(line_manager=chain[-1]))
    bottom = chain[-1]

    with django_assert_num_queries(2):
        found = selectors.line_management_chain(officer=bottom)
        names = [officer.person.full_name for officer in found]

    assert found == list(reversed(chain[:-1]))
    assert names[-1] == top.person.full_name
    assert selectors.line_management_chain(officer=top) == []


def test_line_management_chain_stops_at_a_loop_in_bad_data():
    a = OfficerFactory.create()
    b = OfficerFactory.create(line_manager=a)
    Officer.objects.filter(pk=a.pk).update(line_manager=b)  # bypassing the services on purpose

    assert selectors.line_management_chain(officer=a) == [b]


def test_director_of_finds_the_director_of_the_officers_directorate_on_the_day():
    adults, children = DirectorateFactory.create(), DirectorateFactory.create()
    officer = OfficerFactory.create(directorate=adults)
    old, new = OfficerFactory.create(directorate=adults), OfficerFactory.create(directorate=adults)
    first = services.role_appoint(
        actor=None,
        person=old.person,
        role="director",
        directorate=adults,
        starts_on=START,
        ends_on=DAY - dt.timedelta(days=1),
    )
    second = services.role_appoint(
        actor=None, person=new.person, role="director", directorate=adults, starts_on=DAY
    )
    services.role_appoint(
        actor=None,
        person=OfficerFactory.create(directorate=children).person,
        role="director",
        directorate=children,
        starts_on=START,
    )

    assert selectors.director_of(officer=officer, on=START) == first
    assert selectors.director_of(officer=officer, on=DAY) == second
    assert selectors.director_of(officer=officer, on=START - dt.timedelta(days=1)) is None
