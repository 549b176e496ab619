"""Working days: hand-checked UK bank holidays, the counting convention, and a property check
against a plain day-by-day reference built straight from the `holidays` package."""

from __future__ import annotations

import datetime as dt
import random

import holidays
import pytest

from accord.core.working_days import (
    CalendarOutOfRange,
    Region,
    WorkingCalendar,
    add_working_days,
    bank_holidays,
)

D = dt.date
ENGLAND = WorkingCalendar(Region.ENGLAND_AND_WALES)
WALES = WorkingCalendar(Region.WALES)
SCOTLAND = WorkingCalendar(Region.SCOTLAND)
NORTHERN_IRELAND = WorkingCalendar(Region.NORTHERN_IRELAND)
ALL_FOUR = [ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND]


def christmas_closures(*years: int) -> frozenset[dt.date]:
    """The weekdays between Christmas and New Year that a council closes, as many do."""
    return frozenset(
        D(year, 12, day)
        for year in years
        for day in range(27, 32)
        if D(year, 12, day).weekday() < 5
    )


# -- the example the issue gives ---------------------------------------------------------------


def test_ten_working_days_from_friday_18_december_2026_in_england_is_wednesday_6_january():
    # Christmas Day (Fri), Boxing Day substitute (Mon 28th) and New Year's Day (Fri) are skipped.
    assert add_working_days(D(2026, 12, 18), 10, ENGLAND) == D(2027, 1, 6)
    assert D(2027, 1, 6).strftime("%A") == "Wednesday"


def test_closure_days_between_christmas_and_new_year_push_the_deadline_back():
    closed = WorkingCalendar(Region.ENGLAND_AND_WALES, christmas_closures(2026))
    # 29, 30 and 31 December no longer count, so three more January days are needed.
    assert add_working_days(D(2026, 12, 18), 10, closed) == D(2027, 1, 11)


# -- bank holidays checked by hand against the published UK lists -------------------------------

HAND_CHECKED_HOLIDAYS = [
    # State funeral of Queen Elizabeth II and the Coronation: one-off, in all four calendars.
    *[(cal, D(2022, 9, 19)) for cal in ALL_FOUR],
    *[(cal, D(2023, 5, 8)) for cal in ALL_FOUR],
    # Platinum Jubilee: Spring bank holiday moved to Thu 2 June, plus Fri 3 June.
    *[(cal, D(2022, 6, 2)) for cal in ALL_FOUR],
    *[(cal, D(2022, 6, 3)) for cal in ALL_FOUR],
    # 2020: the early May bank holiday moved to Friday 8 May for VE Day.
    (ENGLAND, D(2020, 5, 8)),
    # Christmas on a Saturday (2021): substitutes Mon 27 and Tue 28 December.
    *[(cal, D(2021, 12, 27)) for cal in ALL_FOUR],
    *[(cal, D(2021, 12, 28)) for cal in ALL_FOUR],
    # Christmas on a Sunday (2022): Boxing Day Mon 26, Christmas substitute Tue 27 December.
    *[(cal, D(2022, 12, 27)) for cal in ALL_FOUR],
    # New Year's Day on a Saturday (2022): substitute Mon 3 January.
    (ENGLAND, D(2022, 1, 3)),
    # Scotland's 2 January, and its substitutes: 2021 (Sat -> Mon 4), 2022 (Sun -> Tue 4 as
    # 1 Jan takes Mon 3), 2023 (2 Jan Mon, 1 Jan's substitute Tue 3).
    (SCOTLAND, D(2020, 1, 2)),
    (SCOTLAND, D(2021, 1, 4)),
    (SCOTLAND, D(2022, 1, 3)),
    (SCOTLAND, D(2022, 1, 4)),
    (SCOTLAND, D(2023, 1, 2)),
    (SCOTLAND, D(2023, 1, 3)),
    # St Andrew's Day, and its Monday substitutes in 2024 (Sat) and 2025 (Sun).
    (SCOTLAND, D(2023, 11, 30)),
    (SCOTLAND, D(2024, 12, 2)),
    (SCOTLAND, D(2025, 12, 1)),
    # Scotland's Summer bank holiday is the first Monday in August.
    (SCOTLAND, D(2023, 8, 7)),
    # Scotland's one-off World Cup bank holiday, by Royal Proclamation of 3 February 2026.
    (SCOTLAND, D(2026, 6, 15)),
    # Northern Ireland: St Patrick's Day (and its 2024 substitute), Battle of the Boyne (and
    # its 2026 substitute, 12 July being a Sunday).
    (NORTHERN_IRELAND, D(2023, 3, 17)),
    (NORTHERN_IRELAND, D(2024, 3, 18)),
    (NORTHERN_IRELAND, D(2023, 7, 12)),
    (NORTHERN_IRELAND, D(2026, 7, 13)),
    # Easter Monday is a bank holiday everywhere but Scotland.
    (ENGLAND, D(2024, 4, 1)),
    (WALES, D(2024, 4, 1)),
    (NORTHERN_IRELAND, D(2024, 4, 1)),
]

