"""Schema migrations against fresh databases in the embedded PostgreSQL server."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from importlib import resources
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from chat_server import embedded
from chat_server.app import create_app
from chat_server.config import Config
from chat_server.storage import db
from tests.conftest import free_port


def with_database(dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


@pytest.fixture
async def fresh_dsn(services: embedded.Embedded) -> AsyncIterator[str]:
    """An empty database of its own, dropped afterwards."""
    name = f"cbt_mig_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(services.database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(services.database_url, name)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def numbered_files() -> list[str]:
    folder = resources.files("chat_server.storage").joinpath("migrations")
    return sorted(e.name for e in folder.iterdir() if e.name.endswith(".sql"))


def test_migration_files_are_numbered_1_to_n_without_gaps() -> None:
    names = numbered_files()
    assert names, "no migrations shipped"
    for name in names:
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+\.sql", name), f"{name}: use NNNN_short_noun.sql"
    assert [int(n[:4]) for n in names] == list(range(1, len(names) + 1))
    assert [(m.version, m.name) for m in db.migrations()] == [(int(n[:4]), n[5:-4]) for n in names]


async def test_an_empty_database_gets_every_migration_once(fresh_dsn: str) -> None:
    known = [m.version for m in db.migrations()]
    conn = await db.connect_one(fresh_dsn)
    try:
        assert await db.migrate(conn) == known
        rows = await conn.fetch("SELECT version, name, applied_at FROM schema_version ORDER BY version")
        assert [(r["version"], r["name"]) for r in rows] == [(m.version, m.name) for m in db.migrations()]
        assert await db.schema_version(conn) == known[-1]
        tables = {r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert {"users", "therapists", "auth_tokens", "audit_log", "episodes", "appointments", "messages"} <= tables
        # Running again applies nothing and touches nothing.
        assert await db.migrate(conn) == []
        again = await conn.fetch("SELECT version, name, applied_at FROM schema_version ORDER BY version")
        assert [tuple(r) for r in again] == [tuple(r) for r in rows]
    finally:
        await conn.close()


async def test_concurrent_migrations_apply_each_version_once(fresh_dsn: str) -> None:
    known = [m.version for m in db.migrations()]
    conns = [await db.connect_one(fresh_dsn) for _ in range(3)]
    try:
        results = await asyncio.wait_for(asyncio.gather(*(db.migrate(c) for c in conns)), 30)
        assert sorted(v for r in results for v in r) == known
        assert sorted(results, key=len) == [[], [], known]  # the lock makes one process do all of it
        assert await conns[0].fetchval("SELECT count(*) FROM schema_version") == len(known)
        # The lock is released afterwards.
        assert await conns[1].fetchval("SELECT pg_try_advisory_lock($1)", db.MIGRATION_LOCK) is True
        await conns[1].execute("SELECT pg_advisory_unlock($1)", db.MIGRATION_LOCK)
    finally:
        for c in conns:
            await c.close()


async def test_a_newer_schema_is_refused_with_a_clear_message(fresh_dsn: str, services: embedded.Embedded) -> None:
    newest = db.migrations()[-1].version
    conn = await db.connect_one(fresh_dsn)
    try:
        await db.migrate(conn)
        await conn.execute("INSERT INTO schema_version (version, name) VALUES ($1, 'from_the_future')", newest + 1)
        with pytest.raises(RuntimeError, match=rf"schema is version {newest + 1} but this code knows only {newest}"):
            await db.migrate(conn)
        # Refusing released the lock, so the next process is not stuck behind it.
        other = await db.connect_one(fresh_dsn)
        try:
            assert await other.fetchval("SELECT pg_try_advisory_lock($1)", db.MIGRATION_LOCK) is True
        finally:
            await other.close()
    finally:
        await conn.close()

    # And the web app will not start against it.
    app = create_app(Config(database_url=fresh_dsn, redis_url=services.redis_url, smtp_port=free_port()))
    from aiohttp.test_utils import TestServer

    server = TestServer(app)
    with pytest.raises(RuntimeError, match="upgrade the code"):
        await server.start_server()
    await server.close()
