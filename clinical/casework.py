"""Case-management requests: non-urgent help a therapist asks a supervisor for.

A request is OPEN until a supervisor or admin assigns it, then ASSIGNED until
closed with an outcome. A supervisor may close an OPEN request directly (e.g.
one they opened and settled themselves). The episode's therapist or any
supervisor may open one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from clinical.calendar import require_aware
from clinical.records import Role


class IllegalTransition(ValueError):
    """A case action that the request's current status does not allow."""


class NotPermitted(Exception):
    """The actor's role may not take this action."""


class RequestKind(StrEnum):
    NON_URGENT_RISK = "non_urgent_risk"
    SUITABILITY = "suitability"
    STEP_UP = "step_up"
    STEP_DOWN = "step_down"
    DISCHARGE = "discharge"
    REFERRAL = "referral"


class CaseStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class CaseAction(StrEnum):
    ASSIGN = "assign"
    CLOSE = "close"


# Which roles may take an action from a status. Reassigning is allowed.
_ALLOWED: dict[tuple[CaseStatus, CaseAction], tuple[CaseStatus, frozenset[Role]]] = {
    (CaseStatus.OPEN, CaseAction.ASSIGN): (
        CaseStatus.ASSIGNED,
        frozenset({Role.SUPERVISOR, Role.ADMIN}),
    ),
    (CaseStatus.ASSIGNED, CaseAction.ASSIGN): (
        CaseStatus.ASSIGNED,
        frozenset({Role.SUPERVISOR, Role.ADMIN}),
    ),
    (CaseStatus.ASSIGNED, CaseAction.CLOSE): (
        CaseStatus.CLOSED,
        frozenset({Role.SUPERVISOR, Role.ADMIN}),
    ),
    (CaseStatus.OPEN, CaseAction.CLOSE): (CaseStatus.CLOSED, frozenset({Role.SUPERVISOR})),
}


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValueError(f"unknown role {role!r}") from None


def can_open(role: str, *, is_episode_therapist: bool) -> bool:
    """The episode's own therapist, or any supervisor."""
    r = _role(role)
    return r is Role.SUPERVISOR or (r is Role.THERAPIST and is_episode_therapist)


def can_assign(role: str) -> bool:
    return _role(role) in (Role.SUPERVISOR, Role.ADMIN)


def can_close(role: str, status: str = CaseStatus.ASSIGNED) -> bool:
    """Supervisor or admin close an ASSIGNED request; only a supervisor an OPEN one."""
    entry = _ALLOWED.get((CaseStatus(status), CaseAction.CLOSE))
    return entry is not None and _role(role) in entry[1]


def transition(status: str, action: str, role: str) -> CaseStatus:
    """The status after `role` takes `action`.

    Raises IllegalTransition if the status does not allow the action, and
    NotPermitted if the status does but the role may not.
    """
    current, act, who = CaseStatus(status), CaseAction(action), _role(role)
    entry = _ALLOWED.get((current, act))
    if entry is None:
        raise IllegalTransition(f"cannot {act.value} a request that is {current.value}")
    new, roles = entry
    if who not in roles:
        raise NotPermitted(f"a {who.value} may not {act.value} a request that is {current.value}")
    return new


@dataclass(frozen=True, slots=True)
class CaseRequest:
    kind: RequestKind
    episode_id: str
    opened_by: str
    opened_at: datetime
    details: str
    status: CaseStatus = CaseStatus.OPEN
    assignee_id: str | None = None
    assigned_at: datetime | None = None
    outcome: str | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RequestKind(self.kind))
        object.__setattr__(self, "status", CaseStatus(self.status))
        object.__setattr__(self, "opened_at", require_aware(self.opened_at, "opened_at"))
        if self.status is CaseStatus.ASSIGNED and not self.assignee_id:
            raise ValueError("an assigned request needs an assignee")
        if self.status is CaseStatus.CLOSED and not (self.outcome and self.outcome.strip()):
            raise ValueError("a closed request needs an outcome")


def open_request(
    *,
    kind: str,
    episode_id: str,
    actor_id: str,
    actor_role: str,
    is_episode_therapist: bool,
    details: str,
    now: datetime,
) -> CaseRequest:
    """A new OPEN request; raises NotPermitted unless `can_open`."""
    if not can_open(actor_role, is_episode_therapist=is_episode_therapist):
        raise NotPermitted(f"a {actor_role} may not open a case-management request here")
    return CaseRequest(
        kind=RequestKind(kind),
        episode_id=episode_id,
        opened_by=actor_id,
        opened_at=require_aware(now, "now"),
        details=details,
    )


def assign(
    request: CaseRequest, *, assignee_id: str, actor_role: str, now: datetime
) -> CaseRequest:
    """Assign (or reassign) the request to `assignee_id`."""
    if not assignee_id:
        raise ValueError("assignee_id is required")
    status = transition(request.status, CaseAction.ASSIGN, actor_role)
    return replace(
        request, status=status, assignee_id=assignee_id, assigned_at=require_aware(now, "now")
    )


def close(
    request: CaseRequest, *, outcome: str, actor_id: str, actor_role: str, now: datetime
) -> CaseRequest:
    """Close the request with an outcome text (required, non-blank)."""
    if not outcome or not outcome.strip():
        raise ValueError("an outcome is required to close a request")
    status = transition(request.status, CaseAction.CLOSE, actor_role)
    return replace(
        request,
        status=status,
        outcome=outcome.strip(),
        closed_by=actor_id,
        closed_at=require_aware(now, "now"),
    )
