"""Reads of the directory. The directory is not confidential to signed-in users, but every read
still takes the actor, so that a later restriction (e.g. hiding officers' phone numbers from
members) is made here once, not in each view.

Each list selector returns a queryset with its related rows joined or prefetched, so a page
costs a fixed number of queries however large the council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from accord.access.actor import Actor, is_signed_in
from accord.core import clock, limits
from accord.core.errors import NotFound
from accord.directory.models import (
    Absence,
    Administration,
    Committee,
    CommitteeMembership,
    Council,
    Directorate,
    Division,
    Member,
    Officer,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)

# Pages name people through the directory's selectors, as they read everything else.


def council_get() -> Council | None:
    return Council.objects.first()


def person_list(
    *, actor: Actor, query: str = "", kind: str = "", group_id: int | None = None
) -> QuerySet[Person]:
    people = Person.objects.filter(is_active=True).select_related(
        "member__group", "officer__directorate"
    )
    if kind:
        people = people.filter(kind=kind)
    if group_id is not None:
        people = people.filter(member__group_id=group_id)
    for word in limits.search_words(query):
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(email__icontains=word)
            | Q(officer__job_title__icontains=word)
            | Q(member__divisions__name__icontains=word)
        )
    return people.distinct().order_by("family_name", "given_name", "id")


def person_get(*, actor: Actor, person_id: int) -> Person:
    person = (
        Person.objects.select_related(
            "member__group",
            "officer__directorate",
            "officer__line_manager__person",
        )
        .prefetch_related("member__divisions")
        .filter(pk=person_id, is_active=True)
        .first()
    )
    if person is None:
        raise NotFound("No such person.")
    return person


def person_signed_in(*, actor: Actor) -> Person | None:
    """The active directory person behind a signed-in account, if any: whom a page or the API
    acts for when someone raises or declares something themselves."""
    person = getattr(actor, "person", None) if is_signed_in(actor) else None
    return person if isinstance(person, Person) and person.is_active else None


def appointments_for(
    *, actor: Actor, person: Person, on: dt.date | None = None
) -> QuerySet[RoleAppointment]:
    return (
        RoleAppointment.objects.current_on(on or clock.today())
        .filter(person=person)
        .select_related("group", "directorate")
    )


def direct_reports(*, actor: Actor, officer: Officer) -> QuerySet[Officer]:
    return officer.reports.filter(person__is_active=True).select_related("person")


def line_management_chain(*, officer: Officer) -> list[Officer]:
    """The officer's line manager, their manager, and so on to the top, nearest first.

    Two queries whatever the depth: the whole reporting map (two integers an officer), then the
    chain's officers with their people. A loop in bad data ends the chain rather than spinning.
    """
    managers = dict(Officer.objects.values_list("pk", "line_manager_id"))
    chain_ids: list[int] = []
    current = managers.get(officer.pk)
    while current is not None and current != officer.pk and current not in chain_ids:
        chain_ids.append(current)
        current = managers.get(current)
    if not chain_ids:
        return []
    found = Officer.objects.select_related("person", "directorate").in_bulk(chain_ids)
    return [found[pk] for pk in chain_ids]


def director_of(*, officer: Officer, on: dt.date | None = None) -> RoleAppointment | None:
    """The Director appointment for the officer's directorate on the day, if there is one."""
    return (
        RoleAppointment.objects.current_on(on or clock.today())
        .filter(role=RoleAppointment.Role.DIRECTOR, directorate_id=officer.directorate_id)
        .select_related("person__officer", "directorate")
        .order_by("-starts_on", "-pk")
        .first()
    )


def group_list(*, actor: Actor) -> QuerySet[PoliticalGroup]:
    return PoliticalGroup.objects.order_by("name")


def group_get(*, actor: Actor, group_id: int) -> PoliticalGroup:
    group = PoliticalGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound("No such political group.")
    return group


