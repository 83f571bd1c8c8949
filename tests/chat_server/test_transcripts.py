"""Session lists and transcripts over HTTP: who may read what, paging, auditing, the download."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chat_server import auth
from chat_server.storage import accounts, transcripts
from chat_server.storage.transcripts import NewMessage
from clinical.records import Appointment, Role, User
from tests.conftest import People, bearer

LONDON = ZoneInfo("Europe/London")


async def token_for(pool, user: User) -> str:  # type: ignore[no-untyped-def]
    """A bearer token stored directly (skips argon2 to keep the tests fast)."""
    token = auth.new_token()
    await accounts.store_token(
        pool, auth.token_hash(token), user.id, "bearer", datetime.now(UTC) + timedelta(hours=1), "tests"
    )
    return token


async def say(pool, appt: Appointment, sender: User, *texts: str, corrects: int | None = None) -> list[int]:  # type: ignore[no-untyped-def]
    """Store messages the way the live writer does, returning their seqs."""
    batch = [NewMessage(appt.id, f"c-{sender.id}-{i}-{text[:20]}", sender.id, sender.role.value, text, corrects)
             for i, text in enumerate(texts)]
    async with pool.acquire() as conn:
        results = await transcripts.append(conn, batch)
    assert all(r.status == "ok" for r in results), results
    return [r.seq for r in results if r.seq is not None]


@dataclass
class Care:
    p1: User
    p2: User
    t1: User
    t2: User
    sup: User
    admin: User
    a1: Appointment  # p1 with t1
    a2: Appointment  # p2 with t2
    tokens: dict[int, dict[str, str]]

    def h(self, user: User) -> dict[str, str]:
        return self.tokens[user.id]


@pytest.fixture
async def care(people: People, pool) -> Care:  # type: ignore[no-untyped-def]
    p1, p2 = await people.user(Role.PATIENT, "Pat Jones"), await people.user(Role.PATIENT, "Sam Lee")
    t1, t2 = await people.user(Role.THERAPIST, "Asha Rao"), await people.user(Role.THERAPIST, "Ben Ode")
    sup, admin = await people.user(Role.SUPERVISOR, "Sue Pervisor"), await people.user(Role.ADMIN)
    a1 = await people.appointment(p1, t1, start=datetime(2026, 7, 6, 9, 0, tzinfo=UTC), live=True)
    a2 = await people.appointment(p2, t2, start=datetime(2026, 7, 6, 9, 0, tzinfo=UTC), live=True)
    tokens = {u.id: bearer(await token_for(pool, u)) for u in (p1, p2, t1, t2, sup, admin)}
    return Care(p1, p2, t1, t2, sup, admin, a1, a2, tokens)


async def audit_rows(pool, action: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    rows = await pool.fetch(
        "SELECT actor_id, subject_type, subject_id, detail FROM audit_log WHERE action = $1 ORDER BY id", action
    )
    return [dict(r) for r in rows]


async def test_session_lists_follow_the_care_relationship(client, care: Care) -> None:
    expected = {care.p1: {care.a1.id}, care.p2: {care.a2.id}, care.t1: {care.a1.id}, care.t2: {care.a2.id},
                care.sup: {care.a1.id, care.a2.id}}
    for user, ids in expected.items():
        resp = await client.get("/api/sessions", headers=care.h(user))
        assert resp.status == 200, await resp.text()
        sessions = (await resp.json())["sessions"]
        assert {s["id"] for s in sessions} == ids, user.display_name
    resp = await client.get("/api/sessions", headers=care.h(care.admin))
    assert resp.status == 403
    assert (await resp.json())["error"]["code"] == "forbidden"


async def test_session_detail_is_for_those_in_care(client, care: Care, pool) -> None:
    for user in (care.p1, care.t1, care.sup):
        resp = await client.get(f"/api/sessions/{care.a1.id}", headers=care.h(user))
        assert resp.status == 200
        body = await resp.json()
        assert (body["id"], body["patient_id"], body["therapist_id"]) == (care.a1.id, care.p1.id, care.t1.id)
        assert body["status"] == "live"
    for user in (care.p2, care.t2):
        resp = await client.get(f"/api/sessions/{care.a1.id}", headers=care.h(user))
        assert resp.status == 403
    assert (await client.get(f"/api/sessions/{care.a1.id}", headers=care.h(care.admin))).status == 403


async def test_transcript_pages_in_order(client, care: Care, pool) -> None:
    await say(pool, care.a1, care.p1, "one", "two", "three")
    await say(pool, care.a1, care.t1, "four", "five")
    await say(pool, care.a1, care.p1, "six", "seven")
    url, h = f"/api/sessions/{care.a1.id}/transcript", care.h(care.t1)

    resp = await client.get(url, headers=h)
    assert resp.status == 200
    body = await resp.json()
    assert body["session"] == care.a1.id
    assert [m["text"] for m in body["messages"]] == ["one", "two", "three", "four", "five", "six", "seven"]
    assert body["next_after"] is None
    first = body["messages"][0]
    assert first["seq"] == 1
    assert (first["sender"], first["sender_name"], first["role"], first["corrects"]) == (
        care.p1.id, "Pat Jones", "patient", None)
    assert datetime.fromisoformat(first["at"]).tzinfo is not None
    assert body["messages"][3]["role"] == "therapist"

    pages, after = [], 0
    while True:
        q = f"?limit=3&after={after}" if after else "?limit=3"
        page = await (await client.get(url + q, headers=h)).json()
        pages.append([m["seq"] for m in page["messages"]])
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert pages == [[1, 2, 3], [4, 5, 6], [7]]

    # A page that ends exactly at the last message says there is no more.
    page = await (await client.get(url + "?after=4&limit=3", headers=h)).json()
    assert [m["seq"] for m in page["messages"]] == [5, 6, 7]
    assert page["next_after"] is None
    page = await (await client.get(url + "?after=7", headers=h)).json()
    assert page == {"session": care.a1.id, "messages": [], "next_after": None}
    page = await (await client.get(url + "?limit=1", headers=h)).json()
    assert ([m["seq"] for m in page["messages"]], page["next_after"]) == ([1], 1)
    page = await (await client.get(url + "?limit=500", headers=h)).json()
    assert len(page["messages"]) == 7


async def test_bad_after_and_limit_are_400_and_not_audited(client, care: Care, pool) -> None:
    url, h = f"/api/sessions/{care.a1.id}/transcript", care.h(care.p1)
    bad = {
        "after": ["-1", "x", "1.5", "", " 1", "%C2%B2", "%D9%A3", "9" * 20, "9" * 5000, str(2**31), "1e3"],
        "limit": ["0", "501", "-5", "abc", "", "10.0", "%C2%B2", "9" * 5000, "true"],
    }
    for name, values in bad.items():
        for value in values:
            resp = await client.get(f"{url}?{name}={value}", headers=h)
            assert resp.status == 400, f"{name}={value[:30]}: {resp.status} {await resp.text()}"
            err = (await resp.json())["error"]
            assert err["code"] == "invalid_field"
            assert name in err["message"] and "whole number" in err["message"], err
    assert await audit_rows(pool, "read_transcript") == []


async def test_reading_someone_elses_transcript_is_403_and_audited(client, care: Care, pool) -> None:
    await say(pool, care.a1, care.p1, "private thoughts")
    for intruder in (care.p2, care.t2):
        for tail in ("", "/transcript", "/transcript.txt"):
            resp = await client.get(f"/api/sessions/{care.a1.id}{tail}", headers=care.h(intruder))
            assert resp.status == 403, tail
            assert "private thoughts" not in await resp.text()
            err = (await resp.json())["error"]
            assert err["code"] == "forbidden"
            assert "care" in err["message"]
    denied = await audit_rows(pool, "denied_read")
    assert [(d["actor_id"], d["subject_type"], d["subject_id"]) for d in denied] == (
        [(care.p2.id, "appointment", str(care.a1.id))] * 3 + [(care.t2.id, "appointment", str(care.a1.id))] * 3)
    assert await audit_rows(pool, "read_transcript") == []
    assert await audit_rows(pool, "download_transcript") == []
    # An admin is refused by role, before any session is looked at.
    resp = await client.get(f"/api/sessions/{care.a1.id}/transcript", headers=care.h(care.admin))
    assert resp.status == 403
    # An unknown session is 404 for everyone, and nothing is read.
    resp = await client.get("/api/sessions/999999/transcript", headers=care.h(care.sup))
    assert resp.status == 404
    assert "999999" in (await resp.json())["error"]["message"]


async def test_every_successful_read_is_audited(client, care: Care, pool) -> None:
    await say(pool, care.a1, care.p1, "a", "b", "c")
    await say(pool, care.a2, care.p2, "z")
    reads = [(care.p1, care.a1, "?after=0"), (care.t1, care.a1, "?after=2&limit=1"), (care.sup, care.a1, ""),
             (care.sup, care.a2, "?limit=5"), (care.p1, care.a1, "?after=1")]
    for user, appt, q in reads:
        resp = await client.get(f"/api/sessions/{appt.id}/transcript{q}", headers=care.h(user))
        assert resp.status == 200
    rows = await audit_rows(pool, "read_transcript")
    assert [(r["actor_id"], r["subject_type"], r["subject_id"]) for r in rows] == [
        (u.id, "appointment", str(a.id)) for u, a, _ in reads]
    assert [r["detail"]["after"] for r in rows] == [0, 2, 0, 0, 1]
    for user in (care.p1, care.sup):
        resp = await client.get(f"/api/sessions/{care.a1.id}/transcript.txt", headers=care.h(user))
        assert resp.status == 200
        await resp.read()
    rows = await audit_rows(pool, "download_transcript")
    assert [(r["actor_id"], r["subject_id"]) for r in rows] == [(care.p1.id, str(care.a1.id)),
                                                                 (care.sup.id, str(care.a1.id))]


async def test_transcript_download(client, care: Care, pool) -> None:
    await say(pool, care.a1, care.p1, "I felt anxious on Tuesday")
    await say(pool, care.a1, care.t1, "What went through your mind?")
    await say(pool, care.a1, care.p1, "I felt anxious on Wednesday", corrects=1)
    resp = await client.get(f"/api/sessions/{care.a1.id}/transcript.txt", headers=care.h(care.p1))
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.headers["Content-Disposition"] == f'attachment; filename="session-{care.a1.id}.txt"'
    text = await resp.text()
    lines = text.splitlines()
    # 09:00 UTC on 6 July is 10:00 in London (summer time).
    assert lines[0] == f"Session {care.a1.id} (assessment, 60 min) booked Monday 06 July 2026 10:00 UK time"
    assert lines[1].startswith("Status: live. Downloaded ") and lines[1].endswith(" UK time.")
    assert lines[2] == ""
    page = await (await client.get(f"/api/sessions/{care.a1.id}/transcript", headers=care.h(care.p1))).json()
    uk = [datetime.fromisoformat(m["at"]).astimezone(LONDON).strftime("%H:%M:%S") for m in page["messages"]]
    assert lines[3:] == [
        f"[{uk[0]}] #1 Pat Jones (patient): I felt anxious on Tuesday",
        f"[{uk[1]}] #2 Asha Rao (therapist): What went through your mind?",
        f"[{uk[2]}] #3 Pat Jones (patient) (correction of #1): I felt anxious on Wednesday",
    ]


async def test_download_of_a_long_transcript_has_every_message_once(client, care: Care, pool) -> None:
    await say(pool, care.a1, care.p1, *[f"line {i}" for i in range(1, 1203)])
    resp = await client.get(f"/api/sessions/{care.a1.id}/transcript.txt", headers=care.h(care.sup))
    seqs = [int(m) for m in re.findall(r"^\[\d\d:\d\d:\d\d\] #(\d+) ", await resp.text(), re.M)]
    assert seqs == list(range(1, 1203))


async def test_a_multiline_message_cannot_forge_lines_in_the_download(client, care: Care, pool) -> None:
    forged = "fine thanks\n[10:00:00] #99 Asha Rao (therapist): you are discharged"
    await say(pool, care.a1, care.p1, forged)
    resp = await client.get(f"/api/sessions/{care.a1.id}/transcript.txt", headers=care.h(care.t1))
    body = (await resp.text()).splitlines()[3:]
    assert len([line for line in body if line.startswith("[")]) == 1, body
    assert body[1] == "    [10:00:00] #99 Asha Rao (therapist): you are discharged"  # kept, but set apart
