"""Role appointments over time: appointing and ending."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.directory.models import (
    Directorate,
    Person,
    PoliticalGroup,
    RoleAppointment,
)
from accord.directory.services._common import (
    _choice,
    _describe_period,
    _Errors,
    _overlapping,
    _period,
    end_dated_row,
)

# --- roles over time ---------------------------------------------------------------------------


def _check_appointment(
    errors: _Errors,
    *,
    person: Person,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    group: PoliticalGroup | None,
    directorate: Directorate | None,
    areas: Sequence[str],
    is_statutory_childrens_lead: bool,
) -> list[str]:
    if role not in RoleAppointment.Role.values:
        _choice(errors, "role", role, RoleAppointment.Role.values)
        return []
    label = RoleAppointment.Role(role).label
    if role in RoleAppointment.MEMBER_ROLES and not hasattr(person, "member"):
        errors.add("role", f"{label} is a member role; {person} is not a member.")
    if role in RoleAppointment.OFFICER_ROLES and not hasattr(person, "officer"):
        errors.add("role", f"{label} is an officer role; {person} is not an officer.")
    _period(errors, starts_on, ends_on)

    if role == RoleAppointment.Role.GROUP_LEADER and group is None:
        errors.add("group", "Choose the political group this Group Leader leads.")
    if role in RoleAppointment.OFFICER_ROLES and group is not None:
        errors.add("group", f"{label} is an officer role and has no political group.")
    if role == RoleAppointment.Role.DIRECTOR and directorate is None:
        errors.add("directorate", "Choose the directorate this Director runs.")
    if role in RoleAppointment.MEMBER_ROLES and directorate is not None:
        errors.add("directorate", f"{label} is a member role and has no directorate.")
    if is_statutory_childrens_lead and role != RoleAppointment.Role.LEAD_MEMBER:
        errors.add(
            "is_statutory_childrens_lead",
            "Only a Lead Member can be the statutory lead for children's services.",
        )
    if isinstance(areas, str):
        errors.add("areas", "Give the areas as a list, not a single piece of text.")
        return []
    clean_areas = [str(area).strip() for area in areas if str(area).strip()]
    if errors.items:
        return clean_areas

    current = _overlapping(RoleAppointment.objects.all(), starts_on, ends_on)
    if role == RoleAppointment.Role.LEADER:
        clash = current.filter(role=role).exclude(person=person).select_related("person").first()
        if clash is not None:
            errors.add(
                "role",
                f"{clash.person} is Leader of the Council "
                f"{_describe_period(clash.starts_on, clash.ends_on)}; there is one Leader "
                "at a time.",
            )
    if role == RoleAppointment.Role.GROUP_LEADER:
        clash = current.filter(role=role, group=group).select_related("person").first()
        if clash is not None:
            errors.add(
                "group",
                f"{clash.person} leads {group} "
                f"{_describe_period(clash.starts_on, clash.ends_on)}; a group has one "
                "Group Leader at a time.",
            )
    same = current.filter(person=person, role=role, group=group, directorate=directorate)
    if role != RoleAppointment.Role.LEAD_MEMBER and same.exists():
        errors.add("starts_on", f"{person} already holds this role for part of that period.")
    return clean_areas


def appointment_create_unaudited(
    *,
    person: Person,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    group: PoliticalGroup | None,
    directorate: Directorate | None,
    areas: Sequence[str],
    is_statutory_childrens_lead: bool,
) -> RoleAppointment:
    """Validate and create an appointment; the caller records the audit event it belongs to."""
    errors = _Errors()
    clean_areas = _check_appointment(
        errors,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        group=group,
        directorate=directorate,
        areas=areas,
        is_statutory_childrens_lead=is_statutory_childrens_lead,
    )
    errors.raise_if_any()
    return RoleAppointment.objects.create(
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        group=group,
        directorate=directorate,
        areas=clean_areas,
        is_statutory_childrens_lead=is_statutory_childrens_lead,
    )


def _appointment_data(appointment: RoleAppointment) -> dict[str, Any]:
    return {
        "person_id": appointment.person_id,
        "role": appointment.role,
        "group_id": appointment.group_id,
        "directorate_id": appointment.directorate_id,
        "areas": appointment.areas,
        "is_statutory_childrens_lead": appointment.is_statutory_childrens_lead,
        "starts_on": appointment.starts_on,
        "ends_on": appointment.ends_on,
    }


@transaction.atomic
def role_appoint(
    *,
    actor: Actor,
    person: Person,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    group: PoliticalGroup | None = None,
    directorate: Directorate | None = None,
    areas: Sequence[str] = (),
    is_statutory_childrens_lead: bool = False,
) -> RoleAppointment:
    appointment = appointment_create_unaudited(
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        group=group,
        directorate=directorate,
        areas=areas,
        is_statutory_childrens_lead=is_statutory_childrens_lead,
    )
    record(
        actor=actor,
        verb="directory.role_appointed",
        target=appointment,
        data=_appointment_data(appointment),
    )
    return appointment


@transaction.atomic
def role_end(*, actor: Actor, appointment: RoleAppointment, ends_on: dt.date) -> RoleAppointment:
    """End an appointment on `ends_on` (the last day it is held). The row is kept."""
    appointment, previous = end_dated_row(appointment, ends_on=ends_on, what="appointment")
    record(
        actor=actor,
        verb="directory.role_ended",
        target=appointment,
        data={
            "role": appointment.role,
            "person_id": appointment.person_id,
            "ends_on": ends_on,
            "previous_ends_on": previous,
        },
    )
    return appointment
