"""Realistic mixed load for locust (gevent): live typed sessions plus HTTP readers.

All in one (local platform, accounts, this scenario headless, summary):

    python -m loadtests.run_locust --web 2 --users 200 --time 2m

Setup (accounts and live sessions, against the same DATABASE_URL as the web processes):

    python -m loadtests.setup_data --pairs 200 --out loadtests/accounts.json

Run headless against several local web processes (ports 8080, 8081 by `cbt dev --web 2`):

    CBT_WEB_HOSTS=http://127.0.0.1:8080,http://127.0.0.1:8081 \
    locust -f loadtests/locustfile.py --headless -u 260 -r 50 -t 2m --host http://127.0.0.1:8080

User classes (weights set the mix of `-u`):

* `LiveSession` -- one therapist/patient pair in a live session, the two WebSockets on
  different web processes. They take turns: typing indicators while "typing" at
  human speed, then a `send`; the other side sends a read receipt when it sees the
  message. Custom metrics (type `WS`): `delivery` = sender's send -> the other side's
  receipt of the `msg` (same process clock), `ack` = send -> `ack`, `join` = hello ->
  replayed; errors (`rate_limited`, `overloaded`, lost/doubled/out-of-order) are failures.
* `TranscriptReader` -- a patient or therapist listing sessions and reading transcripts.
* `Supervisor` -- polls the dashboard endpoints (`/api/sessions`, `/api/alerts`; a 404
  from an endpoint that does not exist yet counts as success).
* `BetweenSessions` -- a patient and their therapist messaging between sessions over HTTP
  (`/api/inbox/...`, README "Messages between sessions"): the patient writes (now and then
  resending, which must return the stored message with `duplicate`) and reads the thread;
  the therapist lists their threads, opens those awaiting a reply, replies and marks them read.

Environment: LOCUST_ACCOUNTS (default loadtests/accounts.json), CBT_WEB_HOSTS (comma-
separated base URLs; default the --host), CBT_TYPING_CPS (typing speed, chars/s,
default 6), CBT_THINK_MIN / CBT_THINK_MAX (pause before typing, default 2 / 8 s).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid
from typing import Any

import gevent
from locust import FastHttpUser, User, between, events, task
from locust.exception import StopUser

from loadtests.client import SyncPeer

ACCOUNTS = os.environ.get("LOCUST_ACCOUNTS", "loadtests/accounts.json")
TYPING_CPS = float(os.environ.get("CBT_TYPING_CPS", "6"))
THINK = (float(os.environ.get("CBT_THINK_MIN", "2")), float(os.environ.get("CBT_THINK_MAX", "8")))
LINES = [
    "I noticed my thoughts racing again before the meeting.",
    "What was the first thought that went through your mind?",
    "That they would all think I was useless.",
    "How strongly did you believe that, from 0 to 100?",
    "About 80 at the time, maybe 50 now.",
    "What evidence do you have for and against it?",
    "My manager thanked me afterwards, so maybe it went better than I thought.",
    "Let's write that down as an alternative thought.",
    "I slept badly on Sunday and felt anxious all of Monday morning.",
    "Shall we plan a small behavioural experiment for this week?",
]

_data: dict[str, Any] | None = None
_pairs: Any = None
_rooms: Any = None


def accounts() -> dict[str, Any]:
    global _data, _pairs, _rooms
    if _data is None:
        with open(ACCOUNTS) as f:
            _data = json.load(f)
        if not _data["pairs"]:
            raise SystemExit(f"{ACCOUNTS} has no sessions; run python -m loadtests.setup_data first")
        _pairs = iter(_data["pairs"])  # one LiveSession per session: a second join would replace the first
        _rooms = itertools.cycle(_data["pairs"])
    return _data


def ws_urls(host: str) -> list[str]:
    hosts = [h.strip() for h in os.environ.get("CBT_WEB_HOSTS", host).split(",") if h.strip()]
    return [h.rstrip("/").replace("http://", "ws://").replace("https://", "wss://") + "/ws" for h in hosts]


def fire(name: str, started: float, ms: float | None = None, exc: BaseException | None = None, length: int = 0) -> None:
    events.request.fire(
        request_type="WS", name=name, response_time=(time.monotonic() - started) * 1000.0 if ms is None else ms,
        response_length=length, exception=exc, context={},
    )


class ProtocolFailure(Exception):
    pass


class LiveSession(User):
    """A therapist and a patient in one live session, on different web processes."""

    weight = 10
    wait_time = between(0, 0)

    def on_start(self) -> None:
        accounts()
        pair = next(_pairs, None)
        if pair is None:
            fire("join", time.monotonic(), 0, ProtocolFailure(f"more LiveSession users than sessions in {ACCOUNTS}"))
            raise StopUser()
        urls = ws_urls(self.host or "http://127.0.0.1:8080")
        k = random.randrange(len(urls))
        self.room = int(pair["room"])
        self.sent: dict[str, float] = {}  # client_id -> send time (monotonic), until delivered
        self.ack_wait: dict[str, float] = {}  # client_id -> send time, until acked
        self.peers: dict[str, SyncPeer] = {}
        for i, side in enumerate(("therapist", "patient")):
            who = pair[side]
            t0 = time.monotonic()
            try:
                peer = SyncPeer(urls[(k + i) % len(urls)], who["token"], self.room, int(who["id"]))
                peer.join()
            except Exception as e:
                fire("join", t0, exc=e)
                raise StopUser() from e
            fire("join", t0)
            self.peers[side] = peer
        self.readers = [gevent.spawn(self._read, side, peer) for side, peer in self.peers.items()]

    def on_stop(self) -> None:
        for g in getattr(self, "readers", []):
            g.kill(block=False)
        for p in getattr(self, "peers", {}).values():
            p.close()

    def _read(self, side: str, peer: SyncPeer) -> None:
        """Everything one participant receives: deliveries, acks, typing, receipts, errors."""
        while True:
            try:
                obj = peer.recv()
            except Exception as e:
                fire("connection", time.monotonic(), 0, ProtocolFailure(f"{side} connection lost: {e!r}"))
                return
            if obj is None:
                continue
            typ = obj.get("type")
            t = time.monotonic()
            if typ == "msg":
                seq = obj["seq"]
                if seq <= peer.last_seq:
                    fire("delivery", t, 0, ProtocolFailure("doubled (seq already seen)"))
                    continue
                if seq != peer.last_seq + 1:
                    fire("delivery", t, 0, ProtocolFailure("gap: a seq was skipped (lost or out of order)"))
                peer.last_seq = seq
                if obj["sender"] != peer.user:
                    started = self.sent.pop(obj["client_id"], None)
                    if started is not None:
                        fire("delivery", t, (t - started) * 1000.0, length=len(obj.get("text", "")))
                    # the reader has seen it: read receipt
                    try:
                        peer.send({"type": "read", "seq": seq})
                    except Exception:
                        pass
            elif typ == "ack":
                cid = obj["client_id"]
                if obj["seq"] > peer.last_seq and not obj.get("duplicate"):  # in place of our own msg
                    if obj["seq"] != peer.last_seq + 1:
                        fire("delivery", t, 0, ProtocolFailure("gap: a seq was skipped (lost or out of order)"))
                    peer.last_seq = obj["seq"]
                started = self.ack_wait.pop(cid, None)
                if started is not None:
                    fire("ack", t, (t - started) * 1000.0)
            elif typ == "error":
                fire(f"error:{obj.get('code')}", t, 0, ProtocolFailure(str(obj.get("message"))))

    @task
    def converse(self) -> None:
        """One turn: the speaker thinks, types (typing signals every 2 s), sends."""
        side = random.choice(("therapist", "patient"))
        peer = self.peers[side]
        gevent.sleep(random.uniform(*THINK))
        text = random.choice(LINES)
        typing_for = len(text) / TYPING_CPS
        end = time.monotonic() + typing_for
        while time.monotonic() < end:
            peer.send({"type": "typing"})
            gevent.sleep(min(2.0, max(0.0, end - time.monotonic())))
        cid = uuid.uuid4().hex
        t = time.monotonic()
        self.sent[cid] = t
        self.ack_wait[cid] = t
        try:
            peer.send({"type": "send", "client_id": cid, "text": text})
        except Exception as e:
            fire("send", t, exc=e)
            raise StopUser() from e
        # judge delivery after a generous deadline: still missing = lost
        gevent.spawn_later(10.0, self._check_delivered, cid)

    def _check_delivered(self, cid: str) -> None:
        if self.ack_wait.pop(cid, None) is not None:
            fire("ack", time.monotonic(), 10000.0, ProtocolFailure("not acked within 10 s"))
        if self.sent.pop(cid, None) is not None:
            fire("delivery", time.monotonic(), 10000.0, ProtocolFailure("not delivered within 10 s"))


class TranscriptReader(FastHttpUser):
    """A patient or therapist looking back at sessions over HTTP."""

    weight = 2
    wait_time = between(5, 15)

    def on_start(self) -> None:
        accounts()
        pair = next(_rooms)
        who = pair[random.choice(("therapist", "patient"))]
        self.room = pair["room"]
        self.auth = {"Authorization": f"Bearer {who['token']}"}

    @task(1)
    def sessions(self) -> None:
        self.client.get("/api/sessions", headers=self.auth, name="/api/sessions")

    @task(3)
    def transcript(self) -> None:
        after = 0
        for _ in range(5):  # page through, as the transcript view does
            with self.client.get(f"/api/sessions/{self.room}/transcript?after={after}&limit=100", headers=self.auth,
                                 name="/api/sessions/{id}/transcript", catch_response=True) as r:
                if r.status_code != 200:
                    r.failure(f"HTTP {r.status_code}")
                    return
                nxt = r.json().get("next_after")
            if nxt is None:
                return
            after = nxt


class Supervisor(FastHttpUser):
    """A supervisor's dashboard, polling."""

    weight = 1
    wait_time = between(3, 6)

    def on_start(self) -> None:
        data = accounts()
        sups = data.get("supervisors") or []
        if not sups:
            raise StopUser()
        self.auth = {"Authorization": f"Bearer {random.choice(sups)['token']}"}

    @task(3)
    def sessions(self) -> None:
        self.client.get("/api/sessions", headers=self.auth, name="/api/sessions (supervisor)")

    @task(1)
    def alerts(self) -> None:
        with self.client.get("/api/alerts", headers=self.auth, name="/api/alerts", catch_response=True) as r:
            if r.status_code in (200, 404):  # 404: the alerts endpoint is not deployed yet
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}")


