from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinical.calendar import OfficeHours
from clinical.crisis import CRISIS_CONTACTS, ContactMethod, crisis_contacts
from clinical.rota import Override, Rota, RotaWeek
from clinical.routing import Route, RouteKind, Severity, route

LONDON = ZoneInfo("Europe/London")
LEAD = "lead-1"


def london(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=LONDON)


def weekly(first: date, count: int) -> tuple[RotaWeek, ...]:
    return tuple(
        RotaWeek(first + timedelta(weeks=i), primary=f"p{i}", backup=f"b{i}") for i in range(count)
    )


# Weeks from 2026-03-16 to 2027-12-05: covers every date tested here.
ROTA = Rota(weekly(date(2026, 3, 16), 90))


def week_index(day: date) -> int:
    return (day - date(2026, 3, 16)).days // 7


def on_call_ids(day: date) -> tuple[str, str]:
    i = week_index(day)
    return f"p{i}", f"b{i}"


def r(now: datetime, severity: str = "urgent", rota: Rota = ROTA) -> Route:
    return route(now, rota, clinical_lead_id=LEAD, severity=severity)


def test_office_hours_go_to_duty_team() -> None:
    now = london(2026, 7, 1, 10)
    got = r(now, "high")
    assert got == Route(RouteKind.DUTY_TEAM, "duty-team", LEAD, False, now)
    assert got.deliver_at.tzinfo is UTC
    assert r(now, "urgent").show_crisis_contacts
    assert route(now, ROTA, clinical_lead_id=LEAD, duty_team_id="team-b").primary == "team-b"


@pytest.mark.parametrize("severity", ["urgent", "high", "moderate", Severity.HIGH])
def test_severity_values(severity: str) -> None:
    assert r(london(2026, 7, 1, 10), severity).kind is RouteKind.DUTY_TEAM


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="critical"):
        r(london(2026, 7, 1, 10), "critical")
    with pytest.raises(ValueError, match="naive"):
        r(datetime(2026, 7, 1, 10))


@pytest.mark.parametrize(
    "now",
    [
        london(2026, 7, 1, 8),  # before the office opens
        london(2026, 7, 1, 8, 59, 59),
        london(2026, 7, 1, 17),  # office just closed
        london(2026, 7, 1, 19, 59),
        london(2026, 7, 4, 12),  # Saturday
        london(2026, 7, 5, 8),  # Sunday
        london(2026, 12, 25, 10),  # Christmas Day, Friday
        london(2026, 12, 28, 10),  # substitute Boxing Day, Monday
        london(2027, 1, 1, 10),  # New Year's Day
        london(2027, 3, 29, 10),  # Easter Monday
        london(2026, 3, 29, 12),  # spring clock-change Sunday
        london(2026, 10, 25, 12),  # autumn clock-change Sunday
    ],
)
def test_on_call_outside_office_hours_within_eight_to_eight(now: datetime) -> None:
    got = r(now, "high")
    primary, backup = on_call_ids(now.date())
    assert got == Route(RouteKind.ON_CALL, primary, backup, False, now)
    assert r(now, "urgent").show_crisis_contacts


def test_on_call_respects_overrides() -> None:
    rota = Rota(
        weekly(date(2026, 6, 29), 1),
        (Override(london(2026, 7, 4, 8), london(2026, 7, 4, 12), "primary", "cover", "sick"),),
    )
    got = r(london(2026, 7, 4, 9), rota=rota)
    assert (got.kind, got.primary, got.backup) == (RouteKind.ON_CALL, "cover", "b0")


@pytest.mark.parametrize(
    ("now", "deliver_at", "waits_for"),
    [
        # Weeknight: on-call at 08:00 next day.
        (london(2026, 7, 1, 20), london(2026, 7, 2, 8), RouteKind.ON_CALL),
        (london(2026, 7, 1, 23, 30), london(2026, 7, 2, 8), RouteKind.ON_CALL),
        (london(2026, 7, 2, 3), london(2026, 7, 2, 8), RouteKind.ON_CALL),
        # Friday night -> Saturday on-call; Sunday night -> Monday on-call (new week).
        (london(2026, 7, 3, 21), london(2026, 7, 4, 8), RouteKind.ON_CALL),
        (london(2026, 7, 5, 22), london(2026, 7, 6, 8), RouteKind.ON_CALL),
        # Christmas Eve night; bank holidays still have on-call.
        (london(2026, 12, 24, 22), london(2026, 12, 25, 8), RouteKind.ON_CALL),
        # Clock-change nights: next period is 08:00 London in the new offset.
        (london(2026, 3, 28, 23), london(2026, 3, 29, 8), RouteKind.ON_CALL),
        (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), london(2026, 3, 29, 8), RouteKind.ON_CALL),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), london(2026, 10, 25, 8), RouteKind.ON_CALL),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), london(2026, 10, 25, 8), RouteKind.ON_CALL),
        (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), london(2027, 3, 28, 8), RouteKind.ON_CALL),
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), london(2027, 10, 31, 8), RouteKind.ON_CALL),
    ],
)
def test_out_of_hours_waits_for_next_on_call(
    now: datetime, deliver_at: datetime, waits_for: RouteKind
) -> None:
    for severity in ("urgent", "high", "moderate"):
        got = r(now, severity)
        assert got.kind is RouteKind.OUT_OF_HOURS
        assert got.show_crisis_contacts
        assert got.deliver_at == deliver_at
        assert got.deliver_at.tzinfo is UTC
        assert got.waits_for is waits_for
        assert (got.primary, got.backup) == on_call_ids(deliver_at.astimezone(LONDON).date())


