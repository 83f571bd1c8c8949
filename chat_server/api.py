"""The HTTP API: accounts, episodes, appointments. Every handler states who may call it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from chat_server import auth, keys
from chat_server.errors import ApiError, parse_body
from chat_server.storage import accounts, audit, care
from clinical.records import (
    VALIDATION_CASELOAD_CAP,
    AppointmentKind,
    Employment,
    Role,
    TherapistProfile,
    User,
    Validation,
    check_length,
    initial_validation,
)

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

# PostgreSQL text cannot hold NUL, so it is refused here rather than failing in the database.
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s\x00]{1,64}@[^@\s\x00]{1,190}$", max_length=254)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
# Ids are bigint in PostgreSQL: a larger number is a bad field, not a database error.
Id = Annotated[int, Field(gt=0, le=2**63 - 1)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=200)]
NewPassword = Annotated[str, StringConstraints(min_length=10, max_length=200)]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class LoginBody(Body):
    email: Email
    password: Password


class TherapistBody(Body):
    employment: Employment = Employment.SELF_EMPLOYED
    caseload_cap: int | None = Field(default=None, ge=0, le=200)
    work_country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "GB"


class NewUserBody(Body):
    email: Email
    display_name: Name
    role: Role
    password: NewPassword
    therapist: TherapistBody | None = None
    clinical_lead: bool = False


class NewEpisodeBody(Body):
    patient_id: Id
    therapist_id: Id


class NewAppointmentBody(Body):
    episode_id: Id
    kind: AppointmentKind
    start: datetime
    length_minutes: Literal[30, 45, 60]


def user_json(u: User) -> dict[str, object]:
    return {"id": u.id, "email": u.email, "display_name": u.display_name, "role": u.role.value}


@routes.post("/api/login")
async def login(request: web.Request) -> web.Response:
    body = await parse_body(request, LoginBody)
    pool, cfg = request.app[keys.POOL], request.app[keys.CONFIG]
    now = datetime.now(UTC)
    seen = await accounts.login_failures(pool, body.email)
    if seen is not None:
        failures, last = seen
        wait = auth.login_delay(failures, cfg.login_free_attempts) - (now - last).total_seconds()
        if wait > 0 and (now - last).total_seconds() < auth.FAILURE_WINDOW_S:
            raise ApiError(
                429, "too_many_attempts",
                f"too many failed logins for this account; try again in {int(wait) + 1} s",
                {"Retry-After": str(int(wait) + 1)},
            )
    found = await accounts.user_by_email(pool, body.email)
    ok = await auth.verify_async(found[1] if found else auth._DUMMY_HASH, body.password)
    if found is None or not ok or not found[0].active:
        await accounts.record_login_failure(pool, body.email, now, auth.FAILURE_WINDOW_S)
        raise ApiError(401, "bad_credentials", "that e-mail and password do not match an active account")
    user = found[0]
    await accounts.record_login(pool, user.id, body.email)
    token = auth.new_token()
    expires = auth.expiry(now, cfg.token_ttl_hours)
    kind = "bearer" if request.headers.get("X-Token-Only") else "cookie"
    await accounts.store_token(pool, auth.token_hash(token), user.id, kind, expires, request.headers.get("User-Agent", ""))
    await audit.record(pool, user.id, "login", "user", user.id)
    resp = web.json_response({"token": token, "expires_at": expires.isoformat(), "user": user_json(user)})
    resp.set_cookie(
        auth.COOKIE, token, httponly=True, samesite="Strict", secure=cfg.cookie_secure,
        max_age=int(cfg.token_ttl_hours * 3600), path="/",
    )
    return resp


@routes.post("/api/logout")
@auth.requires()
async def logout(request: web.Request) -> web.Response:
    token = auth.presented_token(request)
    assert token is not None
    await accounts.revoke_token(request.app[keys.POOL], auth.token_hash(token))
    resp = web.json_response({"ok": True})
    resp.del_cookie(auth.COOKIE, path="/")
    return resp


@routes.get("/api/me")
@auth.requires()
async def me(request: web.Request) -> web.Response:
    return web.json_response(user_json(request[keys.USER]))


@routes.post("/api/admin/users")
@auth.requires(Role.ADMIN)
async def create_user(request: web.Request) -> web.Response:
    body = await parse_body(request, NewUserBody)
    profile = None
    if body.role is Role.THERAPIST:
        t = body.therapist or TherapistBody()
        validation = initial_validation(t.employment)
        cap = t.caseload_cap if t.caseload_cap is not None else VALIDATION_CASELOAD_CAP
        if validation is Validation.IN_VALIDATION and cap > VALIDATION_CASELOAD_CAP:
            raise ApiError(422, "invalid_field", f"therapist.caseload_cap: at most {VALIDATION_CASELOAD_CAP} during validation")
        profile = TherapistProfile(0, t.employment, validation, cap, t.work_country)
    elif body.therapist is not None:
        raise ApiError(422, "invalid_field", "therapist: only for role 'therapist'")
    pool = request.app[keys.POOL]
    try:
        user = await accounts.create_user(
            pool, email=body.email, display_name=body.display_name, role=body.role,
            password_hash=await _hash(body.password), therapist=profile, clinical_lead=body.clinical_lead,
        )
    except accounts.Conflict as e:
        raise ApiError(409, "conflict", str(e)) from None
    await audit.record(pool, request[keys.USER].id, "create", "user", user.id, {"role": user.role.value})
    return web.json_response(user_json(user), status=201)


async def _hash(password: str) -> str:
    return await asyncio.to_thread(auth.hash_password, password)


@routes.get("/api/admin/users")
@auth.requires(Role.ADMIN)
async def list_users(request: web.Request) -> web.Response:
    role = request.query.get("role")
    try:
        which = Role(role) if role else None
    except ValueError:
        raise ApiError(400, "invalid_field", f"role must be one of {[r.value for r in Role]}") from None
    users = await accounts.list_users(request.app[keys.POOL], which)
    return web.json_response({"users": [user_json(u) for u in users]})


@routes.post("/api/admin/users/{user_id}/revoke-tokens")
@auth.requires(Role.ADMIN)
async def revoke_tokens(request: web.Request) -> web.Response:
    uid = path_id(request, "user_id")
    pool = request.app[keys.POOL]
    if await accounts.user_by_id(pool, uid) is None:
        raise ApiError(404, "not_found", f"no user {uid}")
    n = await accounts.revoke_user_tokens(pool, uid)
    await audit.record(pool, request[keys.USER].id, "revoke_tokens", "user", uid, {"count": n})
    return web.json_response({"revoked": n})


@routes.post("/api/admin/episodes")
@auth.requires(Role.ADMIN)
async def create_episode(request: web.Request) -> web.Response:
    body = await parse_body(request, NewEpisodeBody)
    pool = request.app[keys.POOL]
    try:
        ep = await care.create_episode(pool, body.patient_id, body.therapist_id)
    except accounts.Conflict as e:
        raise ApiError(409, "conflict", str(e)) from None
    await audit.record(pool, request[keys.USER].id, "create", "episode", ep.id)
    return web.json_response(
        {"id": ep.id, "patient_id": ep.patient_id, "therapist_id": ep.therapist_id, "status": ep.status.value},
        status=201,
    )


@routes.post("/api/admin/appointments")
@auth.requires(Role.ADMIN)
async def create_appointment(request: web.Request) -> web.Response:
    body = await parse_body(request, NewAppointmentBody)
    if body.start.tzinfo is None:
        raise ApiError(422, "invalid_field", "start: give a time zone, e.g. 2026-12-01T18:00:00+00:00")
    try:
        check_length(body.kind, body.length_minutes)
    except ValueError as e:
        raise ApiError(422, "invalid_field", f"length_minutes: {e}") from None
    pool = request.app[keys.POOL]
    try:
        appt = await care.create_appointment(pool, body.episode_id, body.kind, body.start.astimezone(UTC), body.length_minutes)
    except LookupError as e:
        raise ApiError(404, "not_found", str(e)) from None
    except accounts.Conflict as e:
        raise ApiError(409, "conflict", str(e)) from None
    await audit.record(pool, request[keys.USER].id, "create", "appointment", appt.id)
    return web.json_response(appointment_json(asdict(appt)), status=201)


def appointment_json(a: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in a.items():
        if isinstance(v, datetime):
            out[k] = v.isoformat()
        elif hasattr(v, "value"):
            out[k] = v.value
        else:
            out[k] = v
    start, minutes = a.get("booked_start"), a.get("length_minutes")
    if "booked_end" not in out and isinstance(start, datetime) and isinstance(minutes, int):
        out["booked_end"] = (start + timedelta(minutes=minutes)).isoformat()
    return out


@routes.get("/api/appointments")
@auth.requires()
async def my_appointments(request: web.Request) -> web.Response:
    user: User = request[keys.USER]
    rows = await care.appointments_for(request.app[keys.POOL], user.id, user.role)
    return web.json_response({"appointments": [appointment_json(r) for r in rows]})


def path_id(request: web.Request, name: str) -> int:
    raw = request.match_info[name]
    # isascii: str.isdigit() also accepts '²' and '٣', which int() refuses or misreads.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ApiError(400, "invalid_field", f"{name} must be a positive whole number, not {raw[:40]!r}")
    return int(raw)
