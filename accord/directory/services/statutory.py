"""Statutory designations, deputies and absences (000 SO §2.1, §4.3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.directory.models import (
    Absence,
    Officer,
    StatutoryDesignation,
)
from accord.directory.services._common import (
    _choice,
    _describe_period,
    _Errors,
    _overlapping,
    _period,
    _text,
    end_dated_row,
)

# --- statutory officers ------------------------------------------------------------------------


@transaction.atomic
def statutory_designate(
    *,
    actor: Actor,
    office: str,
    officer: Officer,
    starts_on: dt.date,
    is_deputy: bool = False,
    deputy_rank: int = 0,
    ends_on: dt.date | None = None,
) -> StatutoryDesignation:
    """Designate the holder of a statutory office, or a deputy who acts in their absence."""
    errors = _Errors()
    _choice(errors, "office", office, StatutoryDesignation.Office.values)
    _period(errors, starts_on, ends_on)
    if is_deputy and deputy_rank < 1:
        errors.add("deputy_rank", "Give each deputy a rank of 1 or more (1 acts first).")
    if not is_deputy and deputy_rank != 0:
        errors.add("deputy_rank", "Only deputies have a rank; the holder's is 0.")
    if not errors.items:
        label = StatutoryDesignation.Office(office).label
        # Lock the office's rows so two simultaneous designations cannot both pass the check.
        current = _overlapping(
            StatutoryDesignation.objects.select_for_update().filter(office=office),
            starts_on,
            ends_on,
        ).select_related("officer__person")
        for other in current:
            period = _describe_period(other.starts_on, other.ends_on)
            if other.officer_id == officer.pk:
                errors.add("officer", f"{officer} is already designated for {label} {period}.")
            elif not is_deputy and not other.is_deputy:
                errors.add(
                    "office",
                    f"{other.officer} holds the office of {label} {period}; "
                    "an office has one holder at a time.",
                )
            elif is_deputy and other.is_deputy and other.deputy_rank == deputy_rank:
                errors.add(
                    "deputy_rank",
                    f"{other.officer} is deputy {deputy_rank} for {label} "
                    f"{period}; give this deputy another rank.",
                )
    errors.raise_if_any()

    designation = StatutoryDesignation.objects.create(
        office=office,
        officer=officer,
        starts_on=starts_on,
        ends_on=ends_on,
        is_deputy=is_deputy,
        deputy_rank=deputy_rank,
    )
    record(
        actor=actor,
        verb="directory.statutory_designated",
        target=designation,
        data={
            "office": office,
            "officer_id": officer.pk,
            "is_deputy": is_deputy,
            "deputy_rank": deputy_rank,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    return designation


@transaction.atomic
def statutory_designation_end(
    *, actor: Actor, designation: StatutoryDesignation, ends_on: dt.date
) -> StatutoryDesignation:
    designation, previous = end_dated_row(designation, ends_on=ends_on, what="designation")
    record(
        actor=actor,
        verb="directory.statutory_designation_ended",
        target=designation,
        data={
            "office": designation.office,
            "officer_id": designation.officer_id,
            "ends_on": ends_on,
            "previous_ends_on": previous,
        },
    )
    return designation


@transaction.atomic
def absence_record(
    *, actor: Actor, officer: Officer, starts_on: dt.date, ends_on: dt.date, reason: str = ""
) -> Absence:
    """Record that an officer is unavailable; their deputies act meanwhile (000 SO §4.3)."""
    errors = _Errors()
    _period(errors, starts_on, ends_on)
    reason = _text(errors, "reason", reason, max_length=200, required=False)
    if not errors.items:
        clash = _overlapping(Absence.objects.filter(officer=officer), starts_on, ends_on).first()
        if clash is not None:
            errors.add(
                "starts_on",
                f"{officer} is already recorded as absent from "
                f"{clash.starts_on} to {clash.ends_on}.",
            )
    errors.raise_if_any()

    absence = Absence.objects.create(
        officer=officer, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    record(
        actor=actor,
        verb="directory.absence_recorded",
        target=absence,
        data={"officer_id": officer.pk, "starts_on": starts_on, "ends_on": ends_on},
    )
    return absence
