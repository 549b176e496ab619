"""Switching the demo council's profile changes who handles a concern and when an enquiry is
due, with no code change: the rules come from the profile alone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accord.accounts.models import User
from accord.core import clock
from accord.demo.plan import DemoPlan
from accord.demo.services import demo_profile_use
from accord.directory.models import Council, Officer, Person
from accord.directory.selectors import acting_statutory_officer, director_of
from accord.procedures.models import Case
from accord.procedures.selectors import case_handlers, case_timer
from accord.procedures.services import case_open
from accord.profiles import shipped
from accord.profiles.schema import Purpose
from accord.profiles.selectors import council_profile_in_force, profile_of

pytestmark = pytest.mark.django_db

# A Monday, so the working-day arithmetic below is easy to check by hand.
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def _open(purpose: Purpose, raiser: Person, subject: Person) -> Case:
    version = council_profile_in_force(on=clock.today())
    (key, *_) = profile_of(version).procedures_for(purpose)
    user = User.objects.get(person=raiser)
    return case_open(
        actor=user, procedure=key, raiser=raiser, subject=subject, profile_version=version
    )


def _run_on(profile: str) -> tuple[set[int], dt.date]:
    demo_profile_use(actor=None, texts=shipped.shipped_texts(profile))
    officer = User.objects.get(username="officer").person
    member = User.objects.get(username="member").person
    assert officer is not None
    assert member is not None
    concern = _open(Purpose.OFFICER_CONCERN, officer, member)
    enquiry = _open(Purpose.MEMBER_ENQUIRY, member, officer)
    timer = case_timer(enquiry)
    assert timer is not None
    return set(case_handlers(concern)), timer.due_on


@pytest.mark.usefixtures("demo_council")
@time_machine.travel(MONDAY, tick=False)
def test_switching_profiles_changes_the_concern_handler_and_enquiry_deadline(
    demo_council: DemoPlan,
) -> None:
    officer = Officer.objects.get(person__user__username="officer")
    director = director_of(officer=officer)
    assert director is not None
    chief_executive = acting_statutory_officer(office="head_of_paid_service").officer
    monitoring_officer = acting_statutory_officer(office="monitoring_officer").officer
    assert chief_executive is not None
    assert monitoring_officer is not None
    assert officer.line_manager is not None

    handlers_000, due_000 = _run_on("leicestershire-000")
    handlers_001, due_001 = _run_on("council-001")
    handlers_004, due_004 = _run_on("council-004")

    # 000 §50(a): the Director, Chief Executive or Monitoring Officer hears it first.
    assert handlers_000 == {
        director.person_id,
        chief_executive.person_id,
        monitoring_officer.person_id,
    }
    # 001 §10(b): through the officer's own line management.
    assert handlers_001 == {officer.line_manager.person_id, director.person_id}
    # 004 §6.2: straight to the Chief Executive.
    assert handlers_004 == {chief_executive.person_id}
    # Enquiries: 10 working days in 000 and 001 (stated defaults), one week in 004 §3.5.
    assert due_000 == due_001 == dt.date(2026, 11, 16)
    assert due_004 == dt.date(2026, 11, 9)
    assert Council.objects.get().profile_name == "council-004"


@pytest.mark.usefixtures("demo_council")
@time_machine.travel(MONDAY, tick=False)
def test_cases_opened_before_a_switch_keep_the_rules_they_opened_under() -> None:
    demo_profile_use(actor=None, texts=shipped.shipped_texts("leicestershire-000"))
    officer = User.objects.get(username="officer").person
    member = User.objects.get(username="member").person
    assert officer is not None
    assert member is not None
    before = _open(Purpose.OFFICER_CONCERN, officer, member)
    demo_profile_use(actor=None, texts=shipped.shipped_texts("council-004"))
    before.refresh_from_db()
    assert before.profile_version.profile_id == "leicestershire"
    assert len(case_handlers(before)) == 3
