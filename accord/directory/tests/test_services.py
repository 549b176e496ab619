"""Directory services: each validates its input naming the field, writes in one transaction and
leaves exactly one audit event."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.audit.models import AuditEvent
from accord.directory import services
from accord.directory.models import (
    Absence,
    Committee,
    CommitteeMembership,
    Council,
    Member,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)
from accord.directory.tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    DivisionFactory,
    GroupFactory,
    MemberFactory,
    OfficerFactory,
    UserFactory,
)
from accord.directory.tests.helpers import assert_rejected, audited

pytestmark = pytest.mark.django_db

D1 = dt.date(2025, 5, 1)
D2 = dt.date(2025, 6, 1)
MO = StatutoryDesignation.Office.MONITORING_OFFICER


@pytest.fixture
def actor():
    return UserFactory.create()


def make_member(actor, email="member@example.gov.uk", **overrides):
    values = {
        "actor": actor,
        "given_name": "Ada",
        "family_name": "Example",
        "email": email,
        "group": GroupFactory.create(),
        "divisions": [DivisionFactory.create()],
        "term_starts_on": D1,
    }
    values.update(overrides)
    return services.member_create(**values)


def make_officer(actor, email="officer@example.gov.uk", **overrides):
    values = {
        "actor": actor,
        "given_name": "Bea",
        "family_name": "Example",
        "email": email,
        "directorate": DirectorateFactory.create(),
        "job_title": "Team Manager",
    }
    values.update(overrides)
    return services.officer_create(**values)


# --- council, groups, divisions, directorates --------------------------------------------------


def test_council_configure_creates_then_updates_the_single_council(actor):
    first = services.council_configure(
        actor=actor,
        name="Example County Council",
        short_name="ECC",
        governance="leader_and_cabinet",
    )
    second = services.council_configure(
        actor=actor,
        name="Example Council",
        short_name="EC",
        governance="committee_system",
        profile_name="000",
    )
    assert first.pk == second.pk
    assert Council.objects.get().name == "Example Council"
    assert AuditEvent.objects.filter(verb="directory.council_configured").count() == 2


def test_council_configure_rejects_unknown_governance(actor):
    assert_rejected(
        lambda: services.council_configure(
            actor=actor, name="X", short_name="X", governance="mayoral"
        ),
        "governance",
    )
    assert not Council.objects.exists()


def test_group_create_is_audited_and_rejects_a_duplicate_short_name(actor):
    group = services.group_create(actor=actor, name="Blue Party", short_name="BLU")
    audited("directory.group_created", group)
    assert_rejected(
        lambda: services.group_create(actor=actor, name="Blue Other", short_name="blu"),
        "short_name",
    )
    assert PoliticalGroup.objects.count() == 1


def test_division_create_rejects_a_duplicate_code_and_a_blank_name(actor):
    division = services.division_create(actor=actor, code="N01", name="North")
    audited("directory.division_created", division)
    error = assert_rejected(
        lambda: services.division_create(actor=actor, code="n01", name=" "), "code"
    )
    assert {"code", "name"} <= {e.field for e in error.errors}


def test_adjacency_is_symmetric_and_replaceable(actor):
    north, south, east = (
        DivisionFactory.create(),
        DivisionFactory.create(),
        DivisionFactory.create(),
    )
    services.division_set_adjacent(actor=actor, division=north, adjacent=[south, east])
    assert set(south.adjacent.all()) == {north}
    services.division_set_adjacent(actor=actor, division=north, adjacent=[east])
    assert not south.adjacent.exists()
    assert set(east.adjacent.all()) == {north}
    assert AuditEvent.objects.filter(verb="directory.division_adjacency_set").count() == 2


def test_a_division_cannot_adjoin_itself(actor):
    north, south = DivisionFactory.create(), DivisionFactory.create()
    assert_rejected(
        lambda: services.division_set_adjacent(
            actor=actor, division=north, adjacent=[south, north]
        ),
        "adjacent",
    )
    assert not north.adjacent.exists()


def test_directorate_create_is_audited_and_rejects_a_duplicate_name(actor):
    directorate = services.directorate_create(actor=actor, code="ADU", name="Adult Services")
    audited("directory.directorate_created", directorate)
    assert_rejected(
        lambda: services.directorate_create(actor=actor, code="AS2", name="adult services"),
        "name",
    )


# --- people ------------------------------------------------------------------------------------


def test_member_create_writes_person_member_divisions_and_one_event(actor):
    north = DivisionFactory.create()
    member = make_member(actor, email=" Ada@Example.gov.uk ", divisions=[north], is_co_opted=True)
    assert member.person.kind == Person.Kind.MEMBER
    assert member.person.email == "ada@example.gov.uk"
    assert list(member.divisions.all()) == [north]
    event = audited("directory.member_created", member)
    assert event.actor_id == actor.pk
    assert event.data["divisions"] == [north.code]


def test_member_create_rejects_an_email_already_used_whatever_its_case(actor):
    make_member(actor, email="ada@example.gov.uk")
    assert_rejected(lambda: make_member(actor, email="ADA@example.gov.uk"), "email")
    assert Person.objects.count() == 1


def test_member_create_rejects_an_invalid_email_and_a_reversed_term(actor):
    error = assert_rejected(
        lambda: make_member(actor, email="not-an-email", term_ends_on=D1 - dt.timedelta(days=1)),
        "email",
    )
    assert "term_ends_on" in {e.field for e in error.errors}
    assert not Person.objects.exists()


def test_member_create_rejects_an_external_ref_already_used(actor):
    make_member(actor, email="a@example.gov.uk", external_ref="M-1")
    assert_rejected(
        lambda: make_member(actor, email="b@example.gov.uk", external_ref="M-1"), "external_ref"
    )


def test_member_update_records_only_what_changed(actor):
    member = make_member(actor, phone="01234")
    kwargs = {
        "actor": actor,
        "member": member,
        "given_name": "Ada",
        "family_name": "Example",
        "email": member.person.email,
        "group": member.group,
        "divisions": list(member.divisions.all()),
        "term_starts_on": D1,
        "phone": "01234",
    }
    services.member_update(**kwargs)
    assert not AuditEvent.objects.filter(verb="directory.member_updated").exists()

    services.member_update(**{**kwargs, "phone": "05678"})
    event = audited("directory.member_updated", member)
    assert event.data["changed"] == {"phone": ["01234", "05678"]}


def test_officer_create_is_audited_with_its_line_manager(actor):
    manager = make_officer(actor, email="boss@example.gov.uk")
    officer = make_officer(actor, line_manager=manager, is_cmt=False)
    assert officer.line_manager == manager
    assert audited("directory.officer_created", officer).data["line_manager_id"] == manager.pk


def test_officer_create_requires_a_job_title(actor):
    assert_rejected(lambda: make_officer(actor, job_title="  "), "job_title")


def test_officer_update_rejects_a_line_manager_loop(actor):
    top = make_officer(actor, email="top@example.gov.uk")
    middle = make_officer(actor, email="middle@example.gov.uk", line_manager=top)
    bottom = make_officer(actor, email="bottom@example.gov.uk", line_manager=middle)

    def make_top_report_to_bottom():
        return services.officer_update(
            actor=actor,
            officer=top,
            given_name="Bea",
            family_name="Example",
            email=top.person.email,
            directorate=top.directorate,
            job_title="Team Manager",
            line_manager=bottom,
        )

    assert_rejected(make_top_report_to_bottom, "line_manager")
    top.refresh_from_db()
    assert top.line_manager is None


# --- roles -------------------------------------------------------------------------------------


def test_role_appoint_and_end_keep_the_row_and_audit_both(actor):
    member = MemberFactory.create()
    appointment = services.role_appoint(
        actor=actor,
        person=member.person,
        role="lead_member",
        starts_on=D1,
        areas=["Highways", " "],
    )
    assert appointment.areas == ["Highways"]
    audited("directory.role_appointed", appointment)

    services.role_end(actor=actor, appointment=appointment, ends_on=D2)
    appointment.refresh_from_db()
    assert appointment.ends_on == D2
    audited("directory.role_ended", appointment)


def test_a_member_role_cannot_be_given_to_an_officer(actor):
    officer = OfficerFactory.create()
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor, person=officer.person, role="leader", starts_on=D1
        ),
        "role",
    )
    assert not RoleAppointment.objects.exists()


def test_an_officer_role_cannot_be_given_to_a_member(actor):
    member = MemberFactory.create()
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor,
            person=member.person,
            role="director",
            starts_on=D1,
            directorate=DirectorateFactory.create(),
        ),
        "role",
    )


def test_role_appoint_rejects_an_end_before_the_start(actor):
    member = MemberFactory.create()
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor, person=member.person, role="lead_member", starts_on=D2, ends_on=D1
        ),
        "ends_on",
    )


def test_there_is_one_leader_at_a_time(actor):
    first, second = MemberFactory.create(), MemberFactory.create()
    services.role_appoint(actor=actor, person=first.person, role="leader", starts_on=D1)
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor, person=second.person, role="leader", starts_on=D2
        ),
        "role",
    )


def test_a_new_leader_may_follow_one_whose_appointment_has_ended(actor):
    first, second = MemberFactory.create(), MemberFactory.create()
    old = services.role_appoint(actor=actor, person=first.person, role="leader", starts_on=D1)
    services.role_end(actor=actor, appointment=old, ends_on=D2 - dt.timedelta(days=1))
    new = services.role_appoint(actor=actor, person=second.person, role="leader", starts_on=D2)
    assert new.pk


def test_a_group_has_one_group_leader_at_a_time(actor):
    group = GroupFactory.create()
    first, second = MemberFactory.create(group=group), MemberFactory.create(group=group)
    services.role_appoint(
        actor=actor, person=first.person, role="group_leader", group=group, starts_on=D1
    )
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor, person=second.person, role="group_leader", group=group, starts_on=D2
        ),
        "group",
    )
    other_group = GroupFactory.create()
    services.role_appoint(
        actor=actor,
        person=MemberFactory.create(group=other_group).person,
        role="group_leader",
        group=other_group,
        starts_on=D2,
    )


def test_a_group_leader_needs_a_group_and_a_director_a_directorate(actor):
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor, person=MemberFactory.create().person, role="group_leader", starts_on=D1
        ),
        "group",
    )
    assert_rejected(
        lambda: services.role_appoint(
            actor=actor, person=OfficerFactory.create().person, role="director", starts_on=D1
        ),
        "directorate",
    )


def test_role_end_rejects_an_end_before_the_start_and_an_extension(actor):
    appointment = services.role_appoint(
        actor=actor,
        person=MemberFactory.create().person,
        role="lead_member",
        starts_on=D1,
        ends_on=D2,
    )
    assert_rejected(
        lambda: services.role_end(
            actor=actor, appointment=appointment, ends_on=D1 - dt.timedelta(days=1)
        ),
        "ends_on",
    )
    assert_rejected(
        lambda: services.role_end(
            actor=actor, appointment=appointment, ends_on=D2 + dt.timedelta(days=1)
        ),
        "ends_on",
    )


# --- statutory officers, absences --------------------------------------------------------------


def test_statutory_designate_is_audited(actor):
    designation = services.statutory_designate(
        actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D1
    )
    audited("directory.statutory_designated", designation)


def test_an_office_has_one_holder_at_a_time(actor):
    services.statutory_designate(
        actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D1
    )
    assert_rejected(
        lambda: services.statutory_designate(
            actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D2
        ),
        "office",
    )
    # A different office, or a deputy for the same one, is fine.
    services.statutory_designate(
        actor=actor, office="chief_finance_officer", officer=OfficerFactory.create(), starts_on=D2
    )
    services.statutory_designate(
        actor=actor,
        office=MO,
        officer=OfficerFactory.create(),
        starts_on=D2,
        is_deputy=True,
        deputy_rank=1,
    )


def test_a_successor_may_hold_the_office_once_the_holder_has_ended(actor):
    holder = services.statutory_designate(
        actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D1
    )
    services.statutory_designation_end(
        actor=actor, designation=holder, ends_on=D2 - dt.timedelta(days=1)
    )
    audited("directory.statutory_designation_ended", holder)
    successor = services.statutory_designate(
        actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D2
    )
    assert successor.pk


def test_deputies_need_distinct_ranks_of_one_or_more(actor):
    assert_rejected(
        lambda: services.statutory_designate(
            actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D1, is_deputy=True
        ),
        "deputy_rank",
    )
    services.statutory_designate(
        actor=actor,
        office=MO,
        officer=OfficerFactory.create(),
        starts_on=D1,
        is_deputy=True,
        deputy_rank=1,
    )
    assert_rejected(
        lambda: services.statutory_designate(
            actor=actor,
            office=MO,
            officer=OfficerFactory.create(),
            starts_on=D1,
            is_deputy=True,
            deputy_rank=1,
        ),
        "deputy_rank",
    )


def test_statutory_designate_rejects_an_unknown_office_and_reversed_dates(actor):
    error = assert_rejected(
        lambda: services.statutory_designate(
            actor=actor,
            office="town_clerk",
            officer=OfficerFactory.create(),
            starts_on=D2,
            ends_on=D1,
        ),
        "office",
    )
    assert "ends_on" in {e.field for e in error.errors}


def test_absence_record_is_audited_and_rejects_reversed_or_overlapping_periods(actor):
    officer = OfficerFactory.create()
    absence = services.absence_record(
        actor=actor, officer=officer, starts_on=D1, ends_on=D2, reason="Leave"
    )
    audited("directory.absence_recorded", absence)
    assert_rejected(
        lambda: services.absence_record(actor=actor, officer=officer, starts_on=D2, ends_on=D1),
        "ends_on",
    )
    assert_rejected(
        lambda: services.absence_record(
            actor=actor, officer=officer, starts_on=D2, ends_on=D2 + dt.timedelta(days=3)
        ),
        "starts_on",
    )
    assert Absence.objects.count() == 1


# --- committees --------------------------------------------------------------------------------


def test_committee_create_is_audited_and_rejects_an_unknown_kind(actor):
    committee = services.committee_create(actor=actor, name="Scrutiny", kind="overview_scrutiny")
    audited("directory.committee_created", committee)
    assert_rejected(lambda: services.committee_create(actor=actor, name="X", kind="board"), "kind")
    assert Committee.objects.count() == 1


def test_a_committee_has_one_chair_at_a_time(actor):
    committee = CommitteeFactory.create()
    membership = services.committee_add_member(
        actor=actor,
        committee=committee,
        member=MemberFactory.create(),
        position="chair",
        starts_on=D1,
    )
    audited("directory.committee_member_added", membership)
    assert_rejected(
        lambda: services.committee_add_member(
            actor=actor,
            committee=committee,
            member=MemberFactory.create(),
            position="chair",
            starts_on=D2,
        ),
        "position",
    )
    services.committee_add_member(
        actor=actor,
        committee=committee,
        member=MemberFactory.create(),
        position="vice_chair",
        starts_on=D2,
    )
    assert CommitteeMembership.objects.count() == 2


def test_a_member_cannot_join_a_committee_twice(actor):
    committee, member = CommitteeFactory.create(), MemberFactory.create()
    services.committee_add_member(
        actor=actor, committee=committee, member=member, position="member", starts_on=D1
    )
    assert_rejected(
        lambda: services.committee_add_member(
            actor=actor, committee=committee, member=member, position="member", starts_on=D2
        ),
        "member",
    )


# --- change of administration ------------------------------------------------------------------


def test_administration_change_ends_the_old_executive_and_appoints_the_new_leader(actor):
    blue, red = GroupFactory.create(), GroupFactory.create()
    old_leader, old_deputy, old_lead = (MemberFactory.create(group=blue) for _ in range(3))
    blue_group_leader = MemberFactory.create(group=blue)
    services.administration_change(actor=actor, groups=[blue], leader=old_leader, starts_on=D1)
    deputy = services.role_appoint(
        actor=actor, person=old_deputy.person, role="deputy_leader", starts_on=D1
    )
    lead = services.role_appoint(
        actor=actor, person=old_lead.person, role="lead_member", starts_on=D1, areas=["Roads"]
    )
    group_leadership = services.role_appoint(
        actor=actor,
        person=blue_group_leader.person,
        role="group_leader",
        group=blue,
        starts_on=D1,
    )
    director = services.role_appoint(
        actor=actor,
        person=OfficerFactory.create().person,
        role="director",
        starts_on=D1,
        directorate=DirectorateFactory.create(),
    )
    previous = Member.objects.get(pk=old_leader.pk)
    events_before = AuditEvent.objects.count()

    change_day = dt.date(2026, 5, 10)
    new_leader = MemberFactory.create(group=red)
    administration = services.administration_change(
        actor=actor, groups=[red], leader=new_leader, starts_on=change_day, note="After election"
    )

    day_before = change_day - dt.timedelta(days=1)
    old_administration = administration.__class__.objects.exclude(pk=administration.pk).get()
    assert old_administration.leader == previous
    assert old_administration.ends_on == day_before
    old_leadership = RoleAppointment.objects.get(person=old_leader.person, role="leader")
    assert old_leadership.ends_on == day_before
    for appointment in (deputy, lead):
        appointment.refresh_from_db()
        assert appointment.ends_on == day_before
    for untouched in (group_leadership, director):
        untouched.refresh_from_db()
        assert untouched.ends_on is None

    new_leadership = RoleAppointment.objects.get(person=new_leader.person, role="leader")
    assert new_leadership.starts_on == change_day
    assert new_leadership.ends_on is None
    assert administration.ends_on is None
    assert list(administration.groups.all()) == [red]

    assert AuditEvent.objects.count() == events_before + 1
    event = audited("directory.administration_changed", administration)
    assert event.data["previous_administration_id"] == old_administration.pk
    assert {item["role"] for item in event.data["ended_appointments"]} == {
        "leader",
        "deputy_leader",
        "lead_member",
    }


def test_administration_change_needs_a_leader_from_a_governing_group(actor):
    blue, red = GroupFactory.create(), GroupFactory.create()
    assert_rejected(
        lambda: services.administration_change(
            actor=actor, groups=[blue], leader=MemberFactory.create(group=red), starts_on=D1
        ),
        "leader",
    )
    assert_rejected(
        lambda: services.administration_change(
            actor=actor, groups=[], leader=MemberFactory.create(group=red), starts_on=D1
        ),
        "groups",
    )


def test_administration_change_cannot_start_before_the_current_one(actor):
    blue = GroupFactory.create()
    services.administration_change(
        actor=actor, groups=[blue], leader=MemberFactory.create(group=blue), starts_on=D2
    )
    assert_rejected(
        lambda: services.administration_change(
            actor=actor, groups=[blue], leader=MemberFactory.create(group=blue), starts_on=D2
        ),
        "starts_on",
    )
    assert RoleAppointment.objects.filter(role="leader", ends_on__isnull=True).count() == 1


def test_member_update_rejects_an_email_someone_else_has(actor):
    make_member(actor, email="taken@example.gov.uk")
    member = make_member(actor, email="mine@example.gov.uk")

    assert_rejected(
        lambda: services.member_update(
            actor=actor,
            member=member,
            given_name="Ada",
            family_name="Example",
            email="TAKEN@example.gov.uk",
            group=member.group,
            divisions=[],
            term_starts_on=D1,
        ),
        "email",
    )
    member.person.refresh_from_db()
    assert member.person.email == "mine@example.gov.uk"


def test_officer_update_is_audited_with_the_changes(actor):
    officer = make_officer(actor)
    manager = make_officer(actor, email="manager@example.gov.uk")

    services.officer_update(
        actor=actor,
        officer=officer,
        given_name="Bea",
        family_name="Example",
        email=officer.person.email,
        directorate=officer.directorate,
        job_title="Head of Roads",
        line_manager=manager,
        is_cmt=True,
    )

    event = audited("directory.officer_updated", officer)
    assert event.data["changed"] == {
        "job_title": ["Team Manager", "Head of Roads"],
        "line_manager": [None, manager.pk],
        "is_cmt": [False, True],
    }


def test_statutory_designation_end_rejects_an_end_before_the_start(actor):
    designation = services.statutory_designate(
        actor=actor, office=MO, officer=OfficerFactory.create(), starts_on=D2
    )
    assert_rejected(
        lambda: services.statutory_designation_end(
            actor=actor, designation=designation, ends_on=D1
        ),
        "ends_on",
    )
    designation.refresh_from_db()
    assert designation.ends_on is None
