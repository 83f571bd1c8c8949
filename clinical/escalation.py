"""Escalation of an urgent risk alert until someone acknowledges it.

The plan is frozen when the alert opens (stored as JSON with the alert), so a
later rota change never rewrites who an open alert escalates to. Notification
`n` is due at `deliver_at + plan.step_at(n).after`:

    n = 0      primary (on-call primary, or the duty team)   level 0, after 0
    n = 1      backup                                        level 1, after T
    n = 2      clinical lead                                 level 2, after 2T
    n >= 3     the lead and the backup again, every T        until acknowledged

A worker keeps only the alert's state (opened/deliver instants, how many
notifications it has sent, status) and asks `due_notifications` and
`next_wake`; nothing here reads the clock or does I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from clinical.calendar import require_aware
from clinical.routing import Route

DEFAULT_ACK_TIMEOUT = timedelta(minutes=5)
PLAN_VERSION = 1

PRIMARY_LEVEL = 0
BACKUP_LEVEL = 1
LEAD_LEVEL = 2


class IllegalTransition(ValueError):
    """An alert action that its current status does not allow."""


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AlertAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    RESOLVE = "resolve"
    ADD_NOTE = "add_note"


_TRANSITIONS: dict[tuple[AlertStatus, AlertAction], AlertStatus] = {
    (AlertStatus.OPEN, AlertAction.ACKNOWLEDGE): AlertStatus.ACKNOWLEDGED,
    (AlertStatus.OPEN, AlertAction.RESOLVE): AlertStatus.RESOLVED,
    (AlertStatus.ACKNOWLEDGED, AlertAction.RESOLVE): AlertStatus.RESOLVED,
    (AlertStatus.OPEN, AlertAction.ADD_NOTE): AlertStatus.OPEN,
    (AlertStatus.ACKNOWLEDGED, AlertAction.ADD_NOTE): AlertStatus.ACKNOWLEDGED,
}


def transition(status: str, action: str) -> AlertStatus:
    """The status after `action`; raise IllegalTransition if not allowed."""
    current, act = AlertStatus(status), AlertAction(action)
    try:
        return _TRANSITIONS[(current, act)]
    except KeyError:
        raise IllegalTransition(f"cannot {act.value} an alert that is {current.value}") from None


def can_add_note(status: str) -> bool:
    return AlertStatus(status) is not AlertStatus.RESOLVED


@dataclass(frozen=True, slots=True)
class Step:
    """Notify `target` at `after` past delivery; `level` 0/1/2 as above."""

    after: timedelta
    target: str
    level: int


@dataclass(frozen=True, slots=True)
class EscalationPlan:
    """`steps` run once; then `repeat` runs every `repeat_every`, forever.

    Repeat steps carry `after == 0`: round r of them is due at
    `steps[-1].after + (r + 1) * repeat_every`.
    """

    steps: tuple[Step, ...]
    repeat: tuple[Step, ...]
    repeat_every: timedelta

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a plan needs at least one step")
        if self.repeat_every <= timedelta(0):
            raise ValueError("repeat_every must be positive")
        afters = [s.after for s in self.steps]
        if afters != sorted(afters) or afters[0] < timedelta(0):
            raise ValueError("step delays must be non-negative and non-decreasing")

    def step_at(self, n: int) -> Step | None:
        """Notification `n` (0-based) with its absolute delay; None if the plan
        has no repeats and `n` is past its end."""
        if n < 0:
            raise ValueError("n must be >= 0")
        if n < len(self.steps):
            return self.steps[n]
        if not self.repeat:
            return None
        rnd, i = divmod(n - len(self.steps), len(self.repeat))
        base = self.repeat[i]
        after = self.steps[-1].after + (rnd + 1) * self.repeat_every + base.after
        return Step(after=after, target=base.target, level=base.level)

    def count_due(self, elapsed: timedelta) -> int:
        """How many notifications are due `elapsed` after delivery."""
        base = sum(1 for s in self.steps if s.after <= elapsed)
        if base < len(self.steps) or not self.repeat:
            return base
        rounds = (elapsed - self.steps[-1].after) // self.repeat_every
        return base + rounds * len(self.repeat)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": PLAN_VERSION,
                "steps": [_step_to_dict(s) for s in self.steps],
                "repeat": [_step_to_dict(s) for s in self.repeat],
                "repeat_every_s": self.repeat_every.total_seconds(),
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> EscalationPlan:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != PLAN_VERSION:
            raise ValueError("not an escalation plan of a known version")
        try:
            return cls(
                steps=tuple(_step_from_dict(s) for s in data["steps"]),
                repeat=tuple(_step_from_dict(s) for s in data["repeat"]),
                repeat_every=timedelta(seconds=float(data["repeat_every_s"])),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed escalation plan: {exc}") from exc


def _step_to_dict(step: Step) -> dict[str, Any]:
    return {"after_s": step.after.total_seconds(), "target": step.target, "level": step.level}


def _step_from_dict(data: Any) -> Step:
    target, level = data["target"], data["level"]
    if not isinstance(target, str) or not isinstance(level, int):
        raise TypeError("step target must be a str and level an int")
    return Step(after=timedelta(seconds=float(data["after_s"])), target=target, level=level)


def plan_for(
    route: Route,
    clinical_lead_id: str,
    backup_id: str | None = None,
    ack_timeout: timedelta = DEFAULT_ACK_TIMEOUT,
) -> EscalationPlan:
    """Freeze the escalation plan for an alert routed by `route`.

    `backup_id` defaults to the route's backup. A target already notified at a
    lower level is not given a separate step (the duty team's backup is the
    clinical lead, who then appears once, at level 2).
    """
    if route.primary is None:
        raise ValueError("route has nobody to deliver to")
    if ack_timeout <= timedelta(0):
        raise ValueError("ack_timeout must be positive")
    backup = backup_id if backup_id is not None else route.backup
    chain: list[tuple[str, int]] = [(route.primary, PRIMARY_LEVEL)]
    if backup and backup not in (route.primary, clinical_lead_id):
        chain.append((backup, BACKUP_LEVEL))
    if clinical_lead_id != route.primary:
        chain.append((clinical_lead_id, LEAD_LEVEL))
    steps = tuple(
        Step(after=i * ack_timeout, target=target, level=level)
        for i, (target, level) in enumerate(chain)
    )
    repeat = tuple(Step(timedelta(0), target, level) for target, level in reversed(chain[1:]))
    if not repeat:  # nobody above the primary: keep reminding the primary
        repeat = (Step(timedelta(0), route.primary, PRIMARY_LEVEL),)
    return EscalationPlan(steps=steps, repeat=repeat, repeat_every=ack_timeout)


@dataclass(frozen=True, slots=True)
class AlertState:
    """What a worker stores about an alert besides its plan."""

    opened_at: datetime
    deliver_at: datetime
    notified_count: int = 0
    status: AlertStatus = AlertStatus.OPEN

    def __post_init__(self) -> None:
        opened = require_aware(self.opened_at, "opened_at")
        deliver = require_aware(self.deliver_at, "deliver_at")
        if deliver < opened:
            raise ValueError("deliver_at must not be before opened_at")
        if self.notified_count < 0:
            raise ValueError("notified_count must be >= 0")
        object.__setattr__(self, "opened_at", opened)
        object.__setattr__(self, "deliver_at", deliver)
        object.__setattr__(self, "status", AlertStatus(self.status))


@dataclass(frozen=True, slots=True)
class Notification:
    """Send to `target`. `index` is stable: use (alert, index) to de-duplicate."""

    index: int
    target: str
    level: int
    due_at: datetime


def due_at(plan: EscalationPlan, deliver_at: datetime, n: int) -> datetime | None:
    step = plan.step_at(n)
    return None if step is None else require_aware(deliver_at, "deliver_at") + step.after


def due_notifications(plan: EscalationPlan, state: AlertState, now: datetime) -> list[Notification]:
    """Notifications due at `now` and not yet sent, oldest first.

    Only an OPEN alert escalates. When a worker catches up after a pause, each
    target gets only its latest due notification (no burst of reminders to the
    same person). Afterwards store `notified_count = notifications[-1].index + 1`
    (see `after_sent`).
    """
    at = require_aware(now, "now")
    if state.status is not AlertStatus.OPEN or at < state.deliver_at:
        return []
    count = plan.count_due(at - state.deliver_at)
    if count <= state.notified_count:
        return []
    # Indices that can still be any target's latest: the one-off steps and the
    # last full round of repeats.
    tail = max(state.notified_count, count - len(plan.steps) - len(plan.repeat))
    candidates = sorted(
        {n for n in range(state.notified_count, min(count, len(plan.steps)))}
        | set(range(tail, count))
    )
    latest: dict[str, Notification] = {}
    for n in candidates:
        step = plan.step_at(n)
        assert step is not None
        latest[step.target] = Notification(
            n, step.target, step.level, state.deliver_at + step.after
        )
    return sorted(latest.values(), key=lambda note: note.index)


def after_sent(state: AlertState, sent: list[Notification]) -> AlertState:
    """The state once `sent` (from `due_notifications`) have gone out."""
    if not sent:
        return state
    return replace(state, notified_count=max(state.notified_count, sent[-1].index + 1))


def apply(state: AlertState, action: str) -> AlertState:
    """The state after an acknowledge/resolve/add-note action."""
    return replace(state, status=transition(state.status, action))


def next_wake(plan: EscalationPlan, state: AlertState) -> datetime | None:
    """When the next notification falls due; None once the alert is not OPEN
    (or the plan has run out)."""
    if state.status is not AlertStatus.OPEN:
        return None
    return due_at(plan, state.deliver_at, state.notified_count)
