from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clinical.casework import (
    CaseRequest,
    CaseStatus,
    IllegalTransition,
    NotPermitted,
    RequestKind,
    assign,
    can_assign,
    can_close,
    can_open,
    close,
    open_request,
    transition,
)

NOW = datetime(2026, 7, 1, 10, tzinfo=UTC)


def new(role: str = "therapist", *, own: bool = True) -> CaseRequest:
    return open_request(
        kind="step_up",
        episode_id="ep-1",
        actor_id="u-1",
        actor_role=role,
        is_episode_therapist=own,
        details="PHQ-9 rising after 4 sessions",
        now=NOW,
    )


def test_kinds_are_snake_case() -> None:
    assert [k.value for k in RequestKind] == [
        "non_urgent_risk",
        "suitability",
        "step_up",
        "step_down",
        "discharge",
        "referral",
    ]


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        ("therapist", True, True),
        ("therapist", False, False),
        ("supervisor", False, True),
        ("supervisor", True, True),
        ("admin", False, False),
        ("patient", True, False),
    ],
)
def test_can_open(role: str, own: bool, allowed: bool) -> None:
    assert can_open(role, is_episode_therapist=own) is allowed


@pytest.mark.parametrize(
    ("role", "assign_ok", "close_assigned", "close_open"),
    [
        ("patient", False, False, False),
        ("therapist", False, False, False),
        ("supervisor", True, True, True),
        ("admin", True, True, False),
    ],
)
def test_can_assign_and_close(
    role: str, assign_ok: bool, close_assigned: bool, close_open: bool
) -> None:
    assert can_assign(role) is assign_ok
    assert can_close(role) is close_assigned
    assert can_close(role, "assigned") is close_assigned
    assert can_close(role, "open") is close_open
    assert can_close(role, "closed") is False


def test_unknown_role() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        can_assign("owner")
    with pytest.raises(ValueError, match="unknown role"):
        can_open("Supervisor", is_episode_therapist=False)


def test_open_request() -> None:
    req = new()
    assert req.status is CaseStatus.OPEN
    assert req.kind is RequestKind.STEP_UP
    assert (req.opened_by, req.opened_at, req.assignee_id, req.outcome) == ("u-1", NOW, None, None)
    assert new("supervisor", own=False).status is CaseStatus.OPEN
    with pytest.raises(NotPermitted):
        new("therapist", own=False)
    with pytest.raises(NotPermitted):
        new("patient")
    with pytest.raises(ValueError, match="naive"):
        open_request(
            kind="referral",
            episode_id="e",
            actor_id="u",
            actor_role="therapist",
            is_episode_therapist=True,
            details="",
            now=datetime(2026, 7, 1),
        )
    with pytest.raises(ValueError, match="urgent_risk"):
        open_request(
            kind="urgent_risk",
            episode_id="e",
            actor_id="u",
            actor_role="therapist",
            is_episode_therapist=True,
            details="",
            now=NOW,
        )


def test_assign_then_close() -> None:
    later = NOW + timedelta(hours=1)
    req = assign(new(), assignee_id="sup-1", actor_role="admin", now=later)
    assert (req.status, req.assignee_id, req.assigned_at) == (CaseStatus.ASSIGNED, "sup-1", later)
    req = assign(req, assignee_id="sup-2", actor_role="supervisor", now=later)  # reassign
    assert req.assignee_id == "sup-2"
    done = close(
        req, outcome="  Stepped up to Step 3  ", actor_id="sup-2", actor_role="admin", now=later
    )
    assert done.status is CaseStatus.CLOSED
    assert (done.outcome, done.closed_by, done.closed_at) == (
        "Stepped up to Step 3",
        "sup-2",
        later,
    )


def test_supervisor_may_close_an_open_request_admin_may_not() -> None:
    done = close(
        new(), outcome="Discussed; no action", actor_id="s", actor_role="supervisor", now=NOW
    )
    assert done.status is CaseStatus.CLOSED
    with pytest.raises(NotPermitted):
        close(new(), outcome="x", actor_id="a", actor_role="admin", now=NOW)


@pytest.mark.parametrize("outcome", ["", "   "])
def test_close_requires_outcome(outcome: str) -> None:
    req = assign(new(), assignee_id="s", actor_role="supervisor", now=NOW)
    with pytest.raises(ValueError, match="outcome"):
        close(req, outcome=outcome, actor_id="s", actor_role="supervisor", now=NOW)


def test_therapist_cannot_assign_or_close() -> None:
    with pytest.raises(NotPermitted):
        assign(new(), assignee_id="s", actor_role="therapist", now=NOW)
    req = assign(new(), assignee_id="s", actor_role="supervisor", now=NOW)
    with pytest.raises(NotPermitted):
        close(req, outcome="x", actor_id="t", actor_role="therapist", now=NOW)


def test_closed_is_final() -> None:
    done = close(new(), outcome="ok", actor_id="s", actor_role="supervisor", now=NOW)
    with pytest.raises(IllegalTransition):
        assign(done, assignee_id="s", actor_role="supervisor", now=NOW)
    with pytest.raises(IllegalTransition):
        close(done, outcome="again", actor_id="s", actor_role="supervisor", now=NOW)
    with pytest.raises(ValueError, match="cannot"):
        transition("closed", "close", "supervisor")


def test_transition_table() -> None:
    assert transition("open", "assign", "admin") is CaseStatus.ASSIGNED
    assert transition("assigned", "close", "admin") is CaseStatus.CLOSED
    assert transition("open", "close", "supervisor") is CaseStatus.CLOSED
    with pytest.raises(NotPermitted):
        transition("open", "close", "admin")
    with pytest.raises(ValueError, match="reopen"):
        transition("closed", "reopen", "admin")


def test_request_invariants() -> None:
    with pytest.raises(ValueError, match="assignee"):
        CaseRequest(RequestKind.REFERRAL, "e", "u", NOW, "", status=CaseStatus.ASSIGNED)
    with pytest.raises(ValueError, match="outcome"):
        CaseRequest(RequestKind.REFERRAL, "e", "u", NOW, "", status=CaseStatus.CLOSED)
    with pytest.raises(ValueError, match="assignee_id"):
        assign(new(), assignee_id="", actor_role="admin", now=NOW)
