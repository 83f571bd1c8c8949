from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinical.escalation import (
    AlertAction,
    AlertState,
    AlertStatus,
    EscalationPlan,
    IllegalTransition,
    Notification,
    Step,
    after_sent,
    apply,
    can_add_note,
    due_at,
    due_notifications,
    next_wake,
    plan_for,
    transition,
)
from clinical.routing import Route, RouteKind

T0 = datetime(2026, 7, 1, 21, 0, tzinfo=UTC)
DELIVER = datetime(2026, 7, 2, 7, 0, tzinfo=UTC)  # 08:00 BST next morning
M = timedelta(minutes=1)
ON_CALL = Route(RouteKind.ON_CALL, "sup-a", "sup-b", False, T0)
DUTY = Route(RouteKind.DUTY_TEAM, "duty-team", "lead", False, T0)
OOH = Route(RouteKind.OUT_OF_HOURS, "sup-a", "sup-b", True, DELIVER, RouteKind.ON_CALL)


def test_plan_for_on_call() -> None:
    plan = plan_for(ON_CALL, "lead")
    assert plan.steps == (
        Step(timedelta(0), "sup-a", 0),
        Step(5 * M, "sup-b", 1),
        Step(10 * M, "lead", 2),
    )
    assert [plan.step_at(n) for n in range(3, 9)] == [
        Step(15 * M, "lead", 2),
        Step(15 * M, "sup-b", 1),
        Step(20 * M, "lead", 2),
        Step(20 * M, "sup-b", 1),
        Step(25 * M, "lead", 2),
        Step(25 * M, "sup-b", 1),
    ]
    with pytest.raises(ValueError, match=">= 0"):
        plan.step_at(-1)


def test_plan_for_options() -> None:
    plan = plan_for(ON_CALL, "lead", backup_id="sup-c", ack_timeout=timedelta(minutes=2))
    assert plan.steps[1] == Step(2 * M, "sup-c", 1)
    assert plan.step_at(3) == Step(6 * M, "lead", 2)
    # The duty team's backup is the lead: the lead appears once, at level 2.
    duty = plan_for(DUTY, "lead")
    assert duty.steps == (Step(timedelta(0), "duty-team", 0), Step(5 * M, "lead", 2))
    assert duty.step_at(2) == Step(10 * M, "lead", 2)
    assert duty.step_at(3) == Step(15 * M, "lead", 2)
    # Backup the same as the primary is skipped too.
    same = plan_for(Route(RouteKind.ON_CALL, "x", "x", False, T0), "lead")
    assert [s.target for s in same.steps] == ["x", "lead"]
    # Nobody above the primary: remind the primary.
    alone = plan_for(Route(RouteKind.ON_CALL, "lead", None, False, T0), "lead")
    assert alone.steps == (Step(timedelta(0), "lead", 0),)
    assert alone.step_at(1) == Step(5 * M, "lead", 0)


def test_plan_for_rejects() -> None:
    with pytest.raises(ValueError, match="nobody"):
        plan_for(Route(RouteKind.OUT_OF_HOURS, None, None, True, T0), "lead")
    with pytest.raises(ValueError, match="positive"):
        plan_for(ON_CALL, "lead", ack_timeout=timedelta(0))
    with pytest.raises(ValueError, match="at least one"):
        EscalationPlan((), (), M)
    with pytest.raises(ValueError, match="non-decreasing"):
        EscalationPlan((Step(M, "a", 0), Step(timedelta(0), "b", 1)), (), M)


def test_plan_without_repeats_runs_out() -> None:
    plan = EscalationPlan((Step(timedelta(0), "a", 0),), (), M)
    assert plan.step_at(1) is None
    state = AlertState(T0, T0, notified_count=1)
    assert next_wake(plan, state) is None
    assert due_notifications(plan, state, T0 + timedelta(days=1)) == []


def test_json_round_trip() -> None:
    for plan in (
        plan_for(ON_CALL, "lead"),
        plan_for(DUTY, "lead"),
        plan_for(ON_CALL, "lead", ack_timeout=timedelta(seconds=90.5)),
    ):
        text = plan.to_json()
        assert json.loads(text)["version"] == 1
        assert EscalationPlan.from_json(text) == plan


@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3, unique=True),
    st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=2)),
)
def test_json_round_trip_property(targets: list[str], timeout: timedelta) -> None:
    backup = targets[1] if len(targets) > 1 else None
    lead = targets[-1]
    plan = plan_for(
        Route(RouteKind.ON_CALL, targets[0], backup, False, T0), lead, ack_timeout=timeout
    )
    assert EscalationPlan.from_json(plan.to_json()) == plan


@pytest.mark.parametrize(
    "text",
    ["[]", '{"version": 2}', '{"version": 1}', '{"version": 1, "steps": [{"target": 1}]}'],
)
def test_from_json_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="plan"):
        EscalationPlan.from_json(text)


def test_from_json_rejects_bad_step_types() -> None:
    bad = json.dumps(
        {
            "version": 1,
            "steps": [{"after_s": 0, "target": "a", "level": "0"}],
            "repeat": [],
            "repeat_every_s": 60,
        }
    )
    with pytest.raises(ValueError, match="malformed"):
        EscalationPlan.from_json(bad)


