from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinical.calendar import (
    DailyHours,
    OfficeHours,
    bank_holidays,
    is_bank_holiday,
    is_working_day,
    london_date,
    next_working_day,
    require_aware,
    wall_to_utc,
    week_start,
)

LONDON = ZoneInfo("Europe/London")


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def london(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=LONDON)


def test_holidays_package_lists_saturday_boxing_day_and_its_substitute() -> None:
    days = bank_holidays(2026)
    assert date(2026, 12, 25) in days
    assert date(2026, 12, 26) in days  # Saturday, listed
    assert date(2026, 12, 28) in days  # Monday substitute


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),  # Thursday
        (date(2026, 12, 25), False),  # Christmas, Friday
        (date(2026, 12, 26), False),  # Boxing Day on a Saturday
        (date(2026, 12, 27), False),  # Sunday
        (date(2026, 12, 28), False),  # substitute for Boxing Day
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),  # New Year's Day, Friday
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 3, 30), True),
        (date(2027, 12, 27), False),  # Christmas (observed)
        (date(2027, 12, 28), False),  # Boxing Day (observed)
        (date(2026, 4, 6), False),  # Easter Monday 2026
        (date(2026, 5, 25), False),  # Spring bank holiday
        (date(2026, 6, 1), True),  # an ordinary Monday
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_saturday_holiday_is_a_bank_holiday_but_not_the_reason_it_is_off() -> None:
    assert is_bank_holiday(date(2026, 12, 26))
    assert not is_working_day(date(2026, 12, 26))
    assert not is_bank_holiday(date(2026, 12, 27))


def test_next_working_day_skips_christmas() -> None:
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert next_working_day(date(2027, 12, 24)) == date(2027, 12, 29)
    assert next_working_day(date(2027, 3, 25)) == date(2027, 3, 30)


def test_require_aware() -> None:
    with pytest.raises(ValueError, match="naive"):
        require_aware(datetime(2026, 1, 1, 9))
    assert require_aware(london(2026, 7, 1, 9)) == utc(2026, 7, 1, 8)
    assert require_aware(london(2026, 7, 1, 9)).tzinfo is UTC


def test_wall_to_utc_across_clock_changes() -> None:
    assert wall_to_utc(date(2026, 3, 28), time(8)) == utc(2026, 3, 28, 8)
    assert wall_to_utc(date(2026, 3, 29), time(8)) == utc(2026, 3, 29, 7)
    assert wall_to_utc(date(2026, 10, 25), time(8)) == utc(2026, 10, 25, 8)
    assert wall_to_utc(date(2026, 10, 24), time(8)) == utc(2026, 10, 24, 7)
    # A skipped wall time maps forward; an ambiguous one to its first occurrence.
    assert wall_to_utc(date(2026, 3, 29), time(1, 30)) == utc(2026, 3, 29, 1, 30)
    assert wall_to_utc(date(2026, 10, 25), time(1, 30)) == utc(2026, 10, 25, 0, 30)
    with pytest.raises(ValueError, match="naive"):
        wall_to_utc(date(2026, 1, 1), time(8, tzinfo=UTC))


def test_london_date_and_week_start() -> None:
    # Sunday 23:30 UTC in summer is already Monday in London.
    assert london_date(utc(2026, 3, 29, 23, 30)) == date(2026, 3, 30)
    assert london_date(utc(2026, 12, 27, 23, 30)) == date(2026, 12, 27)
    assert week_start(date(2026, 3, 29)) == date(2026, 3, 23)
    assert week_start(date(2026, 3, 30)) == date(2026, 3, 30)


@pytest.mark.parametrize(
    "day", [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]
)
def test_daily_window_on_clock_change_sundays_is_twelve_real_hours(day: date) -> None:
    assert day.weekday() == 6
    start, end = DailyHours(time(8), time(20)).bounds(day)
    assert end - start == timedelta(hours=12)
    assert start.astimezone(LONDON).hour == 8
    assert end.astimezone(LONDON).hour == 20


def test_daily_hours_validation() -> None:
    with pytest.raises(ValueError, match="before"):
        DailyHours(time(20), time(8))
    with pytest.raises(ValueError, match="before"):
        OfficeHours(time(17), time(17))


def test_office_hours_default_and_boundaries() -> None:
    office = OfficeHours()
    assert (office.start, office.end) == (time(9), time(17))
    assert not office.is_open(london(2026, 7, 1, 8, 59, 59))  # Wednesday, BST
    assert office.is_open(london(2026, 7, 1, 9))
    assert office.is_open(london(2026, 7, 1, 16, 59, 59))
    assert not office.is_open(london(2026, 7, 1, 17))
    assert office.is_open(utc(2026, 7, 1, 8))  # 09:00 BST
    assert office.is_open(utc(2026, 1, 7, 16, 30))  # 16:30 GMT
    assert not office.is_open(utc(2026, 7, 1, 16, 30))  # 17:30 BST


def test_office_closed_on_weekends_and_bank_holidays() -> None:
    office = OfficeHours()
    assert not office.is_open(london(2026, 7, 4, 12))  # Saturday
    assert not office.is_open(london(2026, 12, 25, 12))
    assert not office.is_open(london(2026, 12, 28, 12))
    assert not office.is_open(london(2027, 1, 1, 12))
    assert not office.is_open(london(2027, 3, 29, 12))
    assert office.is_open(london(2026, 12, 29, 12))


def test_custom_office_hours() -> None:
    office = OfficeHours(time(8, 30), time(18))
    assert office.is_open(london(2026, 7, 1, 8, 30))
    assert office.is_open(london(2026, 7, 1, 17, 30))


def test_office_next_start() -> None:
    office = OfficeHours()
    assert office.next_start(london(2026, 12, 24, 17)) == london(2026, 12, 29, 9)
    assert office.next_start(london(2026, 12, 31, 18)) == london(2027, 1, 4, 9)
    assert office.next_start(london(2027, 3, 25, 20)) == london(2027, 3, 30, 9)
    # At an opening: that opening; just after: the next one.
    assert office.next_start(london(2026, 7, 1, 9)) == london(2026, 7, 1, 9)
    assert office.next_start(london(2026, 7, 1, 9, 0, 1)) == london(2026, 7, 2, 9)
    # Friday evening before the spring clock change to the Monday in BST.
    assert office.next_start(london(2026, 3, 27, 18)) == utc(2026, 3, 30, 8)
    assert office.next_start(utc(2026, 3, 27, 18)).tzinfo is UTC
    with pytest.raises(ValueError, match="naive"):
        office.next_start(datetime(2026, 3, 27, 18))
    with pytest.raises(ValueError, match="naive"):
        office.is_open(datetime(2026, 3, 27, 18))
