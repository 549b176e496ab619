"""Roles come from the directory on the day in question, never from hand-made groups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Exists, OuterRef

from accord.access.actor import Actor
from accord.core import clock


class Role(StrEnum):
    OFFICER = "officer"
    MEMBER = "member"
    CO_OPTED_MEMBER = "co_opted_member"
    CMT = "cmt"
    DIRECTOR = "director"
    HEAD_OF_SERVICE = "head_of_service"
    LINE_MANAGER = "line_manager"
    CHIEF_EXECUTIVE = "chief_executive"
    MONITORING_OFFICER = "monitoring_officer"
    DEPUTY_MONITORING_OFFICER = "deputy_monitoring_officer"
    CHIEF_FINANCE_OFFICER = "chief_finance_officer"
    DEPUTY_CHIEF_FINANCE_OFFICER = "deputy_chief_finance_officer"
    SCRUTINY_OFFICER = "scrutiny_officer"
    DEMOCRATIC_SERVICES = "democratic_services"
    DIRECTORY_ADMIN = "directory_admin"
    LEADER = "leader"
    DEPUTY_LEADER = "deputy_leader"
    GROUP_LEADER = "group_leader"
    LEAD_MEMBER = "lead_member"


STATUTORY_ROLES = frozenset(
    {
        Role.CHIEF_EXECUTIVE,
        Role.MONITORING_OFFICER,
        Role.DEPUTY_MONITORING_OFFICER,
        Role.CHIEF_FINANCE_OFFICER,
        Role.DEPUTY_CHIEF_FINANCE_OFFICER,
    }
)

# Holding any of these means two-factor sign-in is required, not merely offered.
MFA_REQUIRED_ROLES = STATUTORY_ROLES | {Role.DIRECTORY_ADMIN}

_OFFICE_ROLES = {
    ("head_of_paid_service", False): Role.CHIEF_EXECUTIVE,
    ("monitoring_officer", False): Role.MONITORING_OFFICER,
    ("monitoring_officer", True): Role.DEPUTY_MONITORING_OFFICER,
    ("chief_finance_officer", False): Role.CHIEF_FINANCE_OFFICER,
    ("chief_finance_officer", True): Role.DEPUTY_CHIEF_FINANCE_OFFICER,
    ("scrutiny_officer", False): Role.SCRUTINY_OFFICER,
}


def roles_for(user: Actor, *, on: dt.date | None = None) -> frozenset[Role]:
    """Every role the user's directory person holds on `on` (default today).

    Cached on the user object per day, so a request asks the database once.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    day = on or clock.today()
    cache: dict[dt.date, frozenset[Role]] = user.__dict__.setdefault("_accord_roles", {})
    if day not in cache:
        cache[day] = _compute_roles(user, day)
    return cache[day]


def _compute_roles(user: Actor, day: dt.date) -> frozenset[Role]:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return frozenset()
    return roles_for_people([person_id], on=day)[person_id]


def roles_for_people(
    person_ids: Iterable[int], *, on: dt.date | None = None
) -> dict[int, frozenset[Role]]:
    """The roles of many directory people on `on`, in four queries however many there are.

    `roles_for` uses it for one account, so lists and single pages cannot disagree.
    """
    from accord.directory.models import Member, Officer, RoleAppointment, StatutoryDesignation

    ids = set(person_ids)
    if not ids:
        return {}
    day = on or clock.today()
    found: dict[int, set[Role]] = {pid: set() for pid in ids}
    members = Member.objects.filter(person_id__in=ids, person__is_active=True)
    for person_id, is_co_opted in members.values_list("person_id", "is_co_opted"):
        found[person_id].add(Role.CO_OPTED_MEMBER if is_co_opted else Role.MEMBER)
    officers = Officer.objects.filter(person_id__in=ids, person__is_active=True).annotate(
        manages=Exists(Officer.objects.filter(line_manager_id=OuterRef("pk")))
    )
    for person_id, is_cmt, manages in officers.values_list("person_id", "is_cmt", "manages"):
        found[person_id].add(Role.OFFICER)
        if is_cmt:
            found[person_id].add(Role.CMT)
        if manages:
            found[person_id].add(Role.LINE_MANAGER)
    designations = StatutoryDesignation.objects.current_on(day).filter(
        officer__person_id__in=ids, officer__person__is_active=True
    )
    for person_id, office, is_deputy in designations.values_list(
        "officer__person_id", "office", "is_deputy"
    ):
        role = _OFFICE_ROLES.get((office, is_deputy))
        if role is not None:
            found[person_id].add(role)
    appointments = RoleAppointment.objects.current_on(day).filter(
        person_id__in=ids, person__is_active=True
    )
    for person_id, role_code in appointments.values_list("person_id", "role"):
        found[person_id].add(Role(role_code))
    return {pid: frozenset(roles) for pid, roles in found.items()}


