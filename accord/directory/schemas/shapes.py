"""Directory rows as API shapes. Reads only what the selectors already joined or prefetched."""

from __future__ import annotations

from collections.abc import Iterable

from accord.directory import schemas as directory_schemas
from accord.directory.models import (
    Committee,
    CommitteeMembership,
    Directorate,
    Division,
    Member,
    Person,
    PoliticalGroup,
    RoleAppointment,
)
from accord.directory.selectors import PersonPage, StatutoryOffice, member_of, officer_of


def person_ref(person: Person) -> directory_schemas.PersonRef:
    return directory_schemas.PersonRef(id=person.pk, full_name=person.full_name)


def group_ref(group: PoliticalGroup | None) -> directory_schemas.GroupRef | None:
    if group is None:
        return None
    return directory_schemas.GroupRef(id=group.pk, name=group.name, short_name=group.short_name)


def division_ref(division: Division) -> directory_schemas.DivisionRef:
    return directory_schemas.DivisionRef(id=division.pk, code=division.code, name=division.name)


def directorate_ref(directorate: Directorate | None) -> directory_schemas.DirectorateRef | None:
    if directorate is None:
        return None
    return directory_schemas.DirectorateRef(
        id=directorate.pk, code=directorate.code, name=directorate.name
    )


def _summary_fields(person: Person) -> dict[str, object]:
    member = member_of(person)
    officer = officer_of(person)
    return {
        "id": person.pk,
        "kind": person.kind,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "full_name": person.full_name,
        "honorific": person.honorific,
        "email": person.email,
        "phone": person.phone,
        "group": group_ref(member.group) if member else None,
        "is_co_opted": member.is_co_opted if member else None,
        "directorate": directorate_ref(officer.directorate) if officer else None,
        "job_title": officer.job_title if officer else None,
    }


def person_summary(person: Person) -> directory_schemas.PersonSummaryOut:
    return directory_schemas.PersonSummaryOut.model_validate(_summary_fields(person))


def appointment_out(appointment: RoleAppointment) -> directory_schemas.AppointmentOut:
    return directory_schemas.AppointmentOut(
        role=appointment.role,
        role_label=appointment.get_role_display(),
        group=group_ref(appointment.group),
        directorate=directorate_ref(appointment.directorate),
        areas=[str(area) for area in appointment.areas or []],
        is_statutory_childrens_lead=appointment.is_statutory_childrens_lead,
        starts_on=appointment.starts_on,
        ends_on=appointment.ends_on,
    )


def person_detail(page: PersonPage) -> directory_schemas.PersonOut:
    """A person as the API answers: what their directory page shows, in one shape."""
    person, appointments, reports = page.subject, page.appointments, page.reports
    member = member_of(person)
    officer = officer_of(person)
    manager = officer.line_manager if officer else None
    return directory_schemas.PersonOut.model_validate(
        {
            **_summary_fields(person),
            "divisions": [division_ref(d) for d in member.divisions.all()] if member else [],
            "term_starts_on": member.term_starts_on if member else None,
            "term_ends_on": member.term_ends_on if member else None,
            "is_cmt": officer.is_cmt if officer else None,
            "line_manager": person_ref(manager.person) if manager else None,
            "direct_reports": [person_ref(report.person) for report in reports],
            "appointments": [appointment_out(a) for a in appointments],
        }
    )


def group_out(group: PoliticalGroup) -> directory_schemas.GroupOut:
    return directory_schemas.GroupOut(
        id=group.pk,
        name=group.name,
        short_name=group.short_name,
        is_independent=group.is_independent,
    )


def group_detail(
    group: PoliticalGroup, *, leader: Person | None, members: Iterable[Member]
) -> directory_schemas.GroupDetailOut:
    return directory_schemas.GroupDetailOut(
        **group_out(group).model_dump(),
        leader=person_ref(leader) if leader else None,
        members=[
            directory_schemas.GroupMemberOut(
                id=m.person.pk,
                full_name=m.person.full_name,
                divisions=[division_ref(d) for d in m.divisions.all()],
            )
            for m in members
        ],
    )


def division_out(division: Division) -> directory_schemas.DivisionOut:
    return directory_schemas.DivisionOut(
        id=division.pk,
        code=division.code,
        name=division.name,
        adjacent=[division_ref(d) for d in division.adjacent.all()],
        members=[person_ref(m.person) for m in division.members.all()],
    )


def committee_out(committee: Committee) -> directory_schemas.CommitteeOut:
    return directory_schemas.CommitteeOut(
        id=committee.pk,
        name=committee.name,
        kind=committee.kind,
        kind_label=committee.get_kind_display(),
    )


def committee_detail(
    committee: Committee, *, memberships: Iterable[CommitteeMembership]
) -> directory_schemas.CommitteeDetailOut:
    return directory_schemas.CommitteeDetailOut(
        **committee_out(committee).model_dump(),
        memberships=[
            directory_schemas.CommitteeMembershipOut(
                member=person_ref(m.member.person),
                group=group_ref(m.member.group),
                position=m.position,
                position_label=m.get_position_display(),
                starts_on=m.starts_on,
                ends_on=m.ends_on,
            )
            for m in memberships
        ],
    )


def statutory_office(office: StatutoryOffice) -> directory_schemas.StatutoryOfficeOut:
    acting = office.acting
    return directory_schemas.StatutoryOfficeOut(
        office=office.office,
        office_label=office.label,
        acting=directory_schemas.ActingOut(
            officer=person_ref(acting.officer.person) if acting.officer else None,
            is_deputy=acting.is_deputy,
            reason=acting.reason,
        ),
        designations=[
            directory_schemas.DesignationOut(
                officer=person_ref(d.officer.person),
                is_deputy=d.is_deputy,
                deputy_rank=d.deputy_rank,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
            )
            for d in office.designations
        ],
    )
