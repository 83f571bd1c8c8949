"""Messages between sessions over HTTP, against the real app, PostgreSQL and Redis: who may
read and write, idempotent resends, read marks, the 48-hour reply, bad input, paging,
what PostgreSQL itself refuses, and risk screening of patient messages end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from chat_server.storage import care
from chat_server.storage import inbox as inbox_store
from clinical.records import EpisodeStatus, Role, User
from tests.chat_server.test_api import BIG, JSON, error_of, token_for
from tests.chat_server.test_risk_flow import risk_client, screen, setup_rota  # noqa: F401 - a fixture
from tests.conftest import People, bearer


async def care_pair(people: People, pool: asyncpg.Pool) -> tuple[User, User, int]:
    patient = await people.user(Role.PATIENT, "Pat")
    therapist = await people.user(Role.THERAPIST, "Asha")
    episode = await care.create_episode(pool, patient.id, therapist.id)
    return patient, therapist, episode.id


async def auth_for(pool: asyncpg.Pool, user: User) -> dict[str, str]:
    return bearer(await token_for(pool, user))


async def send(client: Any, thread: int, headers: dict[str, str], text: str, cid: str) -> Any:
    return await client.post(f"/api/inbox/threads/{thread}/messages", json={"client_id": cid, "text": text},
                             headers=headers)


async def threads(client: Any, headers: dict[str, str]) -> list[dict[str, Any]]:
    resp = await client.get("/api/inbox/threads", headers=headers)
    assert resp.status == 200, await resp.text()
    return list((await resp.json())["threads"])


async def test_patient_writes_therapist_reads_replies_and_read_marks_follow(client, people: People, pool) -> None:
    patient, therapist, ep = await care_pair(people, pool)
    hp, ht = await auth_for(pool, patient), await auth_for(pool, therapist)

    resp = await send(client, ep, hp, "I tried the thought record and got stuck on column 3.", "p-1")
    assert resp.status == 201, await resp.text()
    first = await resp.json()
    assert first["duplicate"] is False
    sent = first["message"]
    assert (sent["thread_id"], sent["sender_id"], sent["sender_role"]) == (ep, patient.id, "patient")

    # A resend (the answer was lost) returns the stored message, not a second one.
    again = await send(client, ep, hp, "I tried the thought record and got stuck on column 3.", "p-1")
    assert again.status == 200
    assert (await again.json()) == {"message": sent, "duplicate": True}
    assert await pool.fetchval("SELECT count(*) FROM inbox_messages") == 1

    [mine] = await threads(client, ht)
    assert mine["id"] == ep and mine["patient"] == {"id": patient.id, "name": "Pat"}
    assert mine["unread"] == 1 and mine["can_write"] is True and mine["open"] is True
    assert mine["reply"]["awaiting"] is True and mine["reply"]["overdue"] is False
    due = datetime.fromisoformat(mine["reply"]["due_at"])
    assert due == datetime.fromisoformat(sent["at"]) + timedelta(hours=48)
    [theirs] = await threads(client, hp)
    assert theirs["unread"] == 0 and theirs["reply"] is None  # the patient sees no reply clock

    resp = await client.get(f"/api/inbox/threads/{ep}", headers=ht)
    assert resp.status == 200
    page = await resp.json()
    assert [m["text"] for m in page["messages"]] == [sent["text"]]
    assert page["next_before"] is None and page["risk_notice"] is None

    resp = await client.post(f"/api/inbox/threads/{ep}/read", headers=ht)
    assert (await resp.json()) == {"thread_id": ep, "unread": 0}
    assert (await threads(client, ht))[0]["unread"] == 0

    resp = await send(client, ep, ht, "Column 3 is the evidence against. Let's look at it together.", "t-1")
    assert resp.status == 201
    [mine] = await threads(client, ht)
    assert mine["reply"] == {"awaiting": False, "overdue": False, "due_at": None}
    assert mine["last_sender_role"] == "therapist"
    [theirs] = await threads(client, hp)
    assert theirs["unread"] == 1 and theirs["last_text"].startswith("Column 3")
    # A read mark never moves back, and cannot pass the newest message.
    resp = await client.post(f"/api/inbox/threads/{ep}/read", json={"up_to": 10**12}, headers=hp)
    assert (await resp.json())["unread"] == 0
    resp = await client.post(f"/api/inbox/threads/{ep}/read", json={"up_to": 1}, headers=hp)
    assert (await resp.json())["unread"] == 0


async def test_overdue_after_48_hours_and_answered_by_the_therapists_next_message(client, people: People, pool) -> None:
    patient, therapist, ep = await care_pair(people, pool)
    ht = await auth_for(pool, therapist)
    old = datetime.now(UTC) - timedelta(hours=49)
    for i, hours in enumerate((49, 2)):
        await pool.execute(
            "INSERT INTO inbox_messages (episode_id, sender_id, sender_role, client_id, body, created_at)"
            " VALUES ($1, $2, 'patient', $3, 'hello?', $4)", ep, patient.id, f"old-{i}",
            datetime.now(UTC) - timedelta(hours=hours))
    [mine] = await threads(client, ht)
    assert mine["reply"]["overdue"] is True  # the oldest unanswered message sets the clock
    assert abs(datetime.fromisoformat(mine["reply"]["due_at"]) - (old + timedelta(hours=48))) < timedelta(seconds=5)
    assert (await send(client, ep, ht, "Sorry for the delay.", "t-1")).status == 201
    assert (await threads(client, ht))[0]["reply"]["awaiting"] is False


async def test_only_the_episodes_patient_and_therapist_write(client, people: People, pool) -> None:
    patient, therapist, ep = await care_pair(people, pool)
    other_patient, other_therapist, other_ep = await care_pair(people, pool)
    supervisor = await people.user(Role.SUPERVISOR)
    admin = await people.user(Role.ADMIN)
    assert (await send(client, ep, await auth_for(pool, patient), "hi", "a")).status == 201

    for who in (other_patient, other_therapist):
        h = await auth_for(pool, who)
        err = await error_of(await client.get(f"/api/inbox/threads/{ep}", headers=h), "read", 403)
        assert err["code"] == "forbidden"
        await error_of(await send(client, ep, h, "hi", "x"), "send", 403)
        await error_of(await client.post(f"/api/inbox/threads/{ep}/read", headers=h), "mark", 403)
        assert [t["id"] for t in await threads(client, h)] == [other_ep]
    assert await pool.fetchval("SELECT count(*) FROM audit_log WHERE action = 'denied_read'") >= 2

    hs = await auth_for(pool, supervisor)
    assert (await client.get(f"/api/inbox/threads/{ep}", headers=hs)).status == 200
    assert [t["id"] for t in await threads(client, hs)] == [ep]  # threads with messages
    err = await error_of(await send(client, ep, hs, "hi", "s"), "supervisor send", 403)
    assert "oversight" in err["message"]
    ha = await auth_for(pool, admin)
    await error_of(await client.get("/api/inbox/threads", headers=ha), "admin list", 403)
    await error_of(await client.get(f"/api/inbox/threads/{ep}", headers=ha), "admin read", 403)
    await error_of(await client.get("/api/inbox/threads"), "nobody", 401)

    # A closed episode can be read by its parties, not written in.
    await pool.execute("UPDATE episodes SET status = $2, closed_at = now() WHERE id = $1",
                       ep, EpisodeStatus.DISCHARGED.value)
    hp = await auth_for(pool, patient)
    err = await error_of(await send(client, ep, hp, "one more", "b"), "closed", 403)
    assert "closed" in err["message"]
    assert (await client.get(f"/api/inbox/threads/{ep}", headers=hp)).status == 200
    [closed] = await threads(client, await auth_for(pool, therapist))
    assert closed["open"] is False and closed["can_write"] is False and closed["reply"]["awaiting"] is False


async def test_bad_input_is_a_clear_4xx(client, people: People, pool) -> None:
    patient, therapist, ep = await care_pair(people, pool)
    hp = await auth_for(pool, patient)
    url = f"/api/inbox/threads/{ep}/messages"
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        ("malformed JSON", {"data": b'{"text": ', "headers": JSON}, 400, "bad_json"),
        ("no content type", {"data": b"{}"}, 415, "unsupported_media_type"),
        ("array", {"json": []}, 422, "invalid_field"),
        ("text not a string", {"json": {"client_id": "a", "text": 5}}, 422, "invalid_field"),
        ("client_id a number", {"json": {"client_id": 5, "text": "hi"}}, 422, "invalid_field"),
        ("client_id with a space", {"json": {"client_id": "a b", "text": "hi"}}, 422, "invalid_field"),
        ("client_id too long", {"json": {"client_id": "a" * 65, "text": "hi"}}, 422, "invalid_field"),
        ("missing text", {"json": {"client_id": "a"}}, 422, "invalid_field"),
        ("extra field", {"json": {"client_id": "a", "text": "hi", "urgent": True}}, 422, "invalid_field"),
        ("empty text", {"json": {"client_id": "a", "text": "  \n"}}, 422, "invalid_field"),
        ("NUL in text", {"json": {"client_id": "a", "text": "a\x00b"}}, 422, "invalid_field"),
        ("text too long", {"json": {"client_id": "a", "text": "x" * 4001}}, 413, "too_large"),
        ("body too large", {"data": b'{"text": "' + b"a" * BIG + b'"}', "headers": JSON}, 413, "too_large"),
    ]
    for label, kwargs, status, code in cases:
        headers = {**kwargs.pop("headers", {}), **hp}
        err = await error_of(await client.post(url, headers=headers, **kwargs), label, status)
        assert err["code"] == code, f"{label}: {err}"
    assert await pool.fetchval("SELECT count(*) FROM inbox_messages") == 0

    assert (await send(client, ep, hp, "x" * 4000, "max")).status == 201  # exactly the limit is fine
    err = await error_of(await send(client, ep, hp, "something else", "max"), "reused client id", 409)
    assert "client_id" in err["message"]
    err = await error_of(await client.get("/api/inbox/threads/999999", headers=hp), "unknown", 404)
    assert err["code"] == "not_found"
    await error_of(await send(client, 999999, hp, "hi", "z"), "unknown send", 404)
    await error_of(await client.get("/api/inbox/threads/abc", headers=hp), "not a number", 400)
    for query in ("limit=0", "limit=201", "before=x", "after=-1", "before=5&after=1"):
        await error_of(await client.get(f"/api/inbox/threads/{ep}?{query}", headers=hp), query, 400)
    await error_of(await client.post(f"/api/inbox/threads/{ep}/read", json={"up_to": "1"}, headers=hp), "up_to", 422)


async def test_pages_back_from_the_newest_and_forward_after_an_id(client, people: People, pool) -> None:
    patient, therapist, ep = await care_pair(people, pool)
    hp, ht = await auth_for(pool, patient), await auth_for(pool, therapist)
    ids = []
    for i in range(7):
        resp = await send(client, ep, hp if i % 2 else ht, f"message {i}", f"c{i}")
        ids.append((await resp.json())["message"]["id"])
    url = f"/api/inbox/threads/{ep}"
    got, before = [], ""
    while True:
        page = await (await client.get(f"{url}?limit=3{before}", headers=hp)).json()
        got = [m["id"] for m in page["messages"]] + got
        if page["next_before"] is None:
            break
        before = f"&before={page['next_before']}"
    assert got == ids
    page = await (await client.get(f"{url}?after={ids[2]}&limit=2", headers=hp)).json()
    assert [m["id"] for m in page["messages"]] == ids[3:5] and page["next_after"] == ids[4]


async def test_postgresql_refuses_what_the_rules_refuse(people: People, pool) -> None:
    patient, therapist, ep = await care_pair(people, pool)
    stranger = await people.user(Role.PATIENT)
    insert = ("INSERT INTO inbox_messages (episode_id, sender_id, sender_role, client_id, body)"
              " VALUES ($1, $2, $3, $4, $5)")
    await pool.execute(insert, ep, patient.id, "patient", "ok", "hello")
    with pytest.raises(asyncpg.CheckViolationError, match="not the patient"):
        await pool.execute(insert, ep, stranger.id, "patient", "s", "hello")
    with pytest.raises(asyncpg.CheckViolationError, match="not the therapist"):
        await pool.execute(insert, ep, patient.id, "therapist", "t", "hello")
    with pytest.raises(asyncpg.UniqueViolationError):
        await pool.execute(insert, ep, patient.id, "patient", "ok", "hello again")
    with pytest.raises(asyncpg.CheckViolationError):
        await pool.execute(insert, ep, patient.id, "patient", "long", "x" * 4001)
    with pytest.raises(asyncpg.CheckViolationError):
        await pool.execute(insert, ep, patient.id, "patient", "bad id!", "hello")
    with pytest.raises(asyncpg.RaiseError, match="immutable"):
        await pool.execute("UPDATE inbox_messages SET body = 'edited'")
    await pool.execute("UPDATE episodes SET status = 'discharged', closed_at = now() WHERE id = $1", ep)
    with pytest.raises(asyncpg.CheckViolationError, match="closed"):
        await pool.execute(insert, ep, patient.id, "patient", "late", "hello")
    # Only patient messages wait for the screener.
    assert await pool.fetchval("SELECT count(*) FROM inbox_screening") == 0  # inserted around store_message
    await pool.execute("UPDATE episodes SET status = 'treatment', closed_at = NULL WHERE id = $1", ep)
    await inbox_store.store_message(pool, ep, therapist.id, Role.THERAPIST, "t1", "reply")
    await inbox_store.store_message(pool, ep, patient.id, Role.PATIENT, "p1", "thanks")
    assert await pool.fetchval("SELECT count(*) FROM inbox_screening WHERE screened_at IS NULL") == 1


async def test_a_risky_message_between_sessions_opens_an_urgent_alert(risk_client, people: People, pool) -> None:  # noqa: F811
    client, cfg = risk_client
    await setup_rota(people, pool)
    patient, therapist, ep = await care_pair(people, pool)
    supervisor = await people.user(Role.SUPERVISOR, "Sue")
    hp = await auth_for(pool, patient)
    resp = await send(client, ep, hp, "ive saved up my tablets and tonight is the night", "r1")
    assert resp.status == 201  # answered before any screening
    risky = (await resp.json())["message"]["id"]
    assert (await send(client, ep, hp, "this homework is killing me lol", "r2")).status == 201
    assert await pool.fetchval("SELECT count(*) FROM risk_alerts") == 0

    assert await screen(cfg, pool) == 2  # the worker's pass, with the real screener
    rows = await pool.fetch("SELECT * FROM risk_alerts")
    assert len(rows) == 1
    alert = rows[0]
    assert (alert["inbox_message_id"], alert["source"], alert["severity"]) == (risky, "message", "urgent")
    assert alert["appointment_id"] is None and alert["patient_id"] == patient.id
    assert alert["category"] == "suicide_plan_or_intent" and alert["route_kind"] == "on_call"
    assert await screen(cfg, pool) == 0  # screened once
    await pool.execute("UPDATE inbox_screening SET screened_at = NULL")  # a pass repeated after a crash
    assert await screen(cfg, pool) == 2
    assert await pool.fetchval("SELECT count(*) FROM risk_alerts") == 1  # no second alert

    # The supervisor's dashboard lists it with its thread, and the patient is shown crisis contacts.
    resp = await client.get("/api/alerts", headers=await auth_for(pool, supervisor))
    [listed] = (await resp.json())["alerts"]
    assert listed["inbox_message_id"] == risky and listed["inbox_thread_id"] == ep
    assert listed["therapist_name"] == "Asha" and listed["source"] == "message"
    page = await (await client.get(f"/api/inbox/threads/{ep}", headers=hp)).json()
    assert page["risk_notice"]["audience"] == "patient"
    assert any("116 123" in c["contact"] for c in page["risk_notice"]["crisis_contacts"])
    page = await (await client.get(f"/api/inbox/threads/{ep}", headers=await auth_for(pool, therapist))).json()
    assert page["risk_notice"]["audience"] == "therapist"


@pytest.mark.parametrize("roles", ["", "t", "p", "pp", "pt", "tp", "ptp", "pptpp", "ptpt", "tpptt", "ppptp"])
async def test_the_listed_reply_clock_is_the_pure_rules(people: People, pool, roles: str) -> None:  # type: ignore[no-untyped-def]
    """storage.inbox computes `waiting_since` in SQL for every thread it lists;
    clinical.inbox.first_unanswered is the rule. Both read the same thread the same way."""
    from clinical.inbox import Sent, first_unanswered

    patient, therapist, ep = await care_pair(people, pool)
    start = datetime.now(UTC) - timedelta(hours=len(roles) + 1)
    thread = []
    for i, r in enumerate(roles):
        sender, role = (patient, Role.PATIENT) if r == "p" else (therapist, Role.THERAPIST)
        at = start + timedelta(hours=i)
        await pool.execute(
            "INSERT INTO inbox_messages (episode_id, sender_id, sender_role, client_id, body, created_at)"
            " VALUES ($1, $2, $3, $4, 'a line', $5)", ep, sender.id, role.value, f"m-{i}", at)
        thread.append(Sent(role, at))
    summary = await inbox_store.thread_summary(pool, ep, therapist.id)
    assert summary is not None
    assert summary.waiting_since == first_unanswered(thread)
