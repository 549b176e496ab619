"""Working days: UK bank holidays by region, plus a council's own closure days.

The counting convention is the one an officer uses for "reply within N working days of
receipt": the deadline is the Nth working day *after* the starting day, which is never counted
itself, whether or not it is a working day. See docs/working-days.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

import holidays

__all__ = [
    "CalendarOutOfRange",
    "Region",
    "WorkingCalendar",
    "add_months",
    "add_working_days",
    "bank_holidays",
]

_COUNTRY = "GB"
_SATURDAY = 5

# The `holidays` package knows UK bank holidays only for these years; outside them every weekday
# would silently count as a working day, so we refuse instead.
FIRST_YEAR: int = holidays.country_holidays(_COUNTRY).start_year
LAST_YEAR: int = holidays.country_holidays(_COUNTRY).end_year


class CalendarOutOfRange(ValueError):
    """A date outside the years for which bank holidays are known."""


class Region(StrEnum):
    """A UK bank-holiday calendar. England and Wales share one, but each has its own code."""

    ENGLAND_AND_WALES = "england-and-wales"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def subdivision(self) -> str:
        """The code the `holidays` package uses for this calendar."""
        return _SUBDIVISIONS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_SUBDIVISIONS: dict[Region, str] = {
    Region.ENGLAND_AND_WALES: "ENG",
    Region.WALES: "WLS",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}

_LABELS: dict[Region, str] = {
    Region.ENGLAND_AND_WALES: "England and Wales",
    Region.WALES: "Wales",
    Region.SCOTLAND: "Scotland",
    Region.NORTHERN_IRELAND: "Northern Ireland",
}


@functools.cache
def bank_holidays(region: Region, year: int) -> Mapping[dt.date, str]:
    """The bank holidays of `region` in `year` (substitute days included), with their names."""
    _check_year(year)
    # A substitute day is filed under the year of the holiday it replaces, so look either side.
    years = [y for y in (year - 1, year, year + 1) if FIRST_YEAR <= y <= LAST_YEAR]
    found = holidays.country_holidays(_COUNTRY, subdiv=region.subdivision, years=years)
    return MappingProxyType(
        {day: str(name) for day, name in sorted(found.items()) if day.year == year}
    )


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarOutOfRange(
            f"Bank holidays are known only for {FIRST_YEAR} to {LAST_YEAR}, not {year}."
        )


def _weekdays_up_to(ordinal: int) -> int:
    """How many Mondays-to-Fridays there are from day 1 (a Monday) to `ordinal`, inclusive."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _weekday_number(count: int) -> int:
    """The ordinal of the `count`-th Monday-to-Friday counted from day 1: inverts the above."""
    weeks, rest = divmod(count - 1, 5)
    return 7 * weeks + rest + 1


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Which days are working days: Monday to Friday, except bank holidays and closure days."""

    region: Region
    closures: frozenset[dt.date] = frozenset()
    # Per year, the sorted ordinals of weekdays that are not working days. Filled on first use;
    # it never changes what the calendar means, so it takes no part in equality or hashing.
    _blocked: dict[int, list[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if not isinstance(self.region, Region):
            object.__setattr__(self, "region", Region(self.region))
        if not isinstance(self.closures, frozenset):
            object.__setattr__(self, "closures", frozenset(self.closures))
        for day in self.closures:
            if not _is_plain_date(day):
                raise TypeError(f"A closure day must be a date, not {day!r}.")

    # -- questions about one day ------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        _check_date(day)
        return not self._blocks(day)

    def non_working_reason(self, day: dt.date) -> str | None:
        """Why `day` is not a working day ("Saturday", "Christmas Day"), or None if it is one."""
        _check_date(day)
        if day.weekday() >= _SATURDAY:
            return day.strftime("%A")
        name = bank_holidays(self.region, day.year).get(day)
        if name is not None:
            return f"{name} (bank holiday, {self.region.label})"
        if day in self.closures:
            return "council closure day"
        return None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before `day`."""
        return self.add_working_days(day, -1)

    # -- arithmetic -------------------------------------------------------------------------

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The `n`-th working day after `day` (before it if `n` is negative); `day` is not counted.

        Adding 0 returns `day` itself, even when it is not a working day.
        """
        _check_date(day)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"The number of working days must be an integer, not {n!r}.")
        if n > 0:
            return dt.date.fromordinal(self._forward(day.toordinal(), n))
        if n < 0:
            return dt.date.fromordinal(self._backward(day.toordinal(), -n))
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days fall after `start`, up to and including `end`.

        Negative when `end` is before `start`, so that it undoes `add_working_days`.
        """
        _check_date(start)
        _check_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        low, high = start.toordinal(), end.toordinal()
        weekdays = _weekdays_up_to(high) - _weekdays_up_to(low)
        return weekdays - self._blocked_count(low, high)

    @staticmethod
    def add_calendar_days(day: dt.date, n: int) -> dt.date:
        """The day `n` calendar days after `day` (before it if negative), for symmetry."""
        return day + dt.timedelta(days=n)

    # -- internals --------------------------------------------------------------------------

    def _blocks(self, day: dt.date) -> bool:
        if day.weekday() >= _SATURDAY:
            return True
        return day in self.closures or day in bank_holidays(self.region, day.year)

    def _forward(self, ordinal: int, n: int) -> int:
        # Jump n weekdays ahead, then as many again as the bank holidays and closures crossed,
        # until a jump crosses none: its landing day is then a working day.
        while n:
            target = _weekday_number(_weekdays_up_to(ordinal) + n)
            n = self._blocked_count(ordinal, target)
            ordinal = target
        return ordinal

    def _backward(self, ordinal: int, n: int) -> int:
        while n:
            target = _weekday_number(_weekdays_up_to(ordinal - 1) - n + 1)
            n = self._blocked_count(target - 1, ordinal - 1)
            ordinal = target
        return ordinal

    def _blocked_count(self, low: int, high: int) -> int:
        """How many weekdays that are not working days fall after `low`, up to `high`."""
        if high <= low:
            return 0
        first = dt.date.fromordinal(low + 1).year
        last = dt.date.fromordinal(high).year
        count = 0
        for year in range(first, last + 1):
            blocked = self._blocked_in(year)
            count += bisect.bisect_right(blocked, high) - bisect.bisect_right(blocked, low)
        return count

    def _blocked_in(self, year: int) -> list[int]:
        blocked = self._blocked.get(year)
        if blocked is None:
            days = set(bank_holidays(self.region, year))
            days.update(day for day in self.closures if day.year == year)
            blocked = sorted(day.toordinal() for day in days if day.weekday() < _SATURDAY)
            self._blocked[year] = blocked
        return blocked


def add_working_days(day: dt.date, n: int, calendar: WorkingCalendar) -> dt.date:
    """The `n`-th working day after `day` in `calendar`; see `WorkingCalendar.add_working_days`."""
    return calendar.add_working_days(day, n)


def _is_plain_date(value: object) -> bool:
    # A datetime is a date too, but never equals one, so it would silently match nothing.
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _check_date(day: dt.date) -> None:
    if not _is_plain_date(day):
        raise TypeError(f"Expected a date, not {day!r}.")
    _check_year(day.year)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or the month's last day if it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
