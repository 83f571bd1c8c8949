"""Test harness: real embedded PostgreSQL and Redis, started once per run; clean state per test."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from aiohttp.test_utils import TestClient

from chat_server import embedded
from chat_server.app import create_app
from chat_server.auth import hash_password
from chat_server.config import Config
from chat_server.storage import accounts, care, db
from clinical.records import (
    Appointment,
    AppointmentKind,
    Employment,
    Role,
    TherapistProfile,
    User,
    Validation,
)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"
_HASH = hash_password(PASSWORD)


@pytest.fixture(scope="session")
def services() -> Iterator[embedded.Embedded]:
    # Our own directory, readable by the unprivileged user pgserver runs PostgreSQL as
    # (pytest's tmp dirs are private to root, and concurrent runs prune each other's).
    data = Path(tempfile.mkdtemp(prefix="cbt-test-"))
    data.chmod(0o755)
    emb = embedded.start(data, os.environ.get("TEST_DATABASE_URL", ""), os.environ.get("TEST_REDIS_URL", ""))

    async def prepare() -> None:
        conn = await db.connect_one(emb.database_url)
        try:
            await db.migrate(conn)
        finally:
            await conn.close()

    asyncio.run(prepare())
    yield emb
    emb.stop()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def config(services: embedded.Embedded) -> Config:
    return Config(database_url=services.database_url, redis_url=services.redis_url, smtp_port=free_port())


async def reset_state(services: embedded.Embedded) -> None:
    conn = await asyncpg.connect(services.database_url)
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'"
        )
        await conn.execute(
            "TRUNCATE " + ", ".join(f'"{t["tablename"]}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    finally:
        await conn.close()
    from redis.asyncio import Redis

    r = Redis.from_url(services.redis_url)
    await r.flushdb()
    await r.aclose()


@pytest.fixture
async def pool(services: embedded.Embedded) -> AsyncIterator[asyncpg.Pool]:
    await reset_state(services)
    p = await db.connect(services.database_url, min_size=1, max_size=4)
    yield p
    await p.close()


@pytest.fixture
async def client(aiohttp_client, config: Config, pool: asyncpg.Pool) -> TestClient:  # type: ignore[no-untyped-def]
    return await aiohttp_client(create_app(config))


@dataclass
class People:
    """Builds accounts and bookings straight through the storage layer."""

    pool: asyncpg.Pool
    n: int = 0

    async def user(self, role: Role, name: str | None = None, **therapist: object) -> User:
        self.n += 1
        profile = None
        if role is Role.THERAPIST:
            employment = therapist.get("employment", Employment.SELF_EMPLOYED)
            assert isinstance(employment, Employment)
            validation = Validation.NOT_REQUIRED if employment is Employment.AGENCY else Validation.VALIDATED
            profile = TherapistProfile(0, employment, validation, 20)
        return await accounts.create_user(
            self.pool, email=f"{role.value}{self.n}@test.cbt", display_name=name or f"{role.value.title()} {self.n}",
            role=role, password_hash=_HASH, therapist=profile, clinical_lead=bool(therapist.get("lead")),
        )

    async def appointment(
        self, patient: User, therapist: User, start: datetime | None = None, minutes: int = 60, live: bool = False
    ) -> Appointment:
        ep = await self.pool.fetchval(
            "SELECT id FROM episodes WHERE patient_id = $1 AND closed_at IS NULL", patient.id
        ) or (await care.create_episode(self.pool, patient.id, therapist.id)).id
        first = not await self.pool.fetchval("SELECT count(*) FROM appointments WHERE episode_id = $1", ep)
        kind = AppointmentKind.ASSESSMENT if first else AppointmentKind.TREATMENT
        appt = await care.create_appointment(
            self.pool, ep, kind, start or datetime.now(UTC) - timedelta(minutes=1), 60 if first else minutes
        )
        if live:
            started = await care.start_session(self.pool, appt.id, therapist.id)
            assert started is not None
            return started
        return appt


@pytest.fixture
def people(pool: asyncpg.Pool) -> People:
    return People(pool)


async def login(client: TestClient, user: User) -> str:
    resp = await client.post("/api/login", json={"email": user.email, "password": PASSWORD})
    assert resp.status == 200, await resp.text()
    return str((await resp.json())["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WebProcess:
    """A real `cbt web` process on its own port."""

    def __init__(self, config: Config, port: int, log_path: Path, extra_env: dict[str, str] | None = None,
                 command: str = "web") -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, DATABASE_URL=config.database_url, REDIS_URL=config.redis_url,
                   CBT_SHUTDOWN_GRACE_SECONDS="2", CBT_LOG_LEVEL="WARNING", **(extra_env or {}))
        self.log = log_path.open("wb")
        args = ["web", "--port", str(port)] if command == "web" else [command]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "chat_server.cli", *args],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
        )

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"web process on {self.port} exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"web process on {self.port} did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        if self.proc.returncode is None:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def web_pair(config: Config, pool: asyncpg.Pool, tmp_path: Path) -> Iterator[list[WebProcess]]:
    procs = [WebProcess(config, free_port(), tmp_path / f"web{i}.log") for i in range(2)]
    try:
        for p in procs:
            p.wait_ready()
        yield procs
    finally:
        for p in procs:  # SIGTERM all at once: they shut down in parallel
            if p.proc.poll() is None:
                p.proc.terminate()
        for p in procs:
            p.stop()


async def http_login(session: aiohttp.ClientSession, base: str, user: User) -> str:
    async with session.post(f"{base}/api/login", json={"email": user.email, "password": PASSWORD}) as r:
        assert r.status == 200, await r.text()
        return str((await r.json())["token"])
