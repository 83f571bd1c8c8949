"""Risk in the web process: wake the worker's screener when a patient message is stored,
show risk notices in the session, raise risk by hand, keep supervisors' dashboards live.

Screening itself runs in the worker, off the chat path: a web process never spends
its CPU on it, and a message whose web process dies is screened all the same."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

import asyncpg
from aiohttp import web
from redis.asyncio import Redis

from chat_server import alerting
from chat_server.config import Config
from chat_server.protocol import Codec, FlagRisk, Message, encode_obj
from chat_server.rooms import Conn, Room
from chat_server.storage import risk as risk_store
from clinical.risk import Category, Source
from clinical.sessions import RoomRole

if TYPE_CHECKING:
    from chat_server.live import Live

log = logging.getLogger(__name__)
SCREEN_WAKE_COALESCE_S = 0.02
MANUAL_SEVERITY = {Category.SUICIDE_PLAN.value: "urgent", Category.HARM_TO_OTHERS.value: "urgent",
                   Category.SAFEGUARDING_CHILD.value: "urgent"}


def alert_json(a: dict[str, Any]) -> dict[str, Any]:
    def iso(v: Any) -> Any:
        return v.isoformat() if hasattr(v, "isoformat") else v

    return {
        "id": a["id"], "patient_id": a["patient_id"], "patient_name": a["patient_name"],
        "therapist_name": a.get("therapist_name"), "appointment_id": a["appointment_id"], "seq": a["seq"],
        "inbox_message_id": a.get("inbox_message_id"), "inbox_thread_id": a.get("inbox_thread_id"),
        "category": a["category"], "severity": a["severity"], "triggers": list(a["triggers"]),
        "excerpt": a["excerpt"], "source": a["source"], "route_kind": a["route_kind"],
        "opened_at": iso(a["opened_at"]), "deliver_at": iso(a["deliver_at"]), "status": a["status"],
        "acknowledged_by_name": a.get("acknowledged_by_name"), "acknowledged_at": iso(a["acknowledged_at"]),
        "raised_by_name": a.get("raised_by_name"), "notified_count": a["notified_count"],
        "timeline": [
            {"at": iso(e["at"]), "actor_name": e["actor_name"], "action": e["action"], "target": e["target"],
             "note": e["note"]} for e in a.get("timeline", [])
        ],
    }


class RiskDesk:
    def __init__(self, cfg: Config, pool: asyncpg.Pool, redis: Redis, live: Live) -> None:
        self.cfg, self.pool, self.redis, self.live = cfg, pool, redis, live
        self.dashboards: set[web.WebSocketResponse] = set()
        self._wake_pending = False

    def start(self) -> None:
        self.live.after_commit.append(self._stored)
        self.live.fanout.extra[alerting.ALERTS_CHANNEL] = self._alert_changed
        self.live.risk_notice = self._room_notice

    async def stop(self) -> None:
        for ws in list(self.dashboards):
            await ws.close()

    # -- screening happens in the worker ---------------------------------------------

    def _stored(self, room: Room | None, msg: Message, role: str) -> None:
        """A patient message was stored: wake the worker's screener (coalesced)."""
        if role == RoomRole.PATIENT.value:
            self.wake_screener()

    def wake_screener(self) -> None:
        """Patient text is stored and waits for screening: nudge the screener soon, without
        waiting for Redis (coalesced; the screener also polls)."""
        if not self._wake_pending:
            self._wake_pending = True
            asyncio.get_running_loop().call_later(SCREEN_WAKE_COALESCE_S, self._wake_screener)

    def _wake_screener(self) -> None:
        self._wake_pending = False
        self.live.background(asyncio.ensure_future(alerting.wake_screener(self.redis)))

    # -- in-session notices ---------------------------------------------------------

    def show_in_room(self, room_id: int, category: str, severity: str) -> None:
        self._room_notice(room_id, category, severity)
        self.live.publish(room_id, alerting.notice_event(category, severity))

    def _room_notice(self, room_id: int, category: str, severity: str) -> None:
        room = self.live.rooms.get(room_id)
        if room is None:
            return
        frames: dict[tuple[bool, Codec], str | bytes] = {}
        for conn in room.conns:
            if conn.closing or not conn.live:
                continue
            patient = conn.role is RoomRole.PATIENT
            key = (patient, conn.codec)
            if key not in frames:
                obj = alerting.patient_notice(category, severity) if patient else alerting.therapist_notice(category, severity)
                frames[key] = encode_obj(obj, conn.codec)
            conn.enqueue(frames[key])

    async def raise_manual(self, conn: Conn, frame: FlagRisk) -> None:
        room = conn.room
        assert room is not None
        severity = MANUAL_SEVERITY.get(frame.category, "high")
        opened = await alerting.open_alert(
            self.cfg, self.pool, patient_id=room.appt.patient_id, appointment_id=room.id, seq=frame.seq,
            source=Source.MANUAL, category=frame.category, severity=severity, triggers=(),
            excerpt=frame.note, raised_by=conn.user.id, note=frame.note or None,
        )
        if opened is not None:
            self.show_in_room(room.id, frame.category, severity)
            await alerting.announce(self.redis, opened.alert_id)

    # -- dashboards --------------------------------------------------------------

    def _alert_changed(self, data: dict[str, Any]) -> None:
        alert_id = data.get("id")
        if isinstance(alert_id, int) and self.dashboards:
            self.live.background(asyncio.ensure_future(self.push(alert_id)))

    async def push(self, alert_id: int) -> None:
        rows = await risk_store.alerts(self.pool, alert_id=alert_id)
        if not rows:
            return
        a = alert_json(rows[0])
        kind = "alert" if a["notified_count"] == 0 and a["status"] == "open" and len(a["timeline"]) <= 1 else "alert_update"
        data = json.dumps({"type": kind, "alert": a})
        for ws in list(self.dashboards):
            if not ws.closed:
                try:
                    await ws.send_str(data)
                except (ConnectionError, RuntimeError):
                    self.dashboards.discard(ws)