# Offices someone holds only while acting in them: an absent holder's deputy acts instead.
ACTING_OFFICES = {
    Role.CHIEF_EXECUTIVE: "head_of_paid_service",
    Role.MONITORING_OFFICER: "monitoring_officer",
    Role.CHIEF_FINANCE_OFFICER: "chief_finance_officer",
}


def acting_roles_for_person(person_id: int, *, on: dt.date | None = None) -> frozenset[Role]:
    """The roles a person can act in on `on`: as `roles_for_people`, except that a statutory
    office belongs to whoever acts in it that day (the holder, or a deputy during an absence)."""
    from accord.directory.selectors import acting_statutory_officers

    day = on or clock.today()
    roles = set(roles_for_people([person_id], on=day).get(person_id, frozenset()))
    roles -= set(ACTING_OFFICES)
    acting = acting_statutory_officers(offices=ACTING_OFFICES.values(), on=day)
    for role, office in ACTING_OFFICES.items():
        officer = acting[office].officer
        if officer is not None and officer.person_id == person_id:
            roles.add(role)
    return frozenset(roles)


def people_acting_as(role: Role, *, on: dt.date | None = None) -> list[int]:
    """Everyone who can act in `role` on `on`, as person ids in a stable order (deputies by
    rank). The reverse of `acting_roles_for_person`; the two must always agree."""
    from accord.directory.models import Member, Officer, RoleAppointment, StatutoryDesignation
    from accord.directory.selectors import acting_statutory_officer

    day = on or clock.today()
    if role in ACTING_OFFICES:
        acting = acting_statutory_officer(office=ACTING_OFFICES[role], on=day)
        return [acting.officer.person_id] if acting.officer is not None else []
    offices = [key for key, value in _OFFICE_ROLES.items() if value is role]
    if offices:
        office, is_deputy = offices[0]
        ids = (
            StatutoryDesignation.objects.current_on(day)
            .filter(office=office, is_deputy=is_deputy, officer__person__is_active=True)
            .order_by("deputy_rank", "starts_on", "pk")
            .values_list("officer__person_id", flat=True)
        )
        return list(dict.fromkeys(ids))
    if role in (Role.MEMBER, Role.CO_OPTED_MEMBER):
        members = Member.objects.filter(
            person__is_active=True, is_co_opted=role is Role.CO_OPTED_MEMBER
        )
        return list(members.order_by("person_id").values_list("person_id", flat=True))
    officers = Officer.objects.filter(person__is_active=True)
    if role is Role.OFFICER:
        return list(officers.order_by("person_id").values_list("person_id", flat=True))
    if role is Role.CMT:
        return list(
            officers.filter(is_cmt=True).order_by("person_id").values_list("person_id", flat=True)
        )
    if role is Role.LINE_MANAGER:
        managers = officers.filter(reports__isnull=False).distinct()
        return list(managers.order_by("person_id").values_list("person_id", flat=True))
    ids = (
        RoleAppointment.objects.current_on(day)
        .filter(role=role.value, person__is_active=True)
        .order_by("starts_on", "person_id")
        .values_list("person_id", flat=True)
    )
    return list(dict.fromkeys(ids))