INBOX_LINES = [
    "I did the thought record on Tuesday; the hot thought was that I'd mess up the call.",
    "Thanks for today. I found the evidence column hard on my own.",
    "Could we look at the sleep diary next time? It went badly this week.",
    "I tried the behavioural experiment and it went better than I predicted.",
]
REPLY_LINES = [
    "Well done for trying it. What did you notice about your prediction afterwards?",
    "Thanks for letting me know. Bring the diary and we'll go through it together.",
    "That sounds hard. Let's make the evidence column the first item on our agenda.",
]


class BetweenSessions(FastHttpUser):
    """A patient and their therapist writing to each other between appointments (HTTP)."""

    weight = 2
    wait_time = between(5, 15)

    def on_start(self) -> None:
        accounts()
        pair = next(_rooms)
        self.thread = pair["episode"]
        self.patient = {"Authorization": f"Bearer {pair['patient']['token']}"}
        self.therapist = {"Authorization": f"Bearer {pair['therapist']['token']}"}
        self.patient_writes()  # the patient arrives with something to say

    def _post(self, path: str, auth: dict[str, str], body: dict[str, object], name: str, ok: tuple[int, ...]) -> Any:
        with self.client.post(path, json=body, headers=auth, name=name, catch_response=True) as r:
            if r.status_code not in ok:
                r.failure(f"HTTP {r.status_code}: {r.text[:200] if r.text else ''}")
                return None
            return r.json()

    @task(3)
    def patient_writes(self) -> None:
        cid = uuid.uuid4().hex
        body = {"client_id": cid, "text": random.choice(INBOX_LINES)}
        path, name = f"/api/inbox/threads/{self.thread}/messages", "/api/inbox/threads/{id}/messages"
        sent = self._post(path, self.patient, body, name, (201,))
        if sent is not None and random.random() < 0.2:  # the answer was lost: resend the same message
            again = self._post(path, self.patient, body, name + " (resend)", (200,))
            if again is not None and (not again["duplicate"] or again["message"]["id"] != sent["message"]["id"]):
                fire("inbox resend", time.monotonic(), 0, ProtocolFailure("a resend was stored twice"))

    @task(2)
    def patient_reads(self) -> None:
        self.client.get("/api/inbox/threads", headers=self.patient, name="/api/inbox/threads")
        with self.client.get(f"/api/inbox/threads/{self.thread}?limit=50", headers=self.patient,
                             name="/api/inbox/threads/{id}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            messages = r.json()["messages"]
        if messages:
            self._post(f"/api/inbox/threads/{self.thread}/read", self.patient, {"up_to": messages[-1]["id"]},
                       "/api/inbox/threads/{id}/read", (200,))

    @task(2)
    def therapist_replies(self) -> None:
        with self.client.get("/api/inbox/threads", headers=self.therapist, name="/api/inbox/threads (therapist)",
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            waiting = [t for t in r.json()["threads"] if t["reply"] and t["reply"]["awaiting"]]
        for t in waiting:
            self.client.get(f"/api/inbox/threads/{t['id']}", headers=self.therapist, name="/api/inbox/threads/{id}")
            body = {"client_id": uuid.uuid4().hex, "text": random.choice(REPLY_LINES)}
            self._post(f"/api/inbox/threads/{t['id']}/messages", self.therapist, body,
                       "/api/inbox/threads/{id}/messages (reply)", (201,))
            self._post(f"/api/inbox/threads/{t['id']}/read", self.therapist, {}, "/api/inbox/threads/{id}/read",
                       (200,))
