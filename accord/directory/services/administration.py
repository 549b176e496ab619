"""Change of political administration (000 §21)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.directory.models import (
    Administration,
    Member,
    PoliticalGroup,
    RoleAppointment,
)
from accord.directory.services._common import (
    ADMINISTRATION_ROLES,
    ONE_DAY,
    _Errors,
    _overlapping,
    _text,
)
from accord.directory.services.roles import appointment_create_unaudited

# --- change of political administration (000 §21) ---------------------------------------------


@transaction.atomic
def administration_change(
    *,
    actor: Actor,
    groups: Iterable[PoliticalGroup],
    leader: Member,
    starts_on: dt.date,
    note: str = "",
) -> Administration:
    """Hand the council to a new administration from `starts_on`.

    The administration in office, and every Leader, Deputy Leader and Lead Member appointment
    held then, end the day before; `leader` is appointed Leader from `starts_on`. Group Leaders
    and officer roles are untouched. One audit event describes everything that ended and began.
    """
    errors = _Errors()
    group_list = list({g.pk: g for g in groups}.values())
    note = _text(errors, "note", note, max_length=300, required=False)
    if not group_list:
        errors.add("groups", "Choose the political group or groups forming the administration.")
    elif leader.group_id not in {g.pk for g in group_list}:
        errors.add("leader", f"{leader} is not in a group forming the administration.")
    if leader.term_starts_on > starts_on or (
        leader.term_ends_on is not None and leader.term_ends_on < starts_on
    ):
        errors.add("leader", f"{leader} is not a serving member on {starts_on}.")

    day_before = starts_on - ONE_DAY
    previous = Administration.objects.select_for_update().filter(ends_on__isnull=True).first()
    if previous is not None and previous.starts_on >= starts_on:
        errors.add(
            "starts_on",
            f"The current administration began on {previous.starts_on}; "
            "a new one must start after that.",
        )
    if (
        Administration.objects.filter(starts_on__gte=starts_on)
        .exclude(pk=previous.pk if previous else None)
        .exists()
    ):
        errors.add("starts_on", f"An administration is already recorded from {starts_on} or later.")
    executive = RoleAppointment.objects.select_for_update().filter(role__in=ADMINISTRATION_ROLES)
    if executive.filter(starts_on__gte=starts_on).exists():
        errors.add(
            "starts_on",
            f"Leader, Deputy Leader or Lead Member appointments already "
            f"start on or after {starts_on}; end or correct them first.",
        )
    errors.raise_if_any()

    ending = list(
        _overlapping(executive, starts_on, None)
        .filter(starts_on__lt=starts_on)
        .order_by("role", "pk")
    )
    for appointment in ending:
        appointment.ends_on = day_before
        appointment.save(update_fields=["ends_on", "updated_at"])
    if previous is not None:
        previous.ends_on = day_before
        previous.save(update_fields=["ends_on", "updated_at"])

    leader_appointment = appointment_create_unaudited(
        person=leader.person,
        role=RoleAppointment.Role.LEADER,
        starts_on=starts_on,
        ends_on=None,
        group=leader.group,
        directorate=None,
        areas=(),
        is_statutory_childrens_lead=False,
    )
    administration = Administration.objects.create(leader=leader, starts_on=starts_on, note=note)
    administration.groups.set(group_list)
    record(
        actor=actor,
        verb="directory.administration_changed",
        target=administration,
        data={
            "starts_on": starts_on,
            "groups": sorted(g.short_name for g in group_list),
            "leader_member_id": leader.pk,
            "leader_appointment_id": leader_appointment.pk,
            "previous_administration_id": previous.pk if previous else None,
            "ended_appointments": [
                {"id": a.pk, "role": a.role, "person_id": a.person_id} for a in ending
            ],
            "ended_on": day_before,
        },
    )
    return administration