HAND_CHECKED_WORKING_DAYS = [
    (SCOTLAND, D(2024, 4, 1)),  # Easter Monday
    (SCOTLAND, D(2023, 8, 28)),  # England's late summer bank holiday
    (ENGLAND, D(2023, 8, 7)),  # Scotland's summer bank holiday
    (ENGLAND, D(2023, 1, 3)),  # Scotland's 2 January substitute
    (ENGLAND, D(2023, 11, 30)),  # St Andrew's Day
    (ENGLAND, D(2026, 6, 15)),  # Scotland's World Cup bank holiday
    (ENGLAND, D(2023, 3, 17)),  # St Patrick's Day
    (SCOTLAND, D(2023, 7, 12)),  # Battle of the Boyne
    (WALES, D(2023, 3, 1)),  # St David's Day is not a bank holiday
    (ENGLAND, D(2026, 12, 24)),  # Christmas Eve
    (ENGLAND, D(2026, 12, 31)),  # New Year's Eve
]


@pytest.mark.parametrize(("calendar", "day"), HAND_CHECKED_HOLIDAYS)
def test_hand_checked_bank_holidays_are_not_working_days(calendar, day):
    assert day.weekday() < 5
    assert not calendar.is_working_day(day)
    assert day in bank_holidays(calendar.region, day.year)


@pytest.mark.parametrize(("calendar", "day"), HAND_CHECKED_WORKING_DAYS)
def test_other_regions_holidays_are_working_days(calendar, day):
    assert calendar.is_working_day(day)
    assert calendar.non_working_reason(day) is None


def test_weekends_are_never_working_days():
    saturday, sunday = D(2026, 3, 14), D(2026, 3, 15)
    for calendar in ALL_FOUR:
        assert not calendar.is_working_day(saturday)
        assert not calendar.is_working_day(sunday)
        assert calendar.non_working_reason(sunday) == "Sunday"


def test_england_and_wales_share_every_bank_holiday():
    for year in range(2000, 2041):
        assert bank_holidays(Region.ENGLAND_AND_WALES, year).keys() == (
            bank_holidays(Region.WALES, year).keys()
        )


def test_a_non_working_day_says_why():
    closed = WorkingCalendar(Region.SCOTLAND, frozenset({D(2026, 12, 29)}))
    assert closed.non_working_reason(D(2025, 12, 1)) == (
        "Saint Andrew's Day (observed) (bank holiday, Scotland)"
    )
    assert closed.non_working_reason(D(2026, 12, 29)) == "council closure day"


# -- the counting convention -------------------------------------------------------------------


def test_the_day_of_receipt_is_never_counted():
    # Received Monday: 1 working day is Tuesday, 5 working days is the following Monday.
    assert ENGLAND.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 10)
    assert ENGLAND.add_working_days(D(2026, 3, 9), 5) == D(2026, 3, 16)


def test_receipt_at_a_weekend_counts_from_the_next_working_day():
    # Received Saturday or Sunday: the first working day is Monday, whichever it was.
    assert ENGLAND.add_working_days(D(2026, 3, 14), 1) == D(2026, 3, 16)
    assert ENGLAND.add_working_days(D(2026, 3, 15), 1) == D(2026, 3, 16)
    assert ENGLAND.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 16)


def test_adding_zero_working_days_changes_nothing():
    assert ENGLAND.add_working_days(D(2026, 3, 14), 0) == D(2026, 3, 14)
    assert ENGLAND.add_working_days(D(2026, 3, 16), 0) == D(2026, 3, 16)


