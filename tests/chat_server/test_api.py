"""The HTTP API: bad input on every endpoint is a helpful 4xx, and the booking rules hold.

Many bad inputs are checked per test (one app start each) so the file stays fast; a
failing case is named in the assertion message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chat_server import auth
from chat_server.storage import accounts
from clinical.records import Role, User
from tests.conftest import PASSWORD, People, bearer

JSON = {"Content-Type": "application/json"}
BIG = 64 * 1024 + 1


async def token_for(pool, user: User) -> str:  # type: ignore[no-untyped-def]
    """A bearer token stored directly (skips argon2, which would make every test slow)."""
    token = auth.new_token()
    await accounts.store_token(
        pool, auth.token_hash(token), user.id, "bearer", datetime.now(UTC) + timedelta(hours=1), "tests"
    )
    return token


async def error_of(resp: Any, label: str, *statuses: int) -> dict[str, str]:
    """Assert a 4xx JSON error of the documented shape (and one of `statuses` if given)."""
    text = await resp.text()
    assert 400 <= resp.status < 500, f"{label}: {resp.status} {text[:300]}"
    if statuses:
        assert resp.status in statuses, f"{label}: {resp.status} {text[:300]}"
    assert resp.content_type == "application/json", f"{label}: {resp.content_type} {text[:200]}"
    body = json.loads(text)
    assert set(body) == {"error"}, f"{label}: {body}"
    err = body["error"]
    assert isinstance(err.get("code"), str) and err["code"], f"{label}: {body}"
    assert isinstance(err.get("message"), str) and len(err["message"]) >= 8, f"{label}: {body}"
    return dict(err)


# -- bodies -----------------------------------------------------------------------------------

# (label, request kwargs, expected status, a word the message must contain)
RAW_BODIES: list[tuple[str, dict[str, Any], int, str]] = [
    ("malformed JSON", {"data": b'{"email": ', "headers": JSON}, 400, "JSON"),
    ("trailing garbage", {"data": b'{"a": 1} x', "headers": JSON}, 400, "JSON"),
    ("single quotes", {"data": b"{'email': 'a@b.c'}", "headers": JSON}, 400, "JSON"),
    ("empty body", {"data": b"", "headers": JSON}, 0, "JSON"),
    ("whitespace body", {"data": b"   \n", "headers": JSON}, 400, "JSON"),
    ("invalid UTF-8", {"data": b'{"email": "\xff\xfe"}', "headers": JSON}, 400, "JSON"),
    ("deeply nested", {"data": b"[" * 30000 + b"]" * 30000, "headers": JSON}, 400, "JSON"),
    ("huge number literal", {"data": b'{"n": ' + b"9" * 5000 + b"}", "headers": JSON}, 400, "JSON"),
    ("form content type", {"data": {"email": "a@b.c"}}, 415, "Content-Type"),
    ("text/plain JSON", {"data": b"{}", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
    ("no content type", {"data": b"{}"}, 415, "Content-Type"),
    ("null", {"data": b"null", "headers": JSON}, 422, "object"),
    ("array", {"data": b"[]", "headers": JSON}, 422, "object"),
    ("string", {"data": b'"hello"', "headers": JSON}, 422, "object"),
    ("number", {"data": b"42", "headers": JSON}, 422, "object"),
    ("true", {"data": b"true", "headers": JSON}, 422, "object"),
    ("oversized", {"data": b'{"x": "' + b"a" * BIG + b'"}', "headers": JSON}, 413, "large"),
    ("oversized, not JSON", {"data": b"a" * BIG, "headers": JSON}, 413, "large"),
]

POSTS = ["/api/login", "/api/admin/users", "/api/admin/episodes", "/api/admin/appointments"]


@pytest.mark.parametrize("path", POSTS)
async def test_malformed_bodies_are_4xx_json(client, people: People, pool, path: str) -> None:
    admin = await people.user(Role.ADMIN)
    headers = bearer(await token_for(pool, admin))
    for label, kwargs, status, word in RAW_BODIES:
        resp = await client.post(path, **{**kwargs, "headers": {**kwargs.get("headers", {}), **headers}})
        err = await error_of(resp, f"{path} {label}", *((status,) if status else ()))
        assert word.lower() in err["message"].lower(), f"{path} {label}: {err}"


def wrong_values(valid: dict[str, Any], types: dict[str, list[Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every field missing, null, and each wrong value; plus unknown extra fields."""
    for field in valid:
        yield f"missing {field}", {k: v for k, v in valid.items() if k != field}
        yield f"{field}=null", {**valid, field: None}
        for bad in types[field]:
            yield f"{field}={bad!r}"[:80], {**valid, field: bad}
    yield "extra field", {**valid, "is_admin": True}
    yield "extra nested field", {**valid, "extra": {"a": [1, 2]}}
    yield "empty object", {}


