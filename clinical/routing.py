"""Who receives an urgent risk alert, and when.

In office hours (working days, 09:00-17:00 London) the clinical duty team; else,
08:00-20:00 every day, the on-call supervisor from the rota; outside both
nobody clinical is available: the patient sees crisis contacts at once and the
alert waits for the next clinician on duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from clinical.calendar import OfficeHours, require_aware
from clinical.risk import Severity
from clinical.rota import Rota

DEFAULT_DUTY_TEAM_ID = "duty-team"


class RouteKind(StrEnum):
    DUTY_TEAM = "duty_team"
    ON_CALL = "on_call"
    OUT_OF_HOURS = "out_of_hours"


@dataclass(frozen=True, slots=True)
class Route:
    """Where an alert goes.

    `primary`/`backup` are who is on duty now, or, out of hours, who will be
    on duty at `deliver_at` (the start of the next duty period; equal to the
    routing instant when someone is on duty). `waits_for` names that next
    duty period's kind out of hours, and is None otherwise.
    """

    kind: RouteKind
    primary: str | None
    backup: str | None
    show_crisis_contacts: bool
    deliver_at: datetime
    waits_for: RouteKind | None = None


def route(
    now: datetime,
    rota: Rota,
    *,
    clinical_lead_id: str,
    severity: str = Severity.URGENT,
    duty_team_id: str = DEFAULT_DUTY_TEAM_ID,
    office: OfficeHours = OfficeHours(),  # noqa: B008 - frozen, so safe as a default
) -> Route:
    """Route a risk alert raised at `now`.

    In office hours the duty team is primary and the clinical lead its backup.
    Crisis contacts are shown out of hours and always for urgent risk.
    """
    at = require_aware(now, "now")
    level = Severity(severity)
    urgent = level is Severity.URGENT
    if office.is_open(at):
        return Route(RouteKind.DUTY_TEAM, duty_team_id, clinical_lead_id, urgent, at)
    on_call = rota.on_call_at(at)
    if on_call is not None:
        return Route(RouteKind.ON_CALL, on_call.primary, on_call.backup, urgent, at)

    # Out of hours: the earlier of the next office opening and the next
    # on-call period; on a tie the duty team wins, as it would at that instant.
    office_start = office.next_start(at)
    upcoming = rota.next_on_call(at)
    if upcoming is not None and upcoming[0] < office_start:
        start, who = upcoming
        return Route(
            RouteKind.OUT_OF_HOURS, who.primary, who.backup, True, start, RouteKind.ON_CALL
        )
    return Route(
        RouteKind.OUT_OF_HOURS,
        duty_team_id,
        clinical_lead_id,
        True,
        office_start,
        RouteKind.DUTY_TEAM,
    )
