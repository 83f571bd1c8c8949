from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinical.calendar import DailyHours
from clinical.rota import OnCall, Override, Rota, RotaWeek

LONDON = ZoneInfo("Europe/London")


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def london(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=LONDON)


def weeks_from(first: date, count: int) -> tuple[RotaWeek, ...]:
    return tuple(
        RotaWeek(first + timedelta(weeks=i), primary=f"p{i}", backup=f"b{i}") for i in range(count)
    )


# Weeks covering both 2026 clock changes and the 2027 ones.
ROTA_2026 = Rota(weeks_from(date(2026, 3, 16), 40))
ROTA_2027 = Rota(weeks_from(date(2027, 3, 22), 40))


def test_rota_week_validation() -> None:
    with pytest.raises(ValueError, match="Monday"):
        RotaWeek(date(2026, 3, 29), "a", "b")
    with pytest.raises(ValueError, match="date"):
        RotaWeek(datetime(2026, 3, 30, tzinfo=UTC), "a", "b")
    with pytest.raises(ValueError, match="primary"):
        RotaWeek(date(2026, 3, 30), "", "b")
    with pytest.raises(ValueError, match="two rota weeks"):
        Rota((RotaWeek(date(2026, 3, 30), "a", "b"), RotaWeek(date(2026, 3, 30), "c", "d")))


def test_override_validation() -> None:
    with pytest.raises(ValueError, match="naive"):
        Override(datetime(2026, 1, 1), utc(2026, 1, 2), "primary", "x", "cover")
    with pytest.raises(ValueError, match="before"):
        Override(utc(2026, 1, 2), utc(2026, 1, 1), "primary", "x", "cover")
    with pytest.raises(ValueError, match="role"):
        Override(utc(2026, 1, 1), utc(2026, 1, 2), "lead", "x", "cover")  # type: ignore[arg-type]
    o = Override(london(2026, 7, 1, 9), london(2026, 7, 1, 10), "backup", "x", "swap")
    assert o.start == utc(2026, 7, 1, 8)
    assert o.start.tzinfo is UTC


def test_on_call_hours_on_an_ordinary_day() -> None:
    # Wednesday 2026-07-01 is in the week starting 2026-06-29 (index 15).
    assert ROTA_2026.on_call_at(london(2026, 7, 1, 7, 59, 59)) is None
    assert ROTA_2026.on_call_at(london(2026, 7, 1, 8)) == OnCall("p15", "b15")
    assert ROTA_2026.on_call_at(london(2026, 7, 1, 19, 59, 59)) == OnCall("p15", "b15")
    assert ROTA_2026.on_call_at(london(2026, 7, 1, 20)) is None
    assert ROTA_2026.on_call_at(london(2026, 7, 1, 23)) is None
    with pytest.raises(ValueError, match="naive"):
        ROTA_2026.on_call_at(datetime(2026, 7, 1, 12))


def test_weeks_change_at_monday_midnight_london() -> None:
    # Sunday 2026-07-05 belongs to week 15, Monday 2026-07-06 to week 16.
    assert ROTA_2026.on_call_at(london(2026, 7, 5, 19, 59)) == OnCall("p15", "b15")
    assert ROTA_2026.on_call_at(london(2026, 7, 6, 8)) == OnCall("p16", "b16")
    assert ROTA_2026.period_at(london(2026, 7, 6, 8)) == (
        london(2026, 7, 6, 8),
        london(2026, 7, 6, 20),
    )


def test_no_week_means_nobody() -> None:
    assert ROTA_2026.on_call_at(london(2026, 3, 15, 12)) is None
    assert ROTA_2026.period_at(london(2026, 3, 15, 12)) is None
    assert Rota().on_call_at(london(2026, 3, 15, 12)) is None
    assert Rota().next_on_call(london(2026, 3, 15, 12)) is None


@pytest.mark.parametrize(
    ("day", "rota"),
    [
        (date(2026, 3, 29), ROTA_2026),
        (date(2026, 10, 25), ROTA_2026),
        (date(2027, 3, 28), ROTA_2027),
        (date(2027, 10, 31), ROTA_2027),
    ],
)
def test_clock_change_sundays(day: date, rota: Rota) -> None:
    start = datetime.combine(day, time(8), tzinfo=LONDON).astimezone(UTC)
    end = datetime.combine(day, time(20), tzinfo=LONDON).astimezone(UTC)
    assert end - start == timedelta(hours=12)
    period = rota.period_at(start)
    assert period == (start, end)
    assert rota.on_call_at(start - timedelta(seconds=1)) is None
    assert rota.on_call_at(start) is not None
    assert rota.on_call_at(end - timedelta(seconds=1)) is not None
    assert rota.on_call_at(end) is None
    # Nobody around the change itself: every UTC minute from 00:00 to 03:00.
    midnight = datetime.combine(day, time(0), tzinfo=UTC)
    for minute in range(0, 180, 5):
        assert rota.on_call_at(midnight + timedelta(minutes=minute)) is None
    # The previous evening's period ends where it should, and the next one
    # starts at 08:00 London that Sunday.
    evening = datetime.combine(day - timedelta(days=1), time(21), tzinfo=LONDON)
    upcoming = rota.next_on_call(evening)
    assert upcoming is not None
    assert upcoming[0] == start