def test_negative_days_count_back_from_a_meeting_not_counting_the_meeting_day():
    # A meeting on Tuesday 7 April 2026. In England, Easter Monday (6th) and Good Friday (3rd)
    # are skipped; in Scotland only Good Friday is.
    assert ENGLAND.add_working_days(D(2026, 4, 7), -5) == D(2026, 3, 27)
    assert SCOTLAND.add_working_days(D(2026, 4, 7), -5) == D(2026, 3, 30)


def test_next_and_previous_working_day_are_strictly_after_and_before():
    assert ENGLAND.next_working_day(D(2026, 12, 24)) == D(2026, 12, 29)
    assert ENGLAND.previous_working_day(D(2026, 12, 29)) == D(2026, 12, 24)
    assert ENGLAND.next_working_day(D(2026, 3, 16)) == D(2026, 3, 17)


def test_working_days_between_counts_after_start_up_to_and_including_end():
    assert ENGLAND.working_days_between(D(2026, 12, 18), D(2027, 1, 6)) == 10
    assert ENGLAND.working_days_between(D(2026, 3, 16), D(2026, 3, 16)) == 0
    assert ENGLAND.working_days_between(D(2026, 3, 16), D(2026, 3, 17)) == 1
    assert ENGLAND.working_days_between(D(2026, 3, 13), D(2026, 3, 15)) == 0
    assert ENGLAND.working_days_between(D(2027, 1, 6), D(2026, 12, 18)) == -10


def test_calendar_days_ignore_holidays():
    assert ENGLAND.add_calendar_days(D(2026, 12, 18), 14) == D(2027, 1, 1)
    assert ENGLAND.add_calendar_days(D(2026, 12, 18), -18) == D(2026, 11, 30)


def test_long_spans_match_counting_across_years():
    start = D(2020, 1, 2)
    end = ENGLAND.add_working_days(start, 2000)
    assert ENGLAND.working_days_between(start, end) == 2000
    assert ENGLAND.add_working_days(end, -2000) == start


# -- the calendar as a value -------------------------------------------------------------------


def test_calendars_are_immutable_values():
    one = WorkingCalendar(Region.SCOTLAND, frozenset({D(2026, 12, 29)}))
    two = WorkingCalendar(Region("scotland"), frozenset({D(2026, 12, 29)}))
    one.add_working_days(D(2026, 12, 1), 30)  # fills one's cache, not its identity
    assert one == two
    assert hash(one) == hash(two)
    with pytest.raises(AttributeError):
        one.region = Region.WALES  # type: ignore[misc]


def test_regions_name_the_package_subdivisions():
    assert {region.subdivision for region in Region} == {"ENG", "WLS", "SCT", "NIR"}
    assert Region.ENGLAND_AND_WALES.label == "England and Wales"


def test_closure_days_must_be_dates_not_datetimes():
    with pytest.raises(TypeError, match="closure day"):
        WorkingCalendar(Region.WALES, frozenset({dt.datetime(2026, 12, 29, 9, 0)}))


