"""Deadlines: the day a duration of the profile runs out, and the moment a timer is overdue.

Pure date arithmetic on the profile's durations and the council's working-day calendar
(`accord.core.working_days`); nothing here reads or writes the database.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from accord.core.working_days import add_months, add_working_days
from accord.profiles.schema import Duration, DurationUnit, Profile

__all__ = ["due_on", "earliest_event", "notice_by", "overdue_from"]


def due_on(start: dt.date, duration: Duration, profile: Profile) -> dt.date:
    """The last day of `duration` counted from `start` (the day after `start` is day one)."""
    if duration.unit is DurationUnit.WORKING_DAYS:
        assert profile.calendar is not None  # a profile without one is rejected when loaded
        return add_working_days(start, duration.amount, profile.calendar.working_calendar())
    if duration.unit in (DurationUnit.MONTHS, DurationUnit.YEARS):
        months = duration.amount * (12 if duration.unit is DurationUnit.YEARS else 1)
        return add_months(start, months)
    days = duration.amount * (7 if duration.unit is DurationUnit.WEEKS else 1)
    return start + dt.timedelta(days=days)


def notice_by(event: dt.date, duration: Duration, profile: Profile) -> dt.date:
    """The last day notice of an event on `event` can be given and still be `duration` ahead
    of it, counted back from the event (its own day not counted): for 10 working days before a
    meeting on Tuesday 7 April 2026, Friday 20 March (Good Friday and Easter Monday skipped)."""
    if duration.unit is DurationUnit.WORKING_DAYS:
        assert profile.calendar is not None
        return add_working_days(event, -duration.amount, profile.calendar.working_calendar())
    if duration.unit in (DurationUnit.MONTHS, DurationUnit.YEARS):
        months = duration.amount * (12 if duration.unit is DurationUnit.YEARS else 1)
        return add_months(event, -months)
    days = duration.amount * (7 if duration.unit is DurationUnit.WEEKS else 1)
    return event - dt.timedelta(days=days)


def earliest_event(today: dt.date, duration: Duration, profile: Profile) -> dt.date:
    """The first day an event can be held if notice of it is given on `today`."""
    day = due_on(today, duration, profile)
    while notice_by(day, duration, profile) < today:
        day += dt.timedelta(days=1)
    return day


def overdue_from(due: dt.date) -> dt.datetime:
    """The first moment something due on `due` is overdue: just after midnight, council time,
    once that day has ended."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 1), tzinfo=zone)