def test_clock_change_boundaries_in_utc() -> None:
    # Spring: BST from 01:00 UTC; 08:00 BST = 07:00 UTC, 20:00 BST = 19:00 UTC.
    assert ROTA_2026.period_at(utc(2026, 3, 29, 7)) == (utc(2026, 3, 29, 7), utc(2026, 3, 29, 19))
    assert ROTA_2026.on_call_at(utc(2026, 3, 29, 6, 59)) is None
    assert ROTA_2026.on_call_at(utc(2026, 3, 29, 19)) is None
    # Saturday before was GMT: 08:00-20:00 UTC.
    assert ROTA_2026.period_at(utc(2026, 3, 28, 8)) == (utc(2026, 3, 28, 8), utc(2026, 3, 28, 20))
    # Autumn: GMT from 01:00 UTC; 08:00 GMT = 08:00 UTC.
    assert ROTA_2026.period_at(utc(2026, 10, 25, 8)) == (
        utc(2026, 10, 25, 8),
        utc(2026, 10, 25, 20),
    )
    assert ROTA_2026.on_call_at(utc(2026, 10, 25, 7, 30)) is None
    # Both 01:30s of the repeated hour are outside on-call hours.
    assert ROTA_2026.on_call_at(utc(2026, 10, 25, 0, 30)) is None
    assert ROTA_2026.on_call_at(utc(2026, 10, 25, 1, 30)) is None
    assert ROTA_2026.period_at(utc(2026, 10, 24, 7)) == (
        utc(2026, 10, 24, 7),
        utc(2026, 10, 24, 19),
    )


def test_periods_tile_without_gap_or_overlap_across_clock_changes() -> None:
    rota = ROTA_2026
    starts = []
    t = utc(2026, 3, 25)
    while t < utc(2026, 11, 1):
        found = rota.next_on_call(t)
        assert found is not None
        start, _ = found
        period = rota.period_at(start)
        assert period is not None
        assert period[1] - period[0] == timedelta(hours=12)
        starts.append(start)
        t = period[1]
    gaps = [b - a for a, b in pairwise(starts)]
    # Exactly one short night (spring) and one long night (autumn).
    assert gaps.count(timedelta(hours=23)) == 1
    assert gaps.count(timedelta(hours=25)) == 1
    assert gaps.count(timedelta(hours=24)) == len(gaps) - 2
    assert all(s.astimezone(LONDON).time() == time(8) for s in starts)
    assert len(starts) == (date(2026, 11, 1) - date(2026, 3, 25)).days + 1  # one a day


def test_overrides_cover_and_later_wins() -> None:
    wed = date(2026, 7, 1)
    rota = Rota(
        weeks_from(date(2026, 6, 29), 2),
        (
            Override(london(2026, 7, 1, 12), london(2026, 7, 1, 16), "primary", "cover1", "GP"),
            Override(london(2026, 7, 1, 14), london(2026, 7, 2, 0), "primary", "cover2", "swap"),
            Override(london(2026, 7, 1, 15), london(2026, 7, 1, 17), "backup", "bk", "cover"),
        ),
    )

    def at(hour: int) -> datetime:
        return datetime.combine(wed, time(hour), tzinfo=LONDON)

    assert rota.on_call_at(at(11)) == OnCall("p0", "b0")
    assert rota.on_call_at(at(12)) == OnCall("cover1", "b0")
    assert rota.on_call_at(at(14)) == OnCall("cover2", "b0")  # later override wins
    assert rota.on_call_at(at(15)) == OnCall("cover2", "bk")
    assert rota.on_call_at(at(17)) == OnCall("cover2", "b0")
    assert rota.on_call_at(at(19)) == OnCall("cover2", "b0")
    assert rota.on_call_at(at(20)) is None  # an override never extends on-call hours
    assert rota.on_call_at(at(23)) is None
    assert rota.on_call_at(london(2026, 7, 2, 8)) == OnCall("p0", "b0")