def test_a_datetime_or_a_fractional_count_is_refused():
    with pytest.raises(TypeError):
        ENGLAND.add_working_days(dt.datetime(2026, 1, 5, 9, 0), 1)
    with pytest.raises(TypeError):
        ENGLAND.add_working_days(D(2026, 1, 5), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ENGLAND.add_working_days(D(2026, 1, 5), True)


def test_years_the_package_does_not_cover_are_refused_rather_than_guessed():
    with pytest.raises(CalendarOutOfRange):
        ENGLAND.is_working_day(D(2101, 1, 3))
    with pytest.raises(CalendarOutOfRange):
        ENGLAND.add_working_days(D(2100, 12, 20), 30)


# -- property check against an independent day-by-day reference ---------------------------------

SPAN_START, SPAN_END = D(2020, 1, 1), D(2035, 12, 31)
CASES_PER_CALENDAR = 100_000
CODES = {
    Region.ENGLAND_AND_WALES: "ENG",
    Region.WALES: "WLS",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}
ONE_DAY = dt.timedelta(days=1)


def reference_holidays(region):
    # Two years either side of the span covers 60 working days either way of any start.
    return frozenset(holidays.country_holidays("GB", subdiv=CODES[region], years=range(2018, 2038)))


def reference_add(day, n, off):
    step = ONE_DAY if n > 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if day.weekday() < 5 and day not in off:
            remaining -= 1
    return day


def reference_between(start, end, off):
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if day.weekday() < 5 and day not in off:
            count += 1
    return count


def random_closures(rng):
    """Closure sets of the kinds councils use, overlapping weekends and bank holidays freely."""
    kind = rng.randrange(4)
    if kind == 0:
        return frozenset()
    if kind == 1:
        return christmas_closures(*range(2019, 2037))
    span = (SPAN_END - SPAN_START).days
    if kind == 2:
        return frozenset(
            SPAN_START + dt.timedelta(days=rng.randrange(span)) for _ in range(rng.randrange(1, 60))
        )
    # A closed fortnight or more, somewhere in the span, plus Christmas.
    first = SPAN_START + dt.timedelta(days=rng.randrange(span))
    block = {first + dt.timedelta(days=i) for i in range(rng.randrange(1, 30))}
    return frozenset(block) | christmas_closures(*range(2019, 2037))


@pytest.mark.parametrize("region", list(Region), ids=lambda region: region.value)
def test_working_day_arithmetic_matches_a_day_by_day_reference(region):
    rng = random.Random(f"working-days-{region.value}")
    bank = reference_holidays(region)
    pool = []
    for _ in range(40):
        closures = random_closures(rng)
        pool.append((WorkingCalendar(region, closures), bank | closures))
    span = (SPAN_END - SPAN_START).days + 1

    mismatches: list[tuple[object, ...]] = []
    for _ in range(CASES_PER_CALENDAR):
        calendar, off = pool[rng.randrange(len(pool))]
        day = SPAN_START + dt.timedelta(days=rng.randrange(span))
        n = rng.randrange(61)
        expected = reference_add(day, n, off)
        got = calendar.add_working_days(day, n)
        if got != expected:
            mismatches.append((day, n, got, expected))
            continue
        # Identities: counting back undoes adding, results are working days, and one more
        # working day is always the next working day.
        assert calendar.working_days_between(day, got) == n
        if n:
            assert calendar.is_working_day(got)
            on_or_before = (
                day if calendar.is_working_day(day) else calendar.previous_working_day(day)
            )
            assert calendar.add_working_days(got, -n) == on_or_before
        assert calendar.add_working_days(day, n + 1) == calendar.next_working_day(got)
    assert mismatches == [], f"{len(mismatches)} mismatches, first: {mismatches[:5]}"


@pytest.mark.parametrize("region", list(Region), ids=lambda region: region.value)
def test_counting_back_and_between_match_a_day_by_day_reference(region):
    rng = random.Random(f"working-days-back-{region.value}")
    bank = reference_holidays(region)
    pool = []
    for _ in range(40):
        closures = random_closures(rng)
        pool.append((WorkingCalendar(region, closures), bank | closures))
    span = (SPAN_END - SPAN_START).days + 1

    mismatches: list[tuple[object, ...]] = []
    for _ in range(CASES_PER_CALENDAR):
        calendar, off = pool[rng.randrange(len(pool))]
        day = SPAN_START + dt.timedelta(days=rng.randrange(span))
        n = rng.randrange(61)
        if calendar.add_working_days(day, -n) != reference_add(day, -n, off):
            mismatches.append(("back", day, n))
        end = day + dt.timedelta(days=rng.randrange(-90, 91))
        expected = (
            reference_between(day, end, off) if end >= day else -reference_between(end, day, off)
        )
        if calendar.working_days_between(day, end) != expected:
            mismatches.append(("between", day, end))
    assert mismatches == [], f"{len(mismatches)} mismatches, first: {mismatches[:5]}"


@pytest.mark.parametrize("region", list(Region), ids=lambda region: region.value)
def test_every_day_of_the_span_is_classified_as_the_reference_does(region):
    bank = reference_holidays(region)
    closures = christmas_closures(*range(2020, 2036))
    calendar = WorkingCalendar(region, closures)
    day = SPAN_START
    while day <= SPAN_END:
        expected = day.weekday() < 5 and day not in bank and day not in closures
        assert calendar.is_working_day(day) == expected, day
        day += ONE_DAY
