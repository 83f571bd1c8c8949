"""Operations: health and readiness probes, metrics, and configuration from the environment."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from chat_server import embedded
from chat_server.app import create_app
from chat_server.config import Config, ConfigError


async def test_healthz(client) -> None:
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert await resp.json() == {"ok": True}


async def test_readyz_when_both_are_reachable(client) -> None:
    resp = await client.get("/readyz")
    assert resp.status == 200
    assert await resp.json() == {"ok": True}


async def test_readyz_names_an_unreachable_redis(aiohttp_client, config: Config, pool, tmp_path: Path) -> None:
    dead = tmp_path / "no-redis-here.sock"
    client = await aiohttp_client(create_app(dataclasses.replace(config, redis_url=f"unix://{dead}")))
    resp = await client.get("/readyz")
    assert resp.status == 503
    body = await resp.json()
    assert body["ok"] is False
    assert set(body["unreachable"]) == {"redis"}
    assert (await client.get("/healthz")).status == 200  # alive, just not ready


@pytest.fixture
async def doomed_dsn(services: embedded.Embedded) -> AsyncIterator[tuple[str, str]]:
    """A database of its own that a test may drop while an app is using it."""
    name = f"cbt_ops_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(services.database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(urlsplit(services.database_url)._replace(path=f"/{name}")), name
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def test_readyz_names_an_unreachable_postgresql(
    aiohttp_client, config: Config, services: embedded.Embedded, doomed_dsn: tuple[str, str]
) -> None:
    dsn, name = doomed_dsn
    client = await aiohttp_client(create_app(dataclasses.replace(config, database_url=dsn)))
    assert (await client.get("/readyz")).status == 200
    admin = await asyncpg.connect(services.database_url)
    try:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()
    resp = await client.get("/readyz")
    assert resp.status == 503
    body = await resp.json()
    assert body["ok"] is False
    assert set(body["unreachable"]) == {"postgresql"}


async def test_metrics_are_prometheus_text_with_request_counts(client) -> None:
    await client.get("/healthz")
    await client.get("/api/nope")
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert resp.content_type == "text/plain"
    text = await resp.text()
    assert "# TYPE cbt_http_requests_total counter" in text
    assert re.search(r'^cbt_http_requests_total\{method="GET",route="/healthz",status="200"\} [1-9]', text, re.M)
    assert re.search(r'^cbt_http_requests_total\{method="GET",route="/api/\{tail\}",status="404"\} [1-9]', text, re.M)
    for name in ("cbt_ws_open", "cbt_messages_total", "cbt_write_batch_size_bucket"):
        assert name in text, name


@pytest.mark.parametrize(
    ("remote", "authorization", "token", "status"),
    [
        ("127.0.0.1", "", "", None),
        ("::1", "", "", None),
        (None, "", "", None),  # a unix socket
        ("10.0.0.5", "", "", 403),
        ("203.0.113.9", "Bearer anything", "", 403),
        ("10.0.0.5", "Bearer s3cret-scrape", "s3cret-scrape", None),
        ("127.0.0.1", "", "s3cret-scrape", 401),  # with a token, loopback needs it too
        ("10.0.0.5", "Bearer wrong", "s3cret-scrape", 401),
        ("10.0.0.5", "s3cret-scrape", "s3cret-scrape", 401),
    ],
)
def test_who_may_read_metrics(remote: str | None, authorization: str, token: str, status: int | None) -> None:
    from chat_server.app import metrics_refusal

    refusal = metrics_refusal(remote, authorization, token)
    assert (refusal.status if refusal else None) == status
    if refusal:
        assert "CBT_METRICS_TOKEN" in refusal.message


async def test_metrics_with_a_token_need_it(aiohttp_client, config, pool) -> None:  # type: ignore[no-untyped-def]
    client = await aiohttp_client(create_app(dataclasses.replace(config, metrics_token="s3cret-scrape")))
    refused = await client.get("/metrics")
    assert refused.status == 401
    assert (await refused.json())["error"]["code"] == "metrics_token_required"
    ok = await client.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    assert ok.status == 200
    assert "cbt_http_requests_total" in await ok.text()


async def test_a_busy_event_loop_shows_in_the_lag_metric(client) -> None:
    """Anything that holds the loop (a long pipeline, a collector pass) delays every session
    in the process; /metrics shows how long."""
    import asyncio
    import time

    def over_100ms(text: str) -> float:
        count = re.search(r"^cbt_event_loop_lag_seconds_count ([0-9.e+]+)", text, re.M)
        fast = re.search(r'^cbt_event_loop_lag_seconds_bucket\{le="0.1"\} ([0-9.e+]+)', text, re.M)
        assert count and fast, text
        return float(count.group(1)) - float(fast.group(1))

    before = over_100ms(await (await client.get("/metrics")).text())
    time.sleep(0.4)  # noqa: ASYNC251 - holding the loop is the point
    await asyncio.sleep(0.6)
    assert over_100ms(await (await client.get("/metrics")).text()) >= before + 1


async def test_metrics_carry_no_personal_data(client, people) -> None:  # type: ignore[no-untyped-def]
    from clinical.records import Role

    user = await people.user(Role.PATIENT, "Unique Name Xyzzy")
    await client.get(f"/api/admin/users/{user.id}/revoke-tokens")
    await client.get(f"/api/sessions/{user.id}")
    text = await (await client.get("/metrics")).text()
    assert "Xyzzy" not in text and user.email not in text
    assert f"/api/sessions/{user.id}" not in text  # routes, not raw paths, label the counter


# -- configuration ----------------------------------------------------------------------------

DB_URL = "postgresql://cbt_user:s3cr3t-pw@db.internal:5432/cbt"
REDIS_URL = "redis://:r3dis-pw@cache.internal:6379/0"


def test_from_env_reads_cbt_settings() -> None:
    cfg = Config.from_env({
        "CBT_PORT": "9000", "DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL, "CBT_COOKIE_SECURE": "yes",
        "CBT_TOKEN_TTL_HOURS": "1.5", "CBT_DATA_DIR": "/var/lib/cbt", "CBT_LOG_LEVEL": "DEBUG",
        "UNRELATED": "x",
    })
    assert cfg.port == 9000
    assert cfg.database_url == DB_URL
    assert cfg.redis_url == REDIS_URL
    assert cfg.cookie_secure is True
    assert cfg.token_ttl_hours == 1.5
    assert cfg.data_dir == Path("/var/lib/cbt")
    assert cfg.log_level == "DEBUG"
    assert cfg.max_body_bytes == 64 * 1024  # untouched defaults stay
    assert Config.from_env({}) == Config()


def test_from_env_precedence_and_overrides() -> None:
    assert Config.from_env({"PORT": "5000"}).port == 5000  # as platforms set it
    assert Config.from_env({"PORT": "5000", "CBT_PORT": "6000"}).port == 6000
    assert Config.from_env({"DATABASE_URL": "postgresql://a/x", "CBT_DATABASE_URL": "postgresql://b/y"}).database_url == (
        "postgresql://b/y")
    assert Config.from_env({"CBT_PORT": "6000"}, port=7000).port == 7000
    for raw, value in [("1", True), ("true", True), ("ON", True), ("0", False), ("no", False), ("", False)]:
        assert Config.from_env({"CBT_COOKIE_SECURE": raw}).cookie_secure is value, raw


@pytest.mark.parametrize(("env", "variable"), [
    ({"CBT_PORT": "eighty"}, "CBT_PORT"),
    ({"CBT_PORT": "80.5"}, "CBT_PORT"),
    ({"CBT_PORT": ""}, "CBT_PORT"),
    ({"CBT_DB_POOL_MAX": "ten"}, "CBT_DB_POOL_MAX"),
    ({"CBT_MAX_BODY_BYTES": "64k"}, "CBT_MAX_BODY_BYTES"),
    ({"CBT_TOKEN_TTL_HOURS": "soon"}, "CBT_TOKEN_TTL_HOURS"),
    ({"CBT_COOKIE_SECURE": "maybe"}, "CBT_COOKIE_SECURE"),
    ({"CBT_SCREENER_SHARD": "2/2"}, "CBT_SCREENER_SHARD"),
    ({"CBT_SCREENER_SHARD": "half"}, "CBT_SCREENER_SHARD"),
])
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        Config.from_env(env)
    message = str(info.value)
    assert re.search(rf"(?<![A-Z_]){variable}=", message), message
    assert repr(env[variable]) in message
    assert isinstance(info.value, ValueError)


def test_a_bad_plain_port_names_port() -> None:
    with pytest.raises(ConfigError, match=r"(?<![A-Z_])PORT='http'"):
        Config.from_env({"PORT": "http"})


@pytest.mark.parametrize("url", [
    DB_URL,
    "postgresql://cbt_user:s3cr3t-pw@db.internal/cbt?sslmode=require",
    "postgresql://cbt_user:s3cr3t-pw@10.0.0.5",
    "postgresql://cbt_user:s3cr3t@pw@db.internal/cbt",  # an unescaped @ in the password
    "postgresql:///cbt?host=/run/pg&password=s3cr3t-pw",
    "postgres://cbt_user:s3cr3t-pw@[::1]:5432/cbt",
])
def test_public_settings_never_show_passwords(url: str) -> None:
    cfg = Config.from_env({"DATABASE_URL": url, "REDIS_URL": REDIS_URL})
    public = cfg.public()
    flat = repr(public)
    for secret in ("s3cr3t", "r3dis-pw", "cbt_user"):
        assert secret not in flat, flat
        assert secret not in repr(cfg), repr(cfg)
    assert public["redis_url"] == "redis://cache.internal:6379/..."
    assert str(public["database_url"]).startswith(url.split("://")[0] + "://")
    assert public["port"] == cfg.port
    assert public["data_dir"] == "data"


def test_public_settings_never_show_the_metrics_token() -> None:
    cfg = Config.from_env({"CBT_METRICS_TOKEN": "s3cret-scrape"})
    assert cfg.metrics_token == "s3cret-scrape"
    assert "s3cret-scrape" not in repr(cfg.public()) + repr(cfg)
    assert cfg.public()["metrics_token"] == "(set)"
    assert Config().public()["metrics_token"] == "(unset)"


def test_public_settings_show_the_database_host() -> None:
    public = Config.from_env({"DATABASE_URL": DB_URL}).public()
    assert public["database_url"] == "postgresql://db.internal:5432/..."
    assert public["redis_url"] == "(embedded)"


def test_config_is_frozen() -> None:
    cfg = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.port = 1  # type: ignore[misc]


def test_a_tuned_web_process_collects_rarely_and_reports_its_pauses() -> None:
    """In a process of its own: tuning freezes what exists and raises the first threshold,
    and every collection's pause lands in /metrics."""
    import subprocess
    import sys

    code = (
        "import gc\n"
        "from chat_server import gc_tuning, metrics\n"
        "from prometheus_client import generate_latest\n"
        "gc_tuning.tune()\n"
        "assert gc.get_threshold()[:2] == (gc_tuning.GEN0_THRESHOLD, gc_tuning.GEN1_THRESHOLD), gc.get_threshold()\n"
        "assert gc.get_freeze_count() > 1000\n"
        "gc.collect(1)\n"
        "print(generate_latest().decode())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert re.search(r'cbt_gc_pause_seconds_count\{generation="1"\} [1-9]', out), out