def test_worker_loop_escalates_until_acknowledged() -> None:
    plan = EscalationPlan.from_json(plan_for(OOH, "lead").to_json())
    state = AlertState(opened_at=T0, deliver_at=OOH.deliver_at)
    # Nothing before delivery (overnight, out of hours).
    assert due_notifications(plan, state, T0) == []
    assert due_notifications(plan, state, DELIVER - timedelta(seconds=1)) == []
    assert next_wake(plan, state) == DELIVER

    sent: list[tuple[int, str]] = []
    now = DELIVER
    for _ in range(6):
        wake = next_wake(plan, state)
        assert wake is not None
        now = wake
        batch = due_notifications(plan, state, now)
        assert batch
        assert all(n.due_at == now for n in batch)
        sent += [(n.index, n.target) for n in batch]
        state = after_sent(state, batch)
        assert due_notifications(plan, state, now) == []  # idempotent
    assert sent == [
        (0, "sup-a"),
        (1, "sup-b"),
        (2, "lead"),
        (3, "lead"),
        (4, "sup-b"),
        (5, "lead"),
        (6, "sup-b"),
        (7, "lead"),
        (8, "sup-b"),
    ]
    assert now == DELIVER + 25 * M
    state = apply(state, AlertAction.ACKNOWLEDGE)
    assert state.status is AlertStatus.ACKNOWLEDGED
    assert next_wake(plan, state) is None
    assert due_notifications(plan, state, now + timedelta(hours=1)) == []


def test_catch_up_after_a_pause_sends_each_target_once() -> None:
    plan = plan_for(ON_CALL, "lead")
    state = AlertState(T0, T0)
    batch = due_notifications(plan, state, T0 + 22 * M)
    assert [(n.index, n.target, n.level) for n in batch] == [
        (0, "sup-a", 0),
        (5, "lead", 2),
        (6, "sup-b", 1),
    ]
    assert batch[-1].due_at == T0 + 20 * M
    state = after_sent(state, batch)
    assert state.notified_count == 7
    assert next_wake(plan, state) == T0 + 25 * M
    # A long pause stays small and cheap.
    later = due_notifications(plan, state, T0 + timedelta(days=30))
    assert [n.target for n in later] == ["lead", "sup-b"]
    assert after_sent(state, []) is state


def test_partial_progress() -> None:
    plan = plan_for(ON_CALL, "lead")
    state = AlertState(T0, T0, notified_count=1)
    assert due_notifications(plan, state, T0 + 4 * M) == []
    assert due_notifications(plan, state, T0 + 5 * M) == [Notification(1, "sup-b", 1, T0 + 5 * M)]
    assert [n.index for n in due_notifications(plan, state, T0 + 10 * M)] == [1, 2]
    assert due_at(plan, T0, 2) == T0 + 10 * M


def test_resolved_without_ack() -> None:
    plan = plan_for(ON_CALL, "lead")
    state = apply(AlertState(T0, T0), "resolve")
    assert state.status is AlertStatus.RESOLVED
    assert due_notifications(plan, state, T0 + timedelta(hours=1)) == []
    assert next_wake(plan, state) is None


def test_alert_state_validation() -> None:
    with pytest.raises(ValueError, match="naive"):
        AlertState(datetime(2026, 1, 1), T0)
    with pytest.raises(ValueError, match="before"):
        AlertState(T0, T0 - M)
    with pytest.raises(ValueError, match=">= 0"):
        AlertState(T0, T0, notified_count=-1)
    with pytest.raises(ValueError, match="naive"):
        due_notifications(plan_for(ON_CALL, "lead"), AlertState(T0, T0), datetime(2026, 7, 2))
    assert AlertState(T0, T0, status="acknowledged").status is AlertStatus.ACKNOWLEDGED  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("open", "acknowledge", AlertStatus.ACKNOWLEDGED),
        ("open", "resolve", AlertStatus.RESOLVED),
        ("acknowledged", "resolve", AlertStatus.RESOLVED),
        ("open", "add_note", AlertStatus.OPEN),
        ("acknowledged", "add_note", AlertStatus.ACKNOWLEDGED),
    ],
)
def test_legal_transitions(status: str, action: str, expected: AlertStatus) -> None:
    assert transition(status, action) is expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("acknowledged", "acknowledge"),
        ("resolved", "acknowledge"),
        ("resolved", "resolve"),
        ("resolved", "add_note"),
    ],
)
def test_illegal_transitions(status: str, action: str) -> None:
    with pytest.raises(IllegalTransition):
        transition(status, action)
    with pytest.raises(ValueError, match="cannot"):
        transition(status, action)


def test_unknown_status_or_action() -> None:
    with pytest.raises(ValueError, match="snooze"):
        transition("open", "snooze")
    with pytest.raises(ValueError, match="closed"):
        transition("closed", "resolve")


def test_can_add_note() -> None:
    assert can_add_note("open")
    assert can_add_note(AlertStatus.ACKNOWLEDGED)
    assert not can_add_note("resolved")
