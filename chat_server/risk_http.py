"""HTTP and dashboard WebSocket for risk: alerts, the rota, case management, the mail sink."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from aiohttp import WSMsgType, web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chat_server import alerting, auth, handshake, keys
from chat_server.api import path_id
from chat_server.errors import ApiError, long_lived, parse_body
from chat_server.risk_live import alert_json
from chat_server.storage import audit, care
from chat_server.storage import risk as risk_store
from clinical import casework
from clinical.escalation import AlertAction, AlertStatus, IllegalTransition, transition
from clinical.records import Role, User
from clinical.risk import Category, Source
from clinical.routing import route

routes = web.RouteTableDef()
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class NoteBody(Body):
    note: Note = ""


class ManualRiskBody(Body):
    patient_id: int = Field(gt=0)
    category: Category
    severity: Literal["urgent", "high", "moderate"] = "high"
    note: Text


class WeekBody(Body):
    week_start: date
    primary_id: int = Field(gt=0)
    backup_id: int = Field(gt=0)


class OverrideBody(Body):
    start: datetime
    end: datetime
    role: Literal["primary", "backup"]
    supervisor_id: int = Field(gt=0)
    reason: Text


class CaseBody(Body):
    episode_id: int = Field(gt=0)
    kind: casework.RequestKind
    details: Text


class AssignBody(Body):
    assignee_id: int = Field(gt=0)


class CloseBody(Body):
    outcome: Text


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, default=_default))


def _default(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    raise TypeError(type(v).__name__)


# -- alerts -------------------------------------------------------------------

@routes.get("/api/alerts")
@auth.requires(Role.SUPERVISOR, Role.ADMIN)
async def list_alerts(request: web.Request) -> web.Response:
    status = request.query.get("status", "active")
    if status not in ("open", "acknowledged", "resolved", "active", "all"):
        raise ApiError(400, "invalid_field", "status must be open, acknowledged, resolved, active or all")
    rows = await risk_store.alerts(request.app[keys.POOL], None if status == "all" else status)
    await audit.record(request.app[keys.POOL], request[keys.USER].id, "list_alerts", "alerts", status)
    return _json({"alerts": [alert_json(r) for r in rows]})


async def _alert_action(request: web.Request, action: AlertAction) -> web.Response:
    alert_id = path_id(request, "alert_id")
    body = await parse_body(request, NoteBody) if request.body_exists else NoteBody()
    if action is AlertAction.ADD_NOTE and not body.note:
        raise ApiError(422, "invalid_field", "note: write something")
    pool, user = request.app[keys.POOL], request[keys.USER]
    async with pool.acquire() as conn, conn.transaction():
        current = await risk_store.alert_status(conn, alert_id)
        if current is None:
            raise ApiError(404, "not_found", f"there is no alert {alert_id}")
        try:
            new = transition(AlertStatus(current), action)
        except IllegalTransition as e:
            raise ApiError(409, "conflict", f"alert {alert_id} is {current}: {e}") from None
        await risk_store.set_alert_status(conn, alert_id, new.value if action is not AlertAction.ADD_NOTE else "note",
                                          user.id, body.note or None)
    await alerting.announce(request.app[keys.REDIS], alert_id)
    rows = await risk_store.alerts(pool, alert_id=alert_id)
    return _json(alert_json(rows[0]))


@routes.post("/api/alerts/{alert_id}/acknowledge")
@auth.requires(Role.SUPERVISOR)
async def acknowledge(request: web.Request) -> web.Response:
    return await _alert_action(request, AlertAction.ACKNOWLEDGE)


@routes.post("/api/alerts/{alert_id}/notes")
@auth.requires(Role.SUPERVISOR)
async def add_note(request: web.Request) -> web.Response:
    return await _alert_action(request, AlertAction.ADD_NOTE)


@routes.post("/api/alerts/{alert_id}/resolve")
@auth.requires(Role.SUPERVISOR)
async def resolve(request: web.Request) -> web.Response:
    return await _alert_action(request, AlertAction.RESOLVE)


@routes.post("/api/risk")
@auth.requires(Role.THERAPIST)
async def raise_risk(request: web.Request) -> web.Response:
    """A therapist raises risk by hand (from the inbox or a case) for a patient in their care."""
    body = await parse_body(request, ManualRiskBody)
    pool, user = request.app[keys.POOL], request[keys.USER]
    in_care = await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM episodes WHERE patient_id = $1 AND therapist_id = $2)", body.patient_id, user.id
    )
    if not in_care:
        raise ApiError(403, "forbidden", "you can raise risk only for patients in your caseload")
    opened = await alerting.open_alert(
        request.app[keys.CONFIG], pool, patient_id=body.patient_id, appointment_id=None, seq=None,
        source=Source.MANUAL, category=body.category.value, severity=body.severity, triggers=(),
        excerpt=body.note, raised_by=user.id, note=body.note,
    )
    assert opened is not None
    await alerting.announce(request.app[keys.REDIS], opened.alert_id)
    return _json({"id": opened.alert_id, "route_kind": opened.route.kind.value,
                  "deliver_at": opened.route.deliver_at}, status=201)


@routes.get("/ws/alerts")
@long_lived
async def alerts_socket(request: web.Request) -> web.StreamResponse:
    user = await auth.authenticate_socket(request)
    ws = web.WebSocketResponse(heartbeat=20, compress=False)  # as chat_server.ws: no zlib per socket
    await ws.prepare(request)
    handshake.shed(request)
    if user is None or user.role not in (Role.SUPERVISOR, Role.ADMIN):
        await ws.send_str(json.dumps({"type": "error", "code": "forbidden", "message": "supervisors only"}))
        await ws.close(code=4003, message=b"supervisors only")
        return ws
    desk = request.app[keys.DESK]
    desk.dashboards.add(ws)
    try:
        rows = await risk_store.alerts(request.app[keys.POOL], "active")
        await ws.send_str(json.dumps({"type": "snapshot", "alerts": [alert_json(r) for r in rows]}, default=_default))
        async for msg in ws:
            if msg.type == WSMsgType.TEXT and msg.data == "ping":
                await ws.send_str(json.dumps({"type": "pong"}))
    finally:
        desk.dashboards.discard(ws)
    return ws


# -- rota ---------------------------------------------------------------------

@routes.get("/api/rota")
@auth.requires(Role.SUPERVISOR, Role.ADMIN)
async def rota(request: web.Request) -> web.Response:
    pool = request.app[keys.POOL]
    now = alerting.clock(request.app[keys.CONFIG])
    r = await risk_store.load_rota(pool, now)
    names = await risk_store.supervisor_names(pool)
    lead = await risk_store.clinical_lead(pool)

    def who(uid: str | None) -> dict[str, Any] | None:
        if uid is None or not uid.isdigit():
            return {"id": uid, "name": "Clinical duty team"} if uid else None
        return {"id": int(uid), "name": names.get(int(uid), f"user {uid}")}

    now_on = r.on_call_at(now)
    nxt = r.next_on_call(now)
    rt = route(now, r, clinical_lead_id=str(lead or alerting.NO_LEAD))
    return _json({
        "now": {"primary": who(now_on.primary), "backup": who(now_on.backup)} if now_on else None,
        "next": {"at": nxt[0], "primary": who(nxt[1].primary), "backup": who(nxt[1].backup)} if nxt else None,
        "route": {"kind": rt.kind.value, "primary": who(rt.primary), "deliver_at": rt.deliver_at},
        "clinical_lead": who(str(lead)) if lead else None,
        "weeks": [{"week_start": w.week_start, "primary": who(w.primary), "backup": who(w.backup)} for w in r.weeks],
        "overrides": [{"start": o.start, "end": o.end, "role": o.role, "supervisor": who(o.supervisor_id),
                       "reason": o.reason} for o in r.overrides],
    })


async def _supervisor(pool: Any, uid: int) -> None:
    if not await pool.fetchval("SELECT EXISTS (SELECT 1 FROM supervisors WHERE user_id = $1)", uid):
        raise ApiError(422, "invalid_field", f"user {uid} is not a supervisor")


@routes.post("/api/rota/weeks")
@auth.requires(Role.SUPERVISOR, Role.ADMIN)
async def set_week(request: web.Request) -> web.Response:
    body = await parse_body(request, WeekBody)
    if body.week_start.isoweekday() != 1:
        raise ApiError(422, "invalid_field", "week_start: weeks start on a Monday")
    if body.primary_id == body.backup_id:
        raise ApiError(422, "invalid_field", "backup_id: the backup must be someone other than the primary")
    pool = request.app[keys.POOL]
    for uid in (body.primary_id, body.backup_id):
        await _supervisor(pool, uid)
    await risk_store.set_week(pool, body.week_start, body.primary_id, body.backup_id)
    await audit.record(pool, request[keys.USER].id, "set_rota_week", "rota", body.week_start.isoformat())
    return _json({"ok": True})


@routes.post("/api/rota/overrides")
@auth.requires(Role.SUPERVISOR, Role.ADMIN)
async def add_override(request: web.Request) -> web.Response:
    body = await parse_body(request, OverrideBody)
    if body.start.tzinfo is None or body.end.tzinfo is None:
        raise ApiError(422, "invalid_field", "start/end: give a time zone")
    if body.end <= body.start:
        raise ApiError(422, "invalid_field", "end: must be after start")
    pool = request.app[keys.POOL]
    await _supervisor(pool, body.supervisor_id)
    oid = await risk_store.add_override(pool, body.start.astimezone(UTC), body.end.astimezone(UTC), body.role,
                                        body.supervisor_id, body.reason, request[keys.USER].id)
    return _json({"id": oid}, status=201)


# -- case management ------------------------------------------------------------

def _case_json(c: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "kind", "episode_id", "patient_name", "opened_by_name", "opened_at", "status", "assignee_name",
            "outcome", "details", "assigned_at", "closed_at")
    return {k: c.get(k) for k in keep}


@routes.get("/api/casework")
@auth.requires(Role.THERAPIST, Role.SUPERVISOR, Role.ADMIN)
async def list_cases(request: web.Request) -> web.Response:
    user: User = request[keys.USER]
    rows = await risk_store.case_requests(request.app[keys.POOL], user.id if user.role is Role.THERAPIST else None)
    return _json({"requests": [_case_json(r) for r in rows]})


@routes.post("/api/casework")
@auth.requires(Role.THERAPIST, Role.SUPERVISOR)
async def open_case(request: web.Request) -> web.Response:
    body = await parse_body(request, CaseBody)
    pool, user = request.app[keys.POOL], request[keys.USER]
    ep = await care.episode(pool, body.episode_id)
    if ep is None:
        raise ApiError(404, "not_found", f"there is no episode {body.episode_id}")
    if not casework.can_open(user.role.value, is_episode_therapist=ep.therapist_id == user.id):
        raise ApiError(403, "forbidden", "only the episode's therapist or a supervisor can open a request")
    case_id = await risk_store.insert_case(pool, body.episode_id, body.kind.value, body.details, user.id)
    await audit.record(pool, user.id, "open_case", "case_request", case_id)
    return _json(_case_json((await risk_store.case_requests(pool, case_id=case_id))[0]), status=201)


async def _case_step(request: web.Request, action: casework.CaseAction) -> web.Response:
    case_id = path_id(request, "case_id")
    pool, user = request.app[keys.POOL], request[keys.USER]
    found = await risk_store.case_requests(pool, case_id=case_id)
    if not found:
        raise ApiError(404, "not_found", f"there is no case-management request {case_id}")
    try:
        casework.transition(casework.CaseStatus(found[0]["status"]), action, user.role.value)
    except casework.NotPermitted as e:
        raise ApiError(403, "forbidden", str(e)) from None
    except casework.IllegalTransition as e:
        raise ApiError(409, "conflict", str(e)) from None
    if action is casework.CaseAction.ASSIGN:
        body = await parse_body(request, AssignBody)
        await _supervisor(pool, body.assignee_id)
        await risk_store.update_case(pool, case_id, "assigned", body.assignee_id, None, user.id)
    else:
        cbody = await parse_body(request, CloseBody)
        await risk_store.update_case(pool, case_id, "closed", None, cbody.outcome, user.id)
    await audit.record(pool, user.id, action.value, "case_request", case_id)
    return _json(_case_json((await risk_store.case_requests(pool, case_id=case_id))[0]))


@routes.post("/api/casework/{case_id}/assign")
@auth.requires(Role.SUPERVISOR, Role.ADMIN)
async def assign_case(request: web.Request) -> web.Response:
    return await _case_step(request, casework.CaseAction.ASSIGN)


@routes.post("/api/casework/{case_id}/close")
@auth.requires(Role.SUPERVISOR, Role.ADMIN)
async def close_case(request: web.Request) -> web.Response:
    return await _case_step(request, casework.CaseAction.CLOSE)


@routes.get("/api/admin/mail")
@auth.requires(Role.ADMIN)
async def mail(request: web.Request) -> web.Response:
    rows = await risk_store.received_mail(request.app[keys.POOL])
    return _json({"mail": [{k: r[k] for k in ("received_at", "mail_from", "rcpt_to", "subject", "body")} for r in rows]})
