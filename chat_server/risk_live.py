"""Risk in the web process: screen patient messages just after they are stored, show
notices in the session, and keep supervisors' dashboards live."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import TYPE_CHECKING, Any

import asyncpg
from aiohttp import web
from redis.asyncio import Redis

from chat_server import alerting
from chat_server.config import Config
from chat_server.protocol import Codec, FlagRisk, Message, encode_obj
from chat_server.rooms import Conn, Room
from chat_server.storage import risk as risk_store
from clinical.risk import Category, Source, screen_text
from clinical.sessions import RoomRole

if TYPE_CHECKING:
    from chat_server.live import Live

log = logging.getLogger(__name__)
SCREENED_FLUSH_S = 1.0
MANUAL_SEVERITY = {Category.SUICIDE_PLAN.value: "urgent", Category.HARM_TO_OTHERS.value: "urgent",
                   Category.SAFEGUARDING_CHILD.value: "urgent"}


def alert_json(a: dict[str, Any]) -> dict[str, Any]:
    def iso(v: Any) -> Any:
        return v.isoformat() if hasattr(v, "isoformat") else v

    return {
        "id": a["id"], "patient_id": a["patient_id"], "patient_name": a["patient_name"],
        "therapist_name": a.get("therapist_name"), "appointment_id": a["appointment_id"], "seq": a["seq"],
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
        self.queue: deque[tuple[int, Message]] = deque()
        self.wake = asyncio.Event()
        self.screened: dict[int, int] = {}
        self.dashboards: set[web.WebSocketResponse] = set()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.live.after_commit.append(self._stored)
        self.live.fanout.extra[alerting.ALERTS_CHANNEL] = self._alert_changed
        self.live.risk_notice = self._room_notice
        self._tasks = [asyncio.create_task(self._screen_loop(), name="risk-screening"),
                       asyncio.create_task(self._flush_loop(), name="risk-screened-marks")]

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._flush()
        for ws in list(self.dashboards):
            await ws.close()

    # -- screening ---------------------------------------------------------------

    def _stored(self, room: Room | None, msg: Message, role: str) -> None:
        if role == RoomRole.PATIENT.value:
            self.queue.append((room.id if room else -1, msg))
            self.wake.set()

    async def _screen_loop(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.queue:
                room_id, msg = self.queue.popleft()
                try:
                    await self._screen(room_id, msg)
                except Exception:
                    log.exception("screening failed; the worker's sweep will retry", extra={"room": room_id})
                    continue
                self.screened[room_id] = max(self.screened.get(room_id, 0), msg.seq)
                await asyncio.sleep(0)  # let chat traffic through between messages

    async def _screen(self, room_id: int, msg: Message) -> None:
        result = screen_text(msg.text, Source.SESSION)
        if not result.is_risk:
            return
        room = self.live.rooms.get(room_id)
        patient_id = room.appt.patient_id if room else msg.sender
        opened = await alerting.open_from_screening(
            self.cfg, self.pool, result, patient_id=patient_id, appointment_id=room_id, seq=msg.seq,
            source=Source.SESSION, text=msg.text,
        )
        if opened:
            top = result.findings[0]
            self.show_in_room(room_id, top.category.value, top.severity.value)
            for o in opened:
                await alerting.announce(self.redis, o.alert_id)

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(SCREENED_FLUSH_S)
            await self._flush()

    async def _flush(self) -> None:
        if not self.screened:
            return
        marks, self.screened = self.screened, {}
        try:
            await risk_store.mark_screened(self.pool, {k: v for k, v in marks.items() if k > 0})
        except (asyncpg.PostgresError, OSError, asyncpg.InterfaceError):
            for k, v in marks.items():  # keep them for the next try
                self.screened[k] = max(self.screened.get(k, 0), v)

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
