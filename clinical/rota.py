"""The weekly on-call rota of clinical supervisors.

A supervisor is on call 08:00-20:00 London time, seven days a week; who is on
call changes each week (weeks start Monday 00:00 London time). Overrides record
cover and swaps for part of a week; a later override wins over an earlier one.
Overrides amend a rota week, they never create one: with no week, nobody is on
call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from clinical.calendar import DailyHours, london_date, require_aware, week_start

Role = Literal["primary", "backup"]
ROLES: tuple[str, ...] = get_args(Role)

ON_CALL_HOURS = DailyHours(start=time(8, 0), end=time(20, 0))


def _check_id(value: str, name: str) -> None:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string id")


@dataclass(frozen=True, slots=True)
class RotaWeek:
    """Who is primary and backup on call for the week starting `week_start`."""

    week_start: date
    primary: str
    backup: str

    def __post_init__(self) -> None:
        if isinstance(self.week_start, datetime) or not isinstance(self.week_start, date):
            raise ValueError("week_start must be a date")
        if self.week_start.weekday() != 0:
            raise ValueError(f"week_start {self.week_start} is not a Monday")
        _check_id(self.primary, "primary")
        _check_id(self.backup, "backup")


@dataclass(frozen=True, slots=True)
class Override:
    """`supervisor_id` takes `role` over the half-open interval [start, end)."""

    start: datetime
    end: datetime
    role: Role
    supervisor_id: str
    reason: str

    def __post_init__(self) -> None:
        start = require_aware(self.start, "start")
        end = require_aware(self.end, "end")
        if not start < end:
            raise ValueError("override start must be before its end")
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")
        _check_id(self.supervisor_id, "supervisor_id")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    def covers(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


@dataclass(frozen=True, slots=True)
class OnCall:
    primary: str
    backup: str


@dataclass(frozen=True)
class Rota:
    """Rota weeks plus overrides (in the order they were made)."""

    weeks: tuple[RotaWeek, ...] = ()
    overrides: tuple[Override, ...] = ()
    hours: DailyHours = ON_CALL_HOURS
    _by_start: dict[date, RotaWeek] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        weeks = tuple(self.weeks)
        by_start: dict[date, RotaWeek] = {}
        for week in weeks:
            if week.week_start in by_start:
                raise ValueError(f"two rota weeks start on {week.week_start}")
            by_start[week.week_start] = week
        object.__setattr__(self, "weeks", weeks)
        object.__setattr__(self, "overrides", tuple(self.overrides))
        object.__setattr__(self, "_by_start", by_start)

    @classmethod
    def of(cls, weeks: Iterable[RotaWeek], overrides: Iterable[Override] = ()) -> Rota:
        return cls(tuple(weeks), tuple(overrides))

    def week_of(self, day: date) -> RotaWeek | None:
        """The rota week containing the London date `day`."""
        return self._by_start.get(week_start(day))

    def period_at(self, instant: datetime) -> tuple[datetime, datetime] | None:
        """The on-call period [start, end) in UTC containing `instant`."""
        at = require_aware(instant)
        window = self.hours.window_at(at)
        if window is None or self.week_of(london_date(at)) is None:
            return None
        return window

    def on_call_at(self, instant: datetime) -> OnCall | None:
        """Who is on call at `instant`; None outside on-call hours or rota weeks."""
        at = require_aware(instant)
        if self.hours.window_at(at) is None:
            return None
        week = self.week_of(london_date(at))
        if week is None:
            return None
        primary, backup = week.primary, week.backup
        for override in self.overrides:
            if override.covers(at):
                if override.role == "primary":
                    primary = override.supervisor_id
                else:
                    backup = override.supervisor_id
        return OnCall(primary=primary, backup=backup)

    def next_on_call(self, instant: datetime) -> tuple[datetime, OnCall] | None:
        """The start (UTC) of the first on-call period starting at or after
        `instant`, and who is on call then; None when the rota runs out."""
        at = require_aware(instant)
        if not self._by_start:
            return None
        last_day = max(self._by_start) + timedelta(days=6)
        day = max(london_date(at), min(self._by_start))
        while day <= last_day:
            week = self.week_of(day)
            if week is None:
                # Jump to the next Monday rather than walk an empty week.
                day = week_start(day) + timedelta(days=7)
                continue
            start, _ = self.hours.bounds(day)
            if start >= at:
                on_call = self.on_call_at(start)
                assert on_call is not None
                return start, on_call
            day += timedelta(days=1)
        return None