def group_leader(*, group: PoliticalGroup, on: dt.date | None = None) -> Person | None:
    appointment = (
        RoleAppointment.objects.current_on(on or clock.today())
        .filter(role=RoleAppointment.Role.GROUP_LEADER, group=group)
        .select_related("person")
        .order_by("-starts_on")
        .first()
    )
    return appointment.person if appointment else None


def group_members(*, actor: Actor, group: PoliticalGroup) -> QuerySet[Member]:
    return (
        Member.objects.filter(group=group, person__is_active=True)
        .select_related("person")
        .prefetch_related("divisions")
    )


def division_list(*, actor: Actor) -> QuerySet[Division]:
    return Division.objects.prefetch_related(
        "adjacent",
        Prefetch(
            "members",
            queryset=Member.objects.filter(person__is_active=True).select_related(
                "person", "group"
            ),
        ),
    ).order_by("name")


def division_get(*, actor: Actor, division_id: int) -> Division:
    division = division_list(actor=actor).filter(pk=division_id).first()
    if division is None:
        raise NotFound("No such division.")
    return division


def members_for_divisions(
    *, divisions: QuerySet[Division] | list[Division], include_adjoining: bool = False
) -> QuerySet[Member]:
    """The members for these divisions and, if asked, for the divisions adjoining them (000 §32)."""
    ids = {d.pk for d in divisions}
    if include_adjoining:
        ids |= set(
            Division.adjacent.through.objects.filter(from_division_id__in=ids).values_list(
                "to_division_id", flat=True
            )
        )
    return (
        Member.objects.filter(divisions__in=ids, person__is_active=True)
        .select_related("person", "group")
        .distinct()
    )


def directorate_list(*, actor: Actor) -> QuerySet[Directorate]:
    return Directorate.objects.order_by("name")


def committee_list(*, actor: Actor) -> QuerySet[Committee]:
    return Committee.objects.order_by("name")


def committee_get(*, actor: Actor, committee_id: int) -> Committee:
    committee = Committee.objects.filter(pk=committee_id).first()
    if committee is None:
        raise NotFound("No such committee.")
    return committee


def committee_memberships(
    *, actor: Actor, committee: Committee, on: dt.date | None = None
) -> QuerySet[CommitteeMembership]:
    return (
        CommitteeMembership.objects.current_on(on or clock.today())
        .filter(committee=committee)
        .select_related("member__person", "member__group")
        .order_by("position", "member__person__family_name")
    )


@dataclass(frozen=True)
class ActingOfficer:
    """Who acts in a statutory office on a day, and why (the holder, or which deputy and why)."""

    office: str
    officer: Officer | None
    is_deputy: bool
    reason: str


def acting_statutory_officer(*, office: str, on: dt.date | None = None) -> ActingOfficer:
    """The holder of `office` on `on`, or the first deputy by rank who is not absent (SO §4.3)."""
    return acting_statutory_officers(offices=[office], on=on)[office]


def acting_statutory_officers(
    *, offices: Iterable[str], on: dt.date | None = None
) -> dict[str, ActingOfficer]:
    """Who acts in each of `offices` on `on`, in two queries however many offices."""
    day = on or clock.today()
    wanted = list(dict.fromkeys(offices))
    designations = list(
        StatutoryDesignation.objects.current_on(day)
        .filter(office__in=wanted, officer__person__is_active=True)
        .select_related("officer__person")
        .order_by("office", "is_deputy", "deputy_rank", "starts_on")
    )
    absent_ids = set(
        Absence.objects.current_on(day)
        .filter(officer_id__in=[d.officer_id for d in designations])
        .values_list("officer_id", flat=True)
    )
    return {
        office: _acting(office, [d for d in designations if d.office == office], absent_ids, day)
        for office in wanted
    }