NOT_STR = [123, 1.5, True, [], ["a@b.c"], {}, {"value": "x"}]
NOT_INT = ["1", "one", 1.5, 1.0, True, False, [], [1], {}, {"id": 1}, 0, -1, 2**63, 10**30]


async def post_cases(client, path: str, headers: dict[str, str], cases, expect: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    failures = []
    for label, body in cases:
        resp = await client.post(path, json=body, headers=headers)
        try:
            err = await error_of(resp, f"{path} {label}", *expect)
            if resp.status == 422:
                assert err["code"] == "invalid_field", f"{path} {label}: {err}"
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "\n".join(failures)


async def test_login_field_errors(client) -> None:
    valid = {"email": "someone@test.cbt", "password": "a-password"}
    types = {
        "email": [*NOT_STR, "", "no-at-sign", "a@", "@b.c", "a b@c.d", "x" * 65 + "@b.c", "a\u0000@b.c"],
        "password": [*NOT_STR, "", "p" * 201],
    }
    await post_cases(client, "/api/login", {}, wrong_values(valid, types), (422,))


async def test_login_message_names_the_field(client) -> None:
    resp = await client.post("/api/login", json={"email": 5, "password": "x"})
    err = await error_of(resp, "email=5", 422)
    assert "email" in err["message"]
    resp = await client.post("/api/login", json={"email": "a@b.c", "password": "x", "remember": True})
    err = await error_of(resp, "extra", 422)
    assert "remember" in err["message"]


async def test_create_user_field_errors(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    valid = {"email": "new@test.cbt", "display_name": "New Person", "role": "patient", "password": "long-enough-pw"}
    types = {
        "email": [*NOT_STR, "", "not-an-email", "a@b@c", "x\u0000@test.cbt"],
        "display_name": [*NOT_STR, "", "   ", "n" * 201, "Nul\u0000Name"],
        "role": [*NOT_STR, "", "bogus", "Patient", "ADMIN"],
        "password": [*NOT_STR, "short", "p" * 201],
    }
    cases = list(wrong_values(valid, types))
    tb = {"email": "t@test.cbt", "display_name": "T", "role": "therapist", "password": "long-enough-pw"}
    cases += [
        ("therapist block on a patient", {**valid, "therapist": {"employment": "agency"}}),
        ("clinical_lead as string", {**valid, "clinical_lead": "yes"}),
        ("clinical_lead as int", {**valid, "clinical_lead": 1}),
        ("therapist as list", {**tb, "therapist": []}),
        ("therapist as string", {**tb, "therapist": "agency"}),
        ("employment bogus", {**tb, "therapist": {"employment": "freelance"}}),
        ("employment int", {**tb, "therapist": {"employment": 1}}),
        ("caseload_cap string", {**tb, "therapist": {"caseload_cap": "5"}}),
        ("caseload_cap float", {**tb, "therapist": {"caseload_cap": 5.5}}),
        ("caseload_cap bool", {**tb, "therapist": {"caseload_cap": True}}),
        ("caseload_cap negative", {**tb, "therapist": {"caseload_cap": -1}}),
        ("caseload_cap too big", {**tb, "therapist": {"employment": "agency", "caseload_cap": 201}}),
        ("caseload_cap huge", {**tb, "therapist": {"employment": "agency", "caseload_cap": 2**70}}),
        ("work_country lower", {**tb, "therapist": {"work_country": "gb"}}),
        ("work_country long", {**tb, "therapist": {"work_country": "GBR"}}),
        ("work_country newline", {**tb, "therapist": {"work_country": "GB\n"}}),
        ("therapist extra", {**tb, "therapist": {"employment": "agency", "pension_opt_out": True}}),
        ("self-employed cap above validation cap", {**tb, "therapist": {"caseload_cap": 11}}),
    ]
    await post_cases(client, "/api/admin/users", headers, cases, (422,))
    assert await pool.fetchval("SELECT count(*) FROM users") == 1  # only the admin


async def test_create_episode_field_errors(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    patient, therapist = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    valid = {"patient_id": patient.id, "therapist_id": therapist.id}
    cases = [*wrong_values(valid, {"patient_id": NOT_INT, "therapist_id": NOT_INT}),
             ("status given", {**valid, "status": "treatment"})]
    await post_cases(client, "/api/admin/episodes", headers, cases, (422,))
    assert await pool.fetchval("SELECT count(*) FROM episodes") == 0


async def test_create_appointment_field_errors(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    patient, therapist = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    ep = await pool.fetchval(
        "INSERT INTO episodes (patient_id, therapist_id) VALUES ($1, $2) RETURNING id", patient.id, therapist.id
    )
    valid = {"episode_id": ep, "kind": "assessment", "start": "2030-03-04T10:00:00+00:00", "length_minutes": 60}
    types = {
        "episode_id": NOT_INT,
        "kind": [*NOT_STR, "", "therapy", "ASSESSMENT"],
        "start": [123, True, [], {}, "", "tomorrow", "2030-13-01T10:00:00Z", "2030-03-04T25:00:00Z",
                  "2030-03-04T10:00:00", "2030-03-04"],
        "length_minutes": ["60", 60.5, True, [], {}, 0, -60, 50, 90, 2**63],
    }
    await post_cases(client, "/api/admin/appointments", headers, wrong_values(valid, types), (422,))
    assert await pool.fetchval("SELECT count(*) FROM appointments") == 0


async def test_unauthenticated_and_bad_tokens_are_401(client, people: People, pool) -> None:
    token = await token_for(pool, await people.user(Role.ADMIN))
    headers_list = [
        ("none", {}),
        ("empty bearer", {"Authorization": "Bearer "}),
        ("bearer word only", {"Authorization": "Bearer"}),
        ("basic", {"Authorization": "Basic YWRtaW46YWRtaW4="}),
        ("unknown token", {"Authorization": "Bearer not-a-token"}),
        ("very long token", {"Authorization": "Bearer " + "x" * 5000}),
        ("token with junk", {"Authorization": f"Bearer {token}x"}),
        ("bad cookie", {"Cookie": "cbt_session=nope"}),
    ]
    endpoints = [("POST", "/api/logout"), ("GET", "/api/me"), ("GET", "/api/admin/users"),
                 ("POST", "/api/admin/users"), ("POST", "/api/admin/episodes"),
                 ("POST", "/api/admin/appointments"), ("POST", "/api/admin/users/1/revoke-tokens"),
                 ("GET", "/api/appointments"), ("GET", "/api/sessions"), ("GET", "/api/sessions/1"),
                 ("GET", "/api/sessions/1/transcript"), ("GET", "/api/sessions/1/transcript.txt")]
    for label, headers in headers_list:
        for method, path in endpoints:
            resp = await client.request(method, path, headers=headers, json={})
            err = await error_of(resp, f"{method} {path} with {label}", 401)
            assert err["code"] == "unauthorized"
            assert "log in" in err["message"]


async def test_logout_ignores_its_body_and_needs_a_token(client, people: People, pool) -> None:
    user = await people.user(Role.PATIENT)
    for data in (b"not json", b"[" * 1000, b'{"x": 1}'):
        token = await token_for(pool, user)
        resp = await client.post("/api/logout", data=data, headers={**bearer(token), **JSON})
        assert resp.status == 200, await resp.text()
        resp = await client.post("/api/logout", headers=bearer(token))
        await error_of(resp, "logout twice", 401)


async def test_bad_path_ids_and_query_values(client, people: People, pool) -> None:
    admin_h = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    sup_h = bearer(await token_for(pool, await people.user(Role.SUPERVISOR)))
    bad_ids = ["abc", "-1", "1.5", "1e3", "0x10", "%C2%B2", "%D9%A3", "9" * 19, "%20", "1%00"]
    failures = []

    async def check(method: str, path: str, headers: dict[str, str], *status: int) -> None:
        try:
            resp = await client.request(method, path, headers=headers)
            await error_of(resp, f"{method} {path}", *status)
        except AssertionError as e:
            failures.append(str(e))

    for bad in bad_ids:
        await check("POST", f"/api/admin/users/{bad}/revoke-tokens", admin_h, 400, 404)
        for tail in ("", "/transcript", "/transcript.txt"):
            await check("GET", f"/api/sessions/{bad}{tail}", sup_h, 400, 404)
    for unknown in ("0", "999999", "999999999999999999"):
        await check("POST", f"/api/admin/users/{unknown}/revoke-tokens", admin_h, 404)
        for tail in ("", "/transcript", "/transcript.txt"):
            await check("GET", f"/api/sessions/{unknown}{tail}", sup_h, 404)
    for role in ("bogus", "PATIENT", "patient,therapist", "%00"):
        await check("GET", f"/api/admin/users?role={role}", admin_h, 400)
    assert not failures, "\n".join(failures)
    resp = await client.post("/api/admin/users/abc/revoke-tokens", headers=admin_h)
    err = await error_of(resp, "abc", 400)
    assert "user_id" in err["message"] and "whole number" in err["message"]


async def test_unknown_paths_and_wrong_methods(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    unknown = [("GET", "/api/nope"), ("POST", "/api/nope"), ("GET", "/api/"), ("GET", "/api"),
               ("GET", "/api/admin"), ("GET", "/api/admin/users/1"), ("POST", "/api/admin/users/1/bogus"),
               ("GET", "/api/sessions/1/transcript.pdf"), ("DELETE", "/api/v2/users")]
    for method, path in unknown:
        resp = await client.request(method, path, headers=headers)
        err = await error_of(resp, f"{method} {path}", 404, 405)
        assert err["code"] in ("not_found", "method_not_allowed")
    wrong = [("GET", "/api/login"), ("PUT", "/api/login"), ("GET", "/api/logout"),
             ("DELETE", "/api/admin/users"), ("PATCH", "/api/admin/users"), ("GET", "/api/admin/episodes"),
             ("GET", "/api/admin/appointments"), ("GET", "/api/admin/users/1/revoke-tokens"),
             ("POST", "/api/me"), ("POST", "/api/appointments"), ("DELETE", "/api/sessions/1"),
             ("POST", "/api/sessions"), ("PUT", "/api/sessions/1/transcript")]
    for method, path in wrong:
        resp = await client.request(method, path, headers=headers, json={})
        err = await error_of(resp, f"{method} {path}", 404, 405)
        assert method in err["message"] and path in err["message"], f"{method} {path}: {err}"


async def test_wrong_method_on_a_real_endpoint_is_405_with_allow(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    for method, path, allow in [("GET", "/api/login", "POST"), ("DELETE", "/api/admin/users", "GET"),
                                ("POST", "/api/sessions/1", "GET")]:
        resp = await client.request(method, path, headers=headers, json={})
        err = await error_of(resp, f"{method} {path}", 405)
        assert err["code"] == "method_not_allowed"
        assert allow in resp.headers.get("Allow", ""), f"{method} {path}: {resp.headers}"


# -- accounts ---------------------------------------------------------------------------------


async def test_admin_creates_each_role(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    base = {"display_name": "  Someone  ", "password": "long-enough-pw"}
    for role in ("patient", "supervisor", "admin"):
        resp = await client.post("/api/admin/users", json={**base, "email": f"{role}@new.cbt", "role": role},
                                 headers=headers)
        assert resp.status == 201, await resp.text()
        body = await resp.json()
        assert body["role"] == role
        assert body["display_name"] == "Someone"
        assert body["email"] == f"{role}@new.cbt"
        assert set(body) == {"id", "email", "display_name", "role"}
    resp = await client.post("/api/admin/users", headers=headers, json={
        **base, "email": "lead@new.cbt", "role": "supervisor", "clinical_lead": True})
    assert resp.status == 201
    lead = (await resp.json())["id"]
    assert await pool.fetchval("SELECT is_clinical_lead FROM supervisors WHERE user_id = $1", lead) is True
    audit = await pool.fetch("SELECT action, subject_type FROM audit_log WHERE action = 'create'")
    assert len(audit) == 4
    # The new account can log in with the password the admin set.
    resp = await client.post("/api/login", json={"email": "patient@new.cbt", "password": "long-enough-pw"})
    assert resp.status == 200


async def therapist_row(pool, user_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return dict(await pool.fetchrow("SELECT * FROM therapists WHERE user_id = $1", user_id))


async def test_admin_creates_therapists_with_validation_rules(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    base = {"display_name": "T", "role": "therapist", "password": "long-enough-pw"}

    async def create(email: str, therapist: dict[str, Any] | None) -> Any:
        body = {**base, "email": email} if therapist is None else {**base, "email": email, "therapist": therapist}
        return await client.post("/api/admin/users", json=body, headers=headers)

    resp = await create("plain@new.cbt", None)
    assert resp.status == 201, await resp.text()
    row = await therapist_row(pool, (await resp.json())["id"])
    assert (row["employment"], row["validation_state"], row["caseload_cap"]) == ("self_employed", "in_validation", 10)

    resp = await create("small@new.cbt", {"employment": "self_employed", "caseload_cap": 4, "work_country": "IE"})
    assert resp.status == 201
    row = await therapist_row(pool, (await resp.json())["id"])
    assert (row["validation_state"], row["caseload_cap"], row["work_country"]) == ("in_validation", 4, "IE")

    resp = await create("big@new.cbt", {"employment": "self_employed", "caseload_cap": 11})
    err = await error_of(resp, "cap 11 in validation", 422)
    assert "caseload_cap" in err["message"] and "10" in err["message"]

    resp = await create("agency@new.cbt", {"employment": "agency"})
    assert resp.status == 201
    row = await therapist_row(pool, (await resp.json())["id"])
    assert (row["employment"], row["validation_state"]) == ("agency", "not_required")

    resp = await create("agency2@new.cbt", {"employment": "agency", "caseload_cap": 30})
    assert resp.status == 201
    row = await therapist_row(pool, (await resp.json())["id"])
    assert (row["validation_state"], row["caseload_cap"]) == ("not_required", 30)
    assert not await pool.fetchval("SELECT count(*) FROM users WHERE email = 'big@new.cbt'")


async def test_duplicate_email_is_409_whatever_the_case(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    body = {"email": "dup@new.cbt", "display_name": "A", "role": "patient", "password": "long-enough-pw"}
    assert (await client.post("/api/admin/users", json=body, headers=headers)).status == 201
    for email in ("dup@new.cbt", "DUP@New.CBT"):
        resp = await client.post("/api/admin/users", json={**body, "email": email, "role": "supervisor"},
                                 headers=headers)
        err = await error_of(resp, email, 409)
        assert err["code"] == "conflict"
    assert await pool.fetchval("SELECT count(*) FROM users WHERE lower(email) = 'dup@new.cbt'") == 1


async def test_list_users_by_role(client, people: People, pool) -> None:
    admin = await people.user(Role.ADMIN)
    headers = bearer(await token_for(pool, admin))
    p = await people.user(Role.PATIENT)
    t = await people.user(Role.THERAPIST)
    resp = await client.get("/api/admin/users?role=patient", headers=headers)
    assert [u["id"] for u in (await resp.json())["users"]] == [p.id]
    resp = await client.get("/api/admin/users", headers=headers)
    assert {u["id"] for u in (await resp.json())["users"]} == {admin.id, p.id, t.id}
    resp = await client.get("/api/admin/users?role=bogus", headers=headers)
    err = await error_of(resp, "bogus role", 400)
    assert "patient" in err["message"] and "therapist" in err["message"]


async def test_revoke_tokens_of_unknown_user_is_404(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    resp = await client.post("/api/admin/users/424242/revoke-tokens", headers=headers)
    err = await error_of(resp, "unknown user", 404)
    assert "424242" in err["message"]


# -- episodes and appointments ----------------------------------------------------------------


async def test_episode_creation(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    patient, therapist = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    other = await people.user(Role.THERAPIST)
    supervisor = await people.user(Role.SUPERVISOR)
    resp = await client.post("/api/admin/episodes", json={"patient_id": patient.id, "therapist_id": therapist.id},
                             headers=headers)
    assert resp.status == 201, await resp.text()
    body = await resp.json()
    assert body == {"id": body["id"], "patient_id": patient.id, "therapist_id": therapist.id, "status": "assessment"}
    # A second open episode for the same patient, even with another therapist.
    resp = await client.post("/api/admin/episodes", json={"patient_id": patient.id, "therapist_id": other.id},
                             headers=headers)
    err = await error_of(resp, "second open episode", 409)
    assert "open episode" in err["message"]
    # Ids of the wrong kind of person, or of nobody.
    p2 = await people.user(Role.PATIENT)
    for label, pid, tid in [("swapped", therapist.id, p2.id), ("supervisor as therapist", p2.id, supervisor.id),
                            ("patient as therapist", p2.id, patient.id), ("unknown patient", 99999, therapist.id),
                            ("unknown therapist", p2.id, 99999), ("largest id", 2**63 - 1, therapist.id)]:
        resp = await client.post("/api/admin/episodes", json={"patient_id": pid, "therapist_id": tid},
                                 headers=headers)
        err = await error_of(resp, label, 409, 422)
        assert "patient" in err["message"], f"{label}: {err}"
    assert await pool.fetchval("SELECT count(*) FROM episodes") == 1


async def book(client, headers, episode: int, kind: str, start: datetime | str, minutes: int) -> Any:  # type: ignore[no-untyped-def]
    at = start if isinstance(start, str) else start.isoformat()
    return await client.post("/api/admin/appointments", headers=headers, json={
        "episode_id": episode, "kind": kind, "start": at, "length_minutes": minutes})


async def test_appointment_rules(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    patient, therapist = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    ep = (await (await client.post("/api/admin/episodes", headers=headers, json={
        "patient_id": patient.id, "therapist_id": therapist.id})).json())["id"]
    day = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)

    # The first appointment must be an assessment, and an assessment lasts 60 minutes.
    resp = await book(client, headers, ep, "treatment", day, 60)
    err = await error_of(resp, "first is treatment", 409, 422)
    assert "assessment" in err["message"]
    for minutes in (30, 45):
        resp = await book(client, headers, ep, "assessment", day, minutes)
        err = await error_of(resp, f"assessment of {minutes}", 422)
        assert "length_minutes" in err["message"] and "60" in err["message"]
    resp = await book(client, headers, ep, "assessment", "2030-03-04T09:00:00", 60)
    err = await error_of(resp, "naive datetime", 422)
    assert "time zone" in err["message"]
    assert await pool.fetchval("SELECT count(*) FROM appointments") == 0

    resp = await book(client, headers, ep, "assessment", "2030-03-04T10:00:00+01:00", 60)
    assert resp.status == 201, await resp.text()
    first = await resp.json()
    assert first["kind"] == "assessment"
    assert first["status"] == "booked"
    assert datetime.fromisoformat(first["booked_start"]) == day
    assert datetime.fromisoformat(first["booked_end"]) == day + timedelta(minutes=60)
    assert (first["patient_id"], first["therapist_id"], first["episode_id"]) == (patient.id, therapist.id, ep)

    for i, minutes in enumerate((30, 45, 60)):
        resp = await book(client, headers, ep, "treatment", day + timedelta(days=7 * (i + 1)), minutes)
        assert resp.status == 201, await resp.text()
        assert (await resp.json())["length_minutes"] == minutes
    resp = await book(client, headers, ep, "treatment", day + timedelta(days=60), 50)
    err = await error_of(resp, "50 minutes", 422)
    assert "length_minutes" in err["message"]

    resp = await book(client, headers, 424242, "assessment", day + timedelta(days=90), 60)
    err = await error_of(resp, "unknown episode", 404)
    assert "424242" in err["message"]
    assert await pool.fetchval("SELECT count(*) FROM appointments") == 4
    assert await pool.fetchval("SELECT count(*) FROM audit_log WHERE subject_type = 'appointment'") == 4


async def test_overlapping_appointments_for_a_therapist_are_409(client, people: People, pool) -> None:
    headers = bearer(await token_for(pool, await people.user(Role.ADMIN)))
    therapist = await people.user(Role.THERAPIST)
    p1, p2 = await people.user(Role.PATIENT), await people.user(Role.PATIENT)
    eps = []
    for p in (p1, p2):
        resp = await client.post("/api/admin/episodes", headers=headers,
                                 json={"patient_id": p.id, "therapist_id": therapist.id})
        eps.append((await resp.json())["id"])
    start = datetime(2030, 5, 6, 14, 0, tzinfo=UTC)
    assert (await book(client, headers, eps[0], "assessment", start, 60)).status == 201
    for offset in (0, 30, -59):
        resp = await book(client, headers, eps[1], "assessment", start + timedelta(minutes=offset), 60)
        err = await error_of(resp, f"overlap {offset}", 409)
        assert "therapist" in err["message"] and "already" in err["message"]
    # Back to back is fine: the ranges are half-open.
    resp = await book(client, headers, eps[1], "assessment", start + timedelta(minutes=60), 60)
    assert resp.status == 201, await resp.text()
    # The same instant written in London summer time is the same slot.
    resp = await book(client, headers, eps[1], "treatment", "2030-05-06T15:00:00+01:00", 30)
    await error_of(resp, "overlap in BST", 409)


async def test_each_role_sees_only_their_appointments(client, people: People, pool) -> None:
    p1, p2 = await people.user(Role.PATIENT), await people.user(Role.PATIENT)
    t1, t2 = await people.user(Role.THERAPIST), await people.user(Role.THERAPIST)
    sup, admin = await people.user(Role.SUPERVISOR), await people.user(Role.ADMIN)
    base = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    a1 = await people.appointment(p1, t1, start=base)
    a2 = await people.appointment(p2, t2, start=base + timedelta(hours=2))
    a3 = await people.appointment(p1, t1, start=base + timedelta(days=7), minutes=30)
    expected = {p1: {a1.id, a3.id}, p2: {a2.id}, t1: {a1.id, a3.id}, t2: {a2.id},
                sup: {a1.id, a2.id, a3.id}, admin: {a1.id, a2.id, a3.id}}
    for user, ids in expected.items():
        resp = await client.get("/api/appointments", headers=bearer(await token_for(pool, user)))
        assert resp.status == 200
        rows = (await resp.json())["appointments"]
        assert {r["id"] for r in rows} == ids, user.role
        for r in rows:
            assert datetime.fromisoformat(r["booked_start"]).tzinfo is not None
            assert r["patient_name"] and r["therapist_name"]
    rows = (await (await client.get("/api/appointments", headers=bearer(await token_for(pool, p1)))).json())
    assert [r["id"] for r in rows["appointments"]] == [a3.id, a1.id]  # newest first


async def test_login_still_works_after_bad_attempts_do_not_count(client, people: People) -> None:
    """Malformed login bodies are refused before the account is touched: no throttling."""
    user = await people.user(Role.PATIENT)
    for _ in range(8):
        resp = await client.post("/api/login", json={"email": user.email, "password": 12345})
        await error_of(resp, "password int", 422)
    resp = await client.post("/api/login", json={"email": user.email, "password": PASSWORD})
    assert resp.status == 200
