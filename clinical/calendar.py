"""Working days, office hours and London wall time.

Instants are aware datetimes, handed back in UTC. Rotas and office hours are
written in Europe/London wall time; every period boundary is built from a wall
time on a given date and only then converted to UTC, so the clock changes
(last Sundays of March and October) open no gap and no overlap, and a period
08:00-20:00 on a clock-change Sunday still lasts 12 real hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")

# Longest run of non-working days is four (e.g. Christmas 2027: Sat-Tue);
# a year bounds every search so a bug can never loop forever.
_SEARCH_DAYS = 366


def require_aware(instant: datetime, name: str = "instant") -> datetime:
    """Return `instant` in UTC; raise ValueError if it is naive."""
    if instant.tzinfo is None or instant.tzinfo.utcoffset(instant) is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {instant!r}")
    return instant.astimezone(UTC)


def london_date(instant: datetime) -> date:
    """The London calendar date of an instant."""
    return require_aware(instant).astimezone(LONDON).date()


def wall_to_utc(day: date, wall: time) -> datetime:
    """The UTC instant at which London clocks show `wall` on `day`.

    A wall time skipped in March (01:00-02:00) maps forward to the instant the
    clock would have shown it (01:30 -> 02:30 BST); an ambiguous October time
    maps to its first occurrence (BST).
    """
    if wall.tzinfo is not None:
        raise ValueError("wall time must be naive (it is read as London time)")
    return datetime.combine(day, wall, tzinfo=LONDON).astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of the week containing `day`."""
    return day - timedelta(days=day.weekday())


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England & Wales bank holidays of `year`, substitute days included.

    The `holidays` package lists both a weekend holiday and its substitute
    weekday; a weekend is not a working day anyway, so both can be kept.
    """
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England & Wales bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    for offset in range(1, _SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    raise AssertionError("no working day within a year")  # pragma: no cover


def _check_hours(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("hours are naive London wall times")
    if not start < end:
        raise ValueError(f"start {start} must be before end {end}")


@dataclass(frozen=True, slots=True)
class DailyHours:
    """A window of London wall time, the same every day (e.g. on-call 08-20)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        _check_hours(self.start, self.end)

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        """The window on `day` as a half-open UTC interval [start, end)."""
        return wall_to_utc(day, self.start), wall_to_utc(day, self.end)

    def window_at(self, instant: datetime) -> tuple[datetime, datetime] | None:
        """The window containing `instant`, if any."""
        at = require_aware(instant)
        start, end = self.bounds(london_date(at))
        return (start, end) if start <= at < end else None

    def next_start(self, instant: datetime) -> datetime:
        """The first window start at or after `instant`."""
        at = require_aware(instant)
        day = london_date(at)
        for offset in range(_SEARCH_DAYS):
            start, _ = self.bounds(day + timedelta(days=offset))
            if start >= at:
                return start
        raise AssertionError("no window start within a year")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Office hours: working days only, `start`-`end` London wall time."""

    start: time = time(9, 0)
    end: time = time(17, 0)

    def __post_init__(self) -> None:
        _check_hours(self.start, self.end)

    def bounds(self, day: date) -> tuple[datetime, datetime] | None:
        """Office hours on `day` as a UTC interval, None on non-working days."""
        if not is_working_day(day):
            return None
        return wall_to_utc(day, self.start), wall_to_utc(day, self.end)

    def is_open(self, instant: datetime) -> bool:
        at = require_aware(instant)
        window = self.bounds(london_date(at))
        return window is not None and window[0] <= at < window[1]

    def next_start(self, instant: datetime) -> datetime:
        """The first opening at or after `instant` (UTC)."""
        at = require_aware(instant)
        day = london_date(at)
        for offset in range(_SEARCH_DAYS):
            window = self.bounds(day + timedelta(days=offset))
            if window is not None and window[0] >= at:
                return window[0]
        raise AssertionError("no office opening within a year")  # pragma: no cover