def _acting(
    office: str, designations: list[StatutoryDesignation], absent_ids: set[int], day: dt.date
) -> ActingOfficer:
    label = StatutoryDesignation.Office(office).label
    skipped: list[str] = []
    for designation in designations:
        if designation.officer_id in absent_ids:
            skipped.append(designation.officer.person.full_name)
            continue
        if not designation.is_deputy:
            reason = f"Holds the office of {label}."
        elif skipped:
            reason = f"Deputy {label}, acting because {_and_list(skipped)} " + (
                "is absent." if len(skipped) == 1 else "are absent."
            )
        else:
            reason = f"Deputy {label}, acting because no holder is designated."
        return ActingOfficer(office, designation.officer, designation.is_deputy, reason)
    return ActingOfficer(office, None, False, f"Nobody is available to act as {label} on {day}.")


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def statutory_designations(
    *, actor: Actor, on: dt.date | None = None
) -> QuerySet[StatutoryDesignation]:
    return (
        StatutoryDesignation.objects.current_on(on or clock.today())
        .select_related("officer__person", "officer__directorate")
        .order_by("office", "is_deputy", "deputy_rank")
    )


@dataclass(frozen=True)
class StatutoryOffice:
    """One statutory office on a day: who is designated to it and who acts in it. The page and
    the API both show exactly this."""

    office: str
    label: str
    designations: list[StatutoryDesignation]
    acting: ActingOfficer

    @property
    def slug(self) -> str:
        return self.office

    @property
    def holders(self) -> list[Officer]:
        return [d.officer for d in self.designations if not d.is_deputy]

    @property
    def deputies(self) -> list[Officer]:
        return [d.officer for d in self.designations if d.is_deputy]


def statutory_offices(*, actor: Actor, on: dt.date | None = None) -> list[StatutoryOffice]:
    """Every statutory office in the council's order, with its designations and who acts today
    (SO §4.3): three queries however many offices."""
    day = on or clock.today()
    current = list(statutory_designations(actor=actor, on=day))
    offices = StatutoryDesignation.Office
    acting = acting_statutory_officers(offices=[office.value for office in offices], on=day)
    return [
        StatutoryOffice(
            office=office.value,
            label=str(office.label),
            designations=[d for d in current if d.office == office.value],
            acting=acting[office.value],
        )
        for office in offices
    ]


def statutory_officer_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """Today's statutory officers and deputies (not the scrutiny officer), one entry each, as
    (person id, "name, office and office") for a choice of who stands in."""
    names: dict[int, str] = {}
    offices: dict[int, list[str]] = {}
    for designation in statutory_designations(actor=actor):
        if designation.office == StatutoryDesignation.Office.SCRUTINY_OFFICER:
            continue
        person = designation.officer.person
        if not person.is_active:
            continue
        names[person.pk] = person.full_name
        office = designation.get_office_display()
        offices.setdefault(person.pk, []).append(
            f"Deputy {office}" if designation.is_deputy else office
        )
    return [(pk, f"{names[pk]}, {' and '.join(offices[pk])}") for pk in names]


def current_administration(*, on: dt.date | None = None) -> Administration | None:
    return (
        Administration.objects.current_on(on or clock.today())
        .select_related("leader__person")
        .prefetch_related("groups")
        .first()
    )


def group_list_with_counts(*, actor: Actor) -> QuerySet[PoliticalGroup]:
    """Groups with `member_count` (active members), in one query."""
    return group_list(actor=actor).annotate(
        member_count=Count("members", filter=Q(members__person__is_active=True), distinct=True)
    )


def group_leaders(*, on: dt.date | None = None) -> dict[int, Person]:
    """Each group's current Group Leader by group id, in one query (for lists of groups)."""
    leaders: dict[int, Person] = {}
    for appointment in (
        RoleAppointment.objects.current_on(on or clock.today())
        .filter(role=RoleAppointment.Role.GROUP_LEADER, person__is_active=True)
        .select_related("person")
        .order_by("starts_on")
    ):
        if appointment.group_id is not None:
            leaders[appointment.group_id] = appointment.person
    return leaders


def memberships_for_member(
    *, actor: Actor, member: Member, on: dt.date | None = None
) -> QuerySet[CommitteeMembership]:
    return (
        CommitteeMembership.objects.current_on(on or clock.today())
        .filter(member=member)
        .select_related("committee")
        .order_by("committee__name")
    )


