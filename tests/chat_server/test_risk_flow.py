"""Risk end to end in one process: screening after store, notices, alerts API, escalation by the worker."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from redis.asyncio import Redis

from chat_server import jobs
from chat_server.app import create_app
from chat_server.config import Config
from chat_server.screening import Screener
from chat_server.storage import risk as risk_store
from chat_server.storage import transcripts
from clinical.calendar import week_start
from clinical.records import Role
from clinical.risk import Source
from tests.chat_server.wsclient import WsClient
from tests.conftest import People, bearer, login

LONDON = ZoneInfo("Europe/London")


def offset_to(target_london: datetime) -> float:
    """Clock offset that makes risk routing see `target_london` now."""
    return (target_london.replace(tzinfo=LONDON) - datetime.now(UTC)).total_seconds()


# A Saturday at noon: on-call hours, no office.
SATURDAY_NOON = datetime(2027, 1, 9, 12, 0)
# A Sunday at 23:00: nobody clinical on duty.
SUNDAY_NIGHT = datetime(2027, 1, 10, 23, 0)


async def setup_rota(people: People, pool) -> tuple:
    primary = await people.user(Role.SUPERVISOR, "Primary Pia")
    backup = await people.user(Role.SUPERVISOR, "Backup Bob")
    lead = await people.user(Role.SUPERVISOR, "Lead Lin", lead=True)
    for d in (SATURDAY_NOON, SUNDAY_NIGHT + timedelta(days=1), datetime.now(UTC)):
        await risk_store.set_week(pool, week_start(d.date()), primary.id, backup.id)
    return primary, backup, lead


@pytest.fixture
async def risk_client(aiohttp_client, services, pool):  # type: ignore[no-untyped-def]
    cfg = Config(database_url=services.database_url, redis_url=services.redis_url,
                 risk_clock_offset_seconds=offset_to(SATURDAY_NOON), ack_timeout_seconds=60)
    return await aiohttp_client(create_app(cfg)), cfg


async def session_pair(client, people: People):
    patient = await people.user(Role.PATIENT, "Pat")
    therapist = await people.user(Role.THERAPIST, "Asha")
    appt = await people.appointment(patient, therapist, live=True)
    tp, tt = await login(client, patient), await login(client, therapist)
    client.session.cookie_jar.clear()
    url = str(client.make_url("/ws"))
    p, t = await WsClient.connect(client.session, url, tp), await WsClient.connect(client.session, url, tt)
    await p.join(appt.id)
    await t.join(appt.id)
    return appt, p, t, patient, therapist


async def screen(cfg: Config, pool) -> int:
    """One screening pass, as the worker runs it after a patient message is stored."""
    redis = Redis.from_url(cfg.redis_url)
    try:
        return await jobs.screen_pending(cfg, pool, redis, Screener())
    finally:
        await redis.aclose()


async def wait_for_alert(pool, n: int = 1) -> list:
    return list(await pool.fetch("SELECT * FROM risk_alerts ORDER BY id"))


async def test_patient_message_raises_alert_and_both_see_notices(risk_client, people: People, pool) -> None:
    client, cfg = risk_client
    primary, backup, lead = await setup_rota(people, pool)
    appt, p, t, patient, _ = await session_pair(client, people)
    await p.say("i've saved up my tablets and i'm going to take them all tonight")
    await p.expect("ack")
    assert await screen(cfg, pool) == 1
    notice = await p.expect("risk")
    assert notice["audience"] == "patient"
    assert any("116 123" in c["contact"] for c in notice["crisis_contacts"])
    banner = await t.expect("risk")
    assert banner["audience"] == "therapist"
    assert banner["category"] == "suicide_plan_or_intent"
    rows = await wait_for_alert(pool)
    assert len(rows) == 1
    alert = rows[0]
    assert alert["patient_id"] == patient.id
    assert alert["appointment_id"] == appt.id
    assert alert["severity"] == "urgent"
    assert alert["route_kind"] == "on_call"
    assert "tablets" in " ".join(alert["triggers"])
    assert await screen(cfg, pool) == 0  # screened once


async def test_figures_of_speech_raise_nothing(risk_client, people: People, pool) -> None:
    client, cfg = risk_client
    await setup_rota(people, pool)
    _, p, t, _, _ = await session_pair(client, people)
    for text in ("this homework is killing me", "I'm not suicidal, just tired", "I used to self-harm years ago"):
        await p.say(text)
        await p.expect("ack")
    assert await screen(cfg, pool) == 3
    await asyncio.sleep(0.3)
    assert await pool.fetchval("SELECT count(*) FROM risk_alerts") == 0
    assert not [f for f in p.frames + t.frames if f["type"] == "risk"]


async def test_worker_notifies_then_escalates_to_backup_then_lead(risk_client, people: People, pool) -> None:
    client, cfg = risk_client
    primary, backup, lead = await setup_rota(people, pool)
    _, p, _, _, _ = await session_pair(client, people)
    await p.say("i want to kill myself")
    await p.expect("ack")
    await screen(cfg, pool)
    (alert,) = await wait_for_alert(pool)
    redis = Redis.from_url(cfg.redis_url)
    try:
        assert await jobs.escalate(cfg, pool, redis) == 1
        mail = await pool.fetch("SELECT recipient, subject, body FROM mail_outbox ORDER BY id")
        assert [m["recipient"] for m in mail] == [primary.email]
        assert "Pat" not in mail[0]["body"]  # no patient details by e-mail
        assert await jobs.escalate(cfg, pool, redis) == 0  # nothing more is due yet
        # Time passes with nobody acknowledging: the backup, then the lead.
        later = Config(**{**cfg.__dict__, "risk_clock_offset_seconds": cfg.risk_clock_offset_seconds + 61})
        assert await jobs.escalate(later, pool, redis) == 1
        later2 = Config(**{**cfg.__dict__, "risk_clock_offset_seconds": cfg.risk_clock_offset_seconds + 121})
        assert await jobs.escalate(later2, pool, redis) == 1
        mail = await pool.fetch("SELECT recipient, subject FROM mail_outbox ORDER BY id")
        assert [m["recipient"] for m in mail] == [primary.email, backup.email, lead.email]
        assert mail[1]["subject"].startswith("ESCALATED")
        # Acknowledging stops the escalation.
        token = await login(client, backup)
        resp = await client.post(f"/api/alerts/{alert['id']}/acknowledge", headers=bearer(token))
        assert resp.status == 200
        body = await resp.json()
        assert body["status"] == "acknowledged"
        assert body["acknowledged_by_name"] == "Backup Bob"
        much_later = Config(**{**cfg.__dict__, "risk_clock_offset_seconds": cfg.risk_clock_offset_seconds + 3600})
        assert await jobs.escalate(much_later, pool, redis) == 0
        actions = [e["action"] for e in body["timeline"]]
        assert actions == ["opened", "notified", "escalated", "escalated", "acknowledged"]
    finally:
        await redis.aclose()


async def test_out_of_hours_waits_for_next_on_call_and_shows_crisis_contacts(aiohttp_client, services, people, pool) -> None:
    cfg = Config(database_url=services.database_url, redis_url=services.redis_url,
                 risk_clock_offset_seconds=offset_to(SUNDAY_NIGHT))
    client = await aiohttp_client(create_app(cfg))
    primary, _, _ = await setup_rota(people, pool)
    _, p, _, _, _ = await session_pair(client, people)
    await p.say("i keep thinking everyone would be better off without me")
    await p.expect("ack")
    await screen(cfg, pool)
    notice = await p.expect("risk")
    assert len(notice["crisis_contacts"]) >= 4
    (alert,) = await wait_for_alert(pool)
    assert alert["route_kind"] == "out_of_hours"
    # Monday 08:00 London is when the on-call period starts (office opens at 09:00).
    assert alert["deliver_at"] == datetime(2027, 1, 11, 8, 0, tzinfo=LONDON)
    redis = Redis.from_url(cfg.redis_url)
    try:
        assert await jobs.escalate(cfg, pool, redis) == 0
    finally:
        await redis.aclose()


async def test_alert_actions_and_roles(risk_client, people: People, pool) -> None:
    client, _ = risk_client
    primary, _, _ = await setup_rota(people, pool)
    _, p, t, patient, therapist = await session_pair(client, people)
    await t.send({"type": "flag_risk", "category": "domestic_abuse", "note": "partner checks her phone and hits her"})
    banner = await t.expect("risk")
    assert banner["category"] == "domestic_abuse"
    (alert,) = await wait_for_alert(pool)
    assert alert["source"] == "manual"
    assert alert["raised_by"] == therapist.id
    sup = await login(client, primary)
    client.session.cookie_jar.clear()
    listed = await (await client.get("/api/alerts", headers=bearer(sup))).json()
    assert [a["id"] for a in listed["alerts"]] == [alert["id"]]
    # Therapists and patients cannot see or act on the alert queue.
    tt = await login(client, therapist)
    client.session.cookie_jar.clear()
    assert (await client.get("/api/alerts", headers=bearer(tt))).status == 403
    assert (await client.post(f"/api/alerts/{alert['id']}/acknowledge", headers=bearer(tt))).status == 403
    resp = await client.post(f"/api/alerts/{alert['id']}/notes", headers=bearer(sup), json={"note": "called the patient"})
    assert resp.status == 200
    resp = await client.post(f"/api/alerts/{alert['id']}/resolve", headers=bearer(sup), json={"note": "safety plan agreed"})
    assert (await resp.json())["status"] == "resolved"
    resp = await client.post(f"/api/alerts/{alert['id']}/acknowledge", headers=bearer(sup))
    assert resp.status == 409
    assert (await client.post("/api/alerts/999/acknowledge", headers=bearer(sup))).status == 404
    timeline = (await resp.json())
    assert "resolved" in timeline["error"]["message"]


async def test_dashboard_socket_gets_snapshot_and_live_alerts(risk_client, people: People, pool) -> None:
    client, cfg = risk_client
    primary, _, _ = await setup_rota(people, pool)
    sup = await login(client, primary)
    client.session.cookie_jar.clear()
    dash = await client.session.ws_connect(str(client.make_url("/ws/alerts")), headers=bearer(sup))
    snap = await dash.receive_json(timeout=5)
    assert snap == {"type": "snapshot", "alerts": []}
    _, p, _, _, _ = await session_pair(client, people)
    await p.say("im going to jump off the bridge tonight")
    await p.expect("ack")
    await screen(cfg, pool)
    pushed = await dash.receive_json(timeout=5)
    assert pushed["type"] == "alert"
    assert pushed["alert"]["severity"] == "urgent"
    assert pushed["alert"]["patient_name"] == "Pat"
    await dash.close()


async def test_patient_cannot_open_the_dashboard_socket(risk_client, people: People) -> None:
    client, _ = risk_client
    patient = await people.user(Role.PATIENT)
    token = await login(client, patient)
    dash = await client.session.ws_connect(str(client.make_url("/ws/alerts")), headers=bearer(token))
    assert (await dash.receive_json(timeout=5))["code"] == "forbidden"
    await dash.receive(timeout=5)
    assert dash.close_code == 4003


async def test_screening_survives_the_web_process_and_skips_therapist_messages(risk_client, people: People, pool) -> None:
    """Messages stored with no web process left to care are screened all the same."""
    _, cfg = risk_client
    await setup_rota(people, pool)
    patient = await people.user(Role.PATIENT)
    therapist = await people.user(Role.THERAPIST)
    appt = await people.appointment(patient, therapist, live=True)

    async with pool.acquire() as conn:
        await transcripts.append(conn, [
            transcripts.NewMessage(appt.id, "x1", patient.id, "patient", "i cut myself again last night", None),
            transcripts.NewMessage(appt.id, "x2", therapist.id, "therapist", "thank you for telling me", None),
        ])
    assert await screen(cfg, pool) == 1
    assert await screen(cfg, pool) == 0
    assert await pool.fetchval("SELECT screened_seq FROM screening_marks WHERE appointment_id = $1", appt.id) == 2
    (alert,) = await pool.fetch("SELECT * FROM risk_alerts")
    assert alert["category"] == "self_harm"
    assert alert["seq"] == 1


async def test_screeners_split_the_sessions_between_them(risk_client, people: People, pool) -> None:
    """Run N screeners with shards 0/N .. N-1/N: each screens its own sessions, none twice."""
    _, cfg = risk_client
    await setup_rota(people, pool)
    appts = []
    for text in ("i cut myself again last night", "i took all my tablets an hour ago"):
        patient, therapist = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
        appt = await people.appointment(patient, therapist, live=True)
        appts.append(appt)
        async with pool.acquire() as conn:
            await transcripts.append(conn, [transcripts.NewMessage(appt.id, "x1", patient.id, "patient", text, None)])
    a, b = (x.id for x in appts)
    n = abs(a - b) + 1  # a and b fall in different shards
    first = replace(cfg, screener_shard=f"{a % n}/{n}")
    assert await screen(first, pool) == 1
    assert await screen(first, pool) == 0
    assert [r["appointment_id"] for r in await pool.fetch("SELECT appointment_id FROM risk_alerts")] == [a]
    assert await screen(replace(cfg, screener_shard=f"{b % n}/{n}"), pool) == 1
    assert sorted(r["appointment_id"] for r in await pool.fetch("SELECT appointment_id FROM risk_alerts")) == [a, b]
    assert await screen(cfg, pool) == 0  # the default share (0/1) sees both: nothing left


class EncoderDown(Screener):
    """A screener whose learned layer fails (the rules are pure code and cannot)."""

    def __init__(self) -> None:
        super().__init__(use_model=False)

    def screen_many(self, texts, source=Source.SESSION, rules=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("encoder crashed")


async def test_rule_hits_are_raised_before_the_encoder_runs(risk_client, people: People, pool) -> None:
    """The rules go first over the whole pass: their alerts do not wait for (or depend on)
    the encoder. A failed pass leaves the mark where it was, so it is all screened again,
    and the alert is not doubled."""
    _, cfg = risk_client
    await setup_rota(people, pool)
    patient, therapist = await people.user(Role.PATIENT), await people.user(Role.THERAPIST)
    appt = await people.appointment(patient, therapist, live=True)
    async with pool.acquire() as conn:
        await transcripts.append(conn, [
            transcripts.NewMessage(appt.id, "x1", patient.id, "patient", "the homework went fine this week", None),
            transcripts.NewMessage(appt.id, "x2", patient.id, "patient", "i took all my tablets an hour ago", None),
        ])
    redis = Redis.from_url(cfg.redis_url)
    try:
        with pytest.raises(RuntimeError, match="encoder crashed"):
            await jobs.screen_pending(cfg, pool, redis, EncoderDown())
    finally:
        await redis.aclose()
    (alert,) = await pool.fetch("SELECT * FROM risk_alerts")
    assert (alert["seq"], alert["severity"]) == (2, "urgent")
    marks = await pool.fetchrow("SELECT ruled_seq, screened_seq FROM screening_marks WHERE appointment_id = $1", appt.id)
    assert (marks["ruled_seq"], marks["screened_seq"]) == (2, 0)  # the rules are done, the encoder is not
    assert await screen(cfg, pool) == 2
    assert await pool.fetchval("SELECT count(*) FROM risk_alerts") == 1
