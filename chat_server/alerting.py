"""Opening risk alerts: screen, route by the clock and rota, freeze the escalation plan, store.

Shared by the web processes (live sessions, manual flags) and the worker (sweeps).
Notifications go out only after the alert is committed: the worker picks up alerts
whose next_wake_at has come, and dashboards hear of them over Redis.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
import msgpack
from redis.asyncio import Redis
from redis.exceptions import RedisError

from chat_server import metrics
from chat_server.config import Config
from chat_server.fanout import FANOUT_CHANNEL
from chat_server.fanout import payload as fanout_payload
from chat_server.storage import risk as risk_store
from clinical.crisis import crisis_contacts
from clinical.escalation import plan_for
from clinical.risk import Screening, Source
from clinical.routing import Route, route

log = logging.getLogger(__name__)
ALERTS_CHANNEL = "cbt:alerts"
SCREEN_CHANNEL = "cbt:screen"
NO_LEAD = "clinical-lead"

PATIENT_MESSAGE = (
    "Thank you for telling us. What you wrote matters, and a member of our clinical team "
    "has been alerted. If you are in danger now or might act on these thoughts, please "
    "call 999 or go to A&E. You can also use these services at any time:"
)


def clock(cfg: Config) -> datetime:
    """The instant risk routing uses: real time, shifted only for drills and tests."""
    return datetime.now(UTC) + timedelta(seconds=cfg.risk_clock_offset_seconds)


@dataclass(frozen=True)
class Opened:
    alert_id: int
    route: Route


async def open_alert(
    cfg: Config, pool: asyncpg.Pool, *, patient_id: int, appointment_id: int | None, seq: int | None,
    source: Source, category: str, severity: str, triggers: tuple[str, ...], excerpt: str,
    raised_by: int | None = None, note: str | None = None, inbox_message_id: int | None = None,
) -> Opened | None:
    now = clock(cfg)
    rota = await risk_store.load_rota(pool, now)
    lead = await risk_store.clinical_lead(pool)
    lead_id = str(lead) if lead is not None else NO_LEAD
    r = route(now, rota, clinical_lead_id=lead_id, severity=severity)
    plan = plan_for(r, lead_id, ack_timeout=timedelta(seconds=cfg.ack_timeout_seconds))
    alert_id = await risk_store.open_alert(
        pool, patient_id=patient_id, appointment_id=appointment_id, seq=seq, source=source.value,
        category=category, severity=severity, triggers=triggers, excerpt=excerpt, raised_by=raised_by,
        route_kind=r.kind.value, opened_at=now, deliver_at=r.deliver_at, plan_json=plan.to_json(), note=note,
        inbox_message_id=inbox_message_id,
    )
    if alert_id is None:
        return None
    metrics.RISK_ALERTS.labels(category, severity).inc()
    log.info("risk alert opened", extra={"alert_id": alert_id, "category": category, "severity": severity,
                                         "route": r.kind.value, "deliver_at": r.deliver_at.isoformat()})
    return Opened(alert_id, r)


async def open_from_screening(
    cfg: Config, pool: asyncpg.Pool, screening: Screening, *, patient_id: int, appointment_id: int | None,
    seq: int | None, source: Source, text: str, inbox_message_id: int | None = None,
) -> list[Opened]:
    """The alerts of one screened message: a session's (appointment_id, seq) or a message
    between sessions (inbox_message_id)."""
    opened = []
    for f in screening.findings:
        o = await open_alert(
            cfg, pool, patient_id=patient_id, appointment_id=appointment_id, seq=seq, source=source,
            category=f.category.value, severity=f.severity.value, triggers=f.triggers, excerpt=text,
            inbox_message_id=inbox_message_id,
        )
        if o is not None:
            opened.append(o)
    return opened


CATEGORY_LABELS = {
    "suicidal_ideation": "suicidal ideation", "suicide_plan_or_intent": "suicide plan or intent",
    "self_harm": "self-harm", "harm_to_others": "harm to others", "safeguarding_child": "safeguarding (child)",
    "safeguarding_adult": "safeguarding (adult)", "domestic_abuse": "domestic abuse",
}


def category_label(category: str) -> str:
    """How a risk category reads to a clinician (banners, e-mail subjects)."""
    return CATEGORY_LABELS.get(category, category.replace("_", " "))


def notice_event(category: str, severity: str) -> dict[str, object]:
    """The room event that shows both participants that risk was flagged."""
    return {"k": "k", "c": category, "s": severity}


def patient_notice(category: str, severity: str) -> dict[str, object]:
    return {
        "type": "risk", "audience": "patient", "category": category, "severity": severity,
        "message": PATIENT_MESSAGE,
        "crisis_contacts": [
            {"name": c.label, "contact": c.number, "note": c.description} for c in crisis_contacts()
        ],
    }


def therapist_notice(category: str, severity: str) -> dict[str, object]:
    label = category_label(category)
    return {
        "type": "risk", "audience": "therapist", "category": category, "severity": severity,
        "message": f"Risk flagged: {label} ({severity}). The clinical team has been alerted; "
                   "the patient has been shown crisis contacts.",
        "crisis_contacts": [],
    }


async def announce(redis: Redis, alert_id: int) -> None:
    """Tell every web process's supervisor dashboards that an alert changed."""
    try:
        await redis.publish(ALERTS_CHANNEL, msgpack.packb({"id": alert_id}))
    except (RedisError, OSError) as e:
        log.warning("could not announce alert; dashboards refresh on reconnect", extra={"error": repr(e)})


async def announce_in_room(redis: Redis, room_id: int, category: str, severity: str, origin: str = "worker") -> None:
    try:
        await redis.publish(FANOUT_CHANNEL, fanout_payload(origin, [(room_id, notice_event(category, severity))]))
    except (RedisError, OSError) as e:
        log.warning("could not announce risk in room", extra={"error": repr(e)})



async def wake_screener(redis: Redis) -> None:
    """Nudge the worker: patient messages are waiting to be screened (it also polls)."""
    try:
        await redis.publish(SCREEN_CHANNEL, b"1")
    except (RedisError, OSError):
        pass  # the worker's poll picks them up