def test_out_of_hours_without_rota_waits_for_the_office() -> None:
    empty = Rota()
    got = r(london(2026, 12, 24, 18), rota=empty)
    assert got == Route(
        RouteKind.OUT_OF_HOURS,
        "duty-team",
        LEAD,
        True,
        london(2026, 12, 29, 9),
        RouteKind.DUTY_TEAM,
    )
    # With no rota, even 08:00-20:00 on a weekend is out of hours.
    assert r(london(2027, 3, 27, 12), rota=empty).deliver_at == london(2027, 3, 30, 9)
    assert r(london(2026, 12, 31, 20), rota=empty).deliver_at == london(2027, 1, 4, 9)


def test_rota_gap_falls_back_to_whichever_comes_first() -> None:
    rota = Rota((RotaWeek(date(2026, 7, 13), "x", "y"),))
    # Friday evening, no rota this weekend; Monday is in a rota week, and its
    # 08:00 on-call comes before the office opens.
    got = r(london(2026, 7, 10, 18), rota=rota)
    assert (got.deliver_at, got.primary, got.waits_for) == (
        london(2026, 7, 13, 8),
        "x",
        RouteKind.ON_CALL,
    )
    # A weekend and Monday with no rota: the office opens first.
    got = r(london(2026, 7, 3, 18), rota=rota)
    assert (got.deliver_at, got.primary, got.waits_for) == (
        london(2026, 7, 6, 9),
        "duty-team",
        RouteKind.DUTY_TEAM,
    )


def test_tie_goes_to_duty_team() -> None:
    office = OfficeHours(time(8), time(18))
    got = route(london(2026, 7, 1, 21), ROTA, clinical_lead_id=LEAD, office=office)
    assert (got.deliver_at, got.waits_for) == (london(2026, 7, 2, 8), RouteKind.DUTY_TEAM)
    assert route(got.deliver_at, ROTA, clinical_lead_id=LEAD, office=office).kind is (
        RouteKind.DUTY_TEAM
    )


@settings(max_examples=300)
@given(
    st.datetimes(
        min_value=datetime(2026, 3, 20), max_value=datetime(2027, 11, 30), timezones=st.just(UTC)
    )
)
def test_out_of_hours_route_matches_who_is_on_duty_at_deliver_at(now: datetime) -> None:
    got = r(now, "moderate")
    if got.kind is not RouteKind.OUT_OF_HOURS:
        assert got.deliver_at == now
        assert not got.show_crisis_contacts
        return
    assert got.show_crisis_contacts
    assert now < got.deliver_at <= now + timedelta(hours=13)
    then = r(got.deliver_at, "moderate")
    assert then.kind is got.waits_for
    assert (then.primary, then.backup) == (got.primary, got.backup)
    # Nobody in between.
    step = (got.deliver_at - now) / 7
    for i in range(1, 7):
        assert r(now + i * step).kind is RouteKind.OUT_OF_HOURS


def test_crisis_contacts_data() -> None:
    assert crisis_contacts() == CRISIS_CONTACTS
    numbers = [c.number for c in CRISIS_CONTACTS]
    assert numbers == ["999", "111", "116 123", "85258"]
    assert CRISIS_CONTACTS[0].href == "tel:999"
    assert CRISIS_CONTACTS[2].href == "tel:116123"
    shout = CRISIS_CONTACTS[3]
    assert shout.method is ContactMethod.TEXT
    assert shout.href == "sms:85258?body=SHOUT"
    assert all(len(c.label) <= 24 for c in CRISIS_CONTACTS)
    assert len({c.key for c in CRISIS_CONTACTS}) == 4