def designations_for_officer(
    *, actor: Actor, officer: Officer, on: dt.date | None = None
) -> QuerySet[StatutoryDesignation]:
    return statutory_designations(actor=actor, on=on).filter(officer=officer)


def appointment_get(*, actor: Actor, appointment_id: int) -> RoleAppointment:
    appointment: RoleAppointment | None = (
        RoleAppointment.objects.select_related("person", "group", "directorate")
        .filter(pk=appointment_id, person__is_active=True)
        .first()
    )
    if appointment is None:
        raise NotFound("No such appointment.")
    return appointment


def designation_get(*, actor: Actor, designation_id: int) -> StatutoryDesignation:
    designation: StatutoryDesignation | None = (
        StatutoryDesignation.objects.select_related("officer__person")
        .filter(pk=designation_id, officer__person__is_active=True)
        .first()
    )
    if designation is None:
        raise NotFound("No such designation.")
    return designation


def administration_roles_ending(*, starts_on: dt.date) -> list[RoleAppointment]:
    """The Leader, Deputy Leader and Lead Member appointments that a new administration from
    `starts_on` would end the day before (see `services.administration_change`)."""
    return list(
        RoleAppointment.objects.filter(
            role__in=[
                RoleAppointment.Role.LEADER,
                RoleAppointment.Role.DEPUTY_LEADER,
                RoleAppointment.Role.LEAD_MEMBER,
            ],
            starts_on__lt=starts_on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .select_related("person")
        .order_by("role", "pk")
    )


# --- What a page about one person or one committee shows -----------------------------------------


@dataclass(frozen=True)
class PersonPage:
    """A person's directory page: their roles, and as a member their committees, or as an
    officer their reports and statutory designations."""

    subject: Person
    appointments: list[RoleAppointment]
    member: Member | None = None
    committee_memberships: list[CommitteeMembership] = field(default_factory=list)
    officer: Officer | None = None
    reports: list[Officer] = field(default_factory=list)
    designations: list[StatutoryDesignation] = field(default_factory=list)


def person_page(*, actor: Actor, person_id: int) -> PersonPage:
    subject = person_get(actor=actor, person_id=person_id)
    appointments = list(appointments_for(actor=actor, person=subject))
    member = getattr(subject, "member", None) if subject.kind == Person.Kind.MEMBER else None
    if member is not None:
        return PersonPage(
            subject,
            appointments,
            member=member,
            committee_memberships=list(memberships_for_member(actor=actor, member=member)),
        )
    officer = getattr(subject, "officer", None)
    if officer is not None:
        return PersonPage(
            subject,
            appointments,
            officer=officer,
            reports=list(direct_reports(actor=actor, officer=officer)),
            designations=list(designations_for_officer(actor=actor, officer=officer)),
        )
    return PersonPage(subject, appointments)


@dataclass(frozen=True)
class CommitteePage:
    committee: Committee
    memberships: list[CommitteeMembership]

    @property
    def chair(self) -> CommitteeMembership | None:
        chair = CommitteeMembership.Position.CHAIR
        return next((m for m in self.memberships if m.position == chair), None)


def committee_page(*, actor: Actor, committee_id: int) -> CommitteePage:
    found = committee_get(actor=actor, committee_id=committee_id)
    return CommitteePage(found, list(committee_memberships(actor=actor, committee=found)))


def member_of(person: Person) -> Member | None:
    """The person's member record, or None for an officer (no query if it was joined)."""
    try:
        return person.member
    except Member.DoesNotExist:
        return None


def officer_of(person: Person) -> Officer | None:
    """The person's officer record, or None for a member (no query if it was joined)."""
    try:
        return person.officer
    except Officer.DoesNotExist:
        return None


def person_label(person: Person) -> str:
    """A name with what tells two people of that name apart: a job title or a group."""
    officer = officer_of(person) if person.kind == Person.Kind.OFFICER else None
    if officer is not None:
        return f"{person.full_name}, {officer.job_title}"
    member = member_of(person) if person.kind == Person.Kind.MEMBER else None
    if member is not None and member.group is not None:
        return f"{person.full_name}, {member.group.name}"
    return str(person.full_name)