def test_override_order_not_time_decides() -> None:
    earlier_made = Override(london(2026, 7, 1, 8), london(2026, 7, 1, 20), "primary", "x", "a")
    later_made = Override(london(2026, 7, 1, 12), london(2026, 7, 1, 13), "primary", "y", "b")
    weeks = weeks_from(date(2026, 6, 29), 1)
    assert Rota(weeks, (earlier_made, later_made)).on_call_at(london(2026, 7, 1, 12)) == OnCall(
        "y", "b0"
    )
    assert Rota(weeks, (later_made, earlier_made)).on_call_at(london(2026, 7, 1, 12)) == OnCall(
        "x", "b0"
    )


def test_override_without_a_week_creates_no_on_call() -> None:
    rota = Rota(
        weeks_from(date(2026, 6, 29), 1),
        (Override(london(2026, 7, 7, 8), london(2026, 7, 7, 20), "primary", "x", "a"),),
    )
    assert rota.on_call_at(london(2026, 7, 7, 12)) is None


def test_next_on_call_same_day_and_next_day() -> None:
    assert ROTA_2026.next_on_call(london(2026, 7, 1, 6)) == (
        utc(2026, 7, 1, 7),
        OnCall("p15", "b15"),
    )
    assert ROTA_2026.next_on_call(london(2026, 7, 1, 8)) == (
        utc(2026, 7, 1, 7),
        OnCall("p15", "b15"),
    )
    # During a period, the next one is tomorrow's.
    assert ROTA_2026.next_on_call(london(2026, 7, 1, 8, 0, 1))[0] == london(2026, 7, 2, 8)  # type: ignore[index]
    assert ROTA_2026.next_on_call(london(2026, 7, 1, 21))[0] == london(2026, 7, 2, 8)  # type: ignore[index]
    found = ROTA_2026.next_on_call(utc(2026, 7, 1, 21))
    assert found is not None
    assert found[0].tzinfo is UTC


def test_next_on_call_across_week_boundary() -> None:
    assert ROTA_2026.next_on_call(london(2026, 7, 5, 20, 30)) == (
        london(2026, 7, 6, 8),
        OnCall("p16", "b16"),
    )
    # Sunday night just after midnight UTC but before midnight London in winter.
    assert ROTA_2026.next_on_call(utc(2026, 11, 1, 23, 30)) == (
        utc(2026, 11, 2, 8),
        OnCall("p33", "b33"),
    )


def test_next_on_call_skips_missing_weeks_and_respects_overrides() -> None:
    weeks = (RotaWeek(date(2026, 6, 29), "a", "b"), RotaWeek(date(2026, 7, 20), "c", "d"))
    cover = Override(london(2026, 7, 20, 7), london(2026, 7, 20, 9), "primary", "e", "late")
    rota = Rota(weeks, (cover,))
    assert rota.next_on_call(london(2026, 7, 5, 21)) == (london(2026, 7, 20, 8), OnCall("e", "d"))
    assert rota.next_on_call(london(2026, 1, 1)) == (london(2026, 6, 29, 8), OnCall("a", "b"))
    assert rota.next_on_call(london(2026, 7, 26, 20)) is None
    assert rota.next_on_call(london(2026, 7, 26, 7)) == (london(2026, 7, 26, 8), OnCall("c", "d"))


def test_custom_hours() -> None:
    rota = Rota(weeks_from(date(2026, 6, 29), 1), hours=DailyHours(time(7), time(22)))
    assert rota.on_call_at(london(2026, 7, 1, 7)) is not None
    assert rota.on_call_at(london(2026, 7, 1, 21, 59)) is not None


def test_rota_of_accepts_lists() -> None:
    rota = Rota.of(list(weeks_from(date(2026, 6, 29), 1)))
    assert rota.weeks == weeks_from(date(2026, 6, 29), 1)


@given(
    st.datetimes(
        min_value=datetime(2026, 3, 16), max_value=datetime(2026, 12, 13), timezones=st.just(UTC)
    )
)
def test_on_call_exactly_between_london_eight_and_eight(instant: datetime) -> None:
    wall = instant.astimezone(LONDON)
    expected = time(8) <= wall.time() < time(20)
    assert (ROTA_2026.on_call_at(instant) is not None) is expected
    found = ROTA_2026.next_on_call(instant)
    assert found is not None
    start, who = found
    assert start >= instant
    assert start.astimezone(LONDON).time() == time(8)
    assert ROTA_2026.on_call_at(start) == who
    assert start - instant <= timedelta(hours=25)
