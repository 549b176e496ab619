"""Validation helpers shared by the directory services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from accord.core.validation import Problems
from accord.directory.models import (
    RoleAppointment,
    StatutoryDesignation,
)

ONE_DAY = dt.timedelta(days=1)

# Roles ended when the political administration changes (000 §21): the executive positions that
# belong to the administration, not to a group or to the officer structure.
ADMINISTRATION_ROLES = frozenset(
    {
        RoleAppointment.Role.LEADER,
        RoleAppointment.Role.DEPUTY_LEADER,
        RoleAppointment.Role.LEAD_MEMBER,
    }
)


class _Errors(Problems):
    """Every problem with one call's input, so the person sees them all at once."""

    def unique(self, model: type[Model], field: str, value: str, message: str) -> None:
        """Note `message` on `field` if another `model` row has `value` there (any case)."""
        if value and model._default_manager.filter(**{f"{field}__iexact": value}).exists():
            self.add(field, message)


def _text(
    errors: _Errors, field: str, value: str, *, max_length: int, required: bool = True
) -> str:
    message = f"Enter {field.replace('_', ' ')}." if required else ""
    return errors.text(field, value, max_length=max_length, required=message)


def _choice(errors: _Errors, field: str, value: str, choices: Iterable[str]) -> str:
    allowed = sorted(choices)
    if value not in allowed:
        errors.add(
            field, f"Unknown {field.replace('_', ' ')} '{value}'; use one of: {', '.join(allowed)}."
        )
    return value


def _period(
    errors: _Errors, starts_on: dt.date, ends_on: dt.date | None, *, ends_field: str = "ends_on"
) -> None:
    if ends_on is not None and ends_on < starts_on:
        errors.add(
            ends_field, f"The end date ({ends_on}) must not be before the start date ({starts_on})."
        )


def _overlapping(
    queryset: QuerySet[Any], starts_on: dt.date, ends_on: dt.date | None
) -> QuerySet[Any]:
    """Rows of a dated queryset whose period shares at least one day with [starts_on, ends_on]."""
    overlapping = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    return overlapping


def _describe_period(starts_on: dt.date, ends_on: dt.date | None) -> str:
    return f"from {starts_on}" + (f" to {ends_on}" if ends_on else "")


DatedRow = TypeVar("DatedRow", RoleAppointment, StatutoryDesignation)


def end_dated_row(row: DatedRow, *, ends_on: dt.date, what: str) -> tuple[DatedRow, dt.date | None]:
    """Lock a dated row, check `ends_on` and set it; return the row and its previous end.

    An end can be brought forward but never extended or put before the start; the row is kept.
    The caller records the audit event in the same transaction.
    """
    row = type(row).objects.select_for_update().get(pk=row.pk)
    errors = _Errors()
    if ends_on < row.starts_on:
        errors.add(
            "ends_on",
            f"The end date ({ends_on}) must not be before the {what} started ({row.starts_on}).",
        )
    elif row.ends_on is not None and ends_on > row.ends_on:
        errors.add(
            "ends_on",
            f"The {what} already ends on {row.ends_on}; it can be ended earlier, not extended.",
        )
    errors.raise_if_any()
    previous = row.ends_on
    row.ends_on = ends_on
    row.save(update_fields=["ends_on", "updated_at"])
    return row, previous
