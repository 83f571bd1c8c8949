"""HTTP side of live sessions: the WebSocket route, session lists and transcripts."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from chat_server import auth, keys
from chat_server.api import appointment_json, path_id
from chat_server.errors import ApiError
from chat_server.storage import audit, care, transcripts
from chat_server.ws import ws_handler
from clinical.records import Appointment, Role, User

routes = web.RouteTableDef()
routes.get("/ws")(ws_handler)
LONDON = ZoneInfo("Europe/London")


def may_read(user: User, appt: Appointment) -> bool:
    """Patients read their own sessions, therapists their caseload's, supervisors all."""
    if user.role is Role.PATIENT:
        return appt.patient_id == user.id
    if user.role is Role.THERAPIST:
        return appt.therapist_id == user.id
    return user.role is Role.SUPERVISOR


async def readable(request: web.Request) -> Appointment:
    appt_id = path_id(request, "appointment_id")
    user: User = request[keys.USER]
    appt = await care.appointment(request.app[keys.POOL], appt_id)
    if appt is None:
        raise ApiError(404, "not_found", f"there is no session {appt_id}")
    if not may_read(user, appt):
        await audit.record(request.app[keys.POOL], user.id, "denied_read", "appointment", appt_id)
        raise ApiError(403, "forbidden", "this transcript is not in your care")
    return appt


def int_query(request: web.Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or not lo <= int(raw) <= hi:
        raise ApiError(400, "invalid_field", f"{name} must be a whole number from {lo} to {hi}")
    return int(raw)


@routes.get("/api/sessions")
@auth.requires(Role.PATIENT, Role.THERAPIST, Role.SUPERVISOR)
async def sessions(request: web.Request) -> web.Response:
    user: User = request[keys.USER]
    rows = await care.appointments_for(request.app[keys.POOL], user.id, user.role)
    return web.json_response({"sessions": [appointment_json(r) for r in rows]})


@routes.get("/api/sessions/{appointment_id}")
@auth.requires(Role.PATIENT, Role.THERAPIST, Role.SUPERVISOR)
async def session(request: web.Request) -> web.Response:
    appt = await readable(request)
    return web.json_response(appointment_json(asdict(appt)))


@routes.get("/api/sessions/{appointment_id}/transcript")
@auth.requires(Role.PATIENT, Role.THERAPIST, Role.SUPERVISOR)
async def transcript(request: web.Request) -> web.Response:
    appt = await readable(request)
    after = int_query(request, "after", 0, 0, 2**31 - 1)
    limit = int_query(request, "limit", 100, 1, 500)
    pool = request.app[keys.POOL]
    rows = await transcripts.transcript_page(pool, appt.id, after, limit + 1)
    await audit.record(pool, request[keys.USER].id, "read_transcript", "appointment", appt.id, {"after": after})
    more = len(rows) > limit
    rows = rows[:limit]
    return web.json_response({
        "session": appt.id,
        "messages": [
            {"seq": r["seq"], "sender": r["sender_id"], "sender_name": r["display_name"], "role": r["sender_role"],
             "text": r["body"], "corrects": r["corrects"], "at": r["created_at"].isoformat()}
            for r in rows
        ],
        "next_after": rows[-1]["seq"] if more and rows else None,
    })


@routes.get("/api/sessions/{appointment_id}/transcript.txt")
@auth.requires(Role.PATIENT, Role.THERAPIST, Role.SUPERVISOR)
async def transcript_text(request: web.Request) -> web.StreamResponse:
    appt = await readable(request)
    pool = request.app[keys.POOL]
    await audit.record(pool, request[keys.USER].id, "download_transcript", "appointment", appt.id)
    resp = web.StreamResponse(headers={
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": f'attachment; filename="session-{appt.id}.txt"',
    })
    await resp.prepare(request)
    start = appt.booked_start.astimezone(LONDON)
    await resp.write(
        f"Session {appt.id} ({appt.kind.value}, {appt.length_minutes} min) booked {start:%A %d %B %Y %H:%M} UK time\n"
        f"Status: {appt.status.value}. Downloaded {datetime.now(UTC).astimezone(LONDON):%d %B %Y %H:%M} UK time.\n\n".encode()
    )
    after = 0
    while True:
        rows = await transcripts.transcript_page(pool, appt.id, after, 500)
        if not rows:
            break
        lines = []
        for r in rows:
            at = r["created_at"].astimezone(LONDON)
            note = f" (correction of #{r['corrects']})" if r["corrects"] else ""
            # Continuation lines are indented so a message can never pass for another speaker's line.
            text = "\n    ".join(r["body"].splitlines())
            lines.append(f"[{at:%H:%M:%S}] #{r['seq']} {r['display_name']} ({r['sender_role']}){note}: {text}\n")
        await resp.write("".join(lines).encode())
        after = rows[-1]["seq"]
    await resp.write_eof()
    return resp
