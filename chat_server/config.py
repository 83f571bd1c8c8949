"""Configuration, read once from the environment into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Config:
    # Where the data lives. Empty URLs mean "embedded servers under data_dir".
    database_url: str = field(default="", repr=False)
    redis_url: str = field(default="", repr=False)
    data_dir: Path = Path("data")
    host: str = "127.0.0.1"
    port: int = 8080
    # Accounts and tokens.
    token_ttl_hours: float = 12.0
    cookie_secure: bool = False
    login_free_attempts: int = 5
    # Live sessions.
    join_early_minutes: int = 15
    max_body_bytes: int = 64 * 1024
    ws_queue_frames: int = 512
    shutdown_grace_seconds: float = 5.0
    db_pool_max: int = 10
    # Group commit: queues per process, batches each may have in flight (a connection each),
    # and how long a batch may wait for company.
    writer_shards: int = 1
    commit_pipeline: int = 2
    commit_linger_ms: float = 4.0
    # Risk escalation and mail.
    ack_timeout_seconds: float = 300.0
    duty_team_email: str = "duty-team@cbt.local"
    # Shifts the clock that risk routing sees (for drills and tests); 0 in production.
    risk_clock_offset_seconds: float = 0.0
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_from: str = "alerts@cbt.local"
    public_url: str = "http://127.0.0.1:8080"
    worker_tick_seconds: float = 1.0
    # This screener's share of the sessions, "index/count": run count screeners, 0/n .. n-1/n.
    screener_shard: str = "0/1"
    log_level: str = "INFO"
    process_name: str = "web"
    # /metrics: with a token, a scraper must send it as a bearer token; without one, only
    # this machine (loopback, unix socket) may read them.
    metrics_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Config:
        """Read CBT_* settings (and DATABASE_URL / REDIS_URL / PORT) once."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.name.upper()
            var = f"CBT_{name}"
            if var not in env and name in ("DATABASE_URL", "REDIS_URL", "PORT"):
                var = name
            raw = env.get(var)
            if raw is None:
                continue
            values[f.name] = _convert(var, f.type, raw)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        self.screener_share()  # fail at start, not at the first screening pass

    def screener_share(self) -> tuple[int, int]:
        """(index, count) from ``screener_shard``."""
        index, _, count = self.screener_shard.partition("/")
        try:
            i, n = int(index), int(count)
        except ValueError:
            i, n = -1, 0
        if not 0 <= i < n:
            raise ConfigError(
                f"CBT_SCREENER_SHARD={self.screener_shard!r}: write index/count with 0 <= index < count,"
                " e.g. 0/2 and 1/2 for two screeners")
        return i, n

    def public(self) -> dict[str, object]:
        """Settings safe to log: URLs are reduced to their scheme and host, and other
        secrets (the fields kept out of repr) to whether they are set."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_url") and f.name != "public_url":
                value = _redact(str(value))
            elif not f.repr:
                value = "(set)" if value else "(unset)"
            out[f.name] = str(value) if isinstance(value, Path) else value
        return out


def _convert(var: str, kind: object, raw: str) -> object:
    kind = str(kind)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(raw)
        if kind == "Path":
            return Path(raw)
    except ValueError:
        raise ConfigError(f"{var}={raw!r} is not a valid {kind}") from None
    return raw


def _redact(url: str) -> str:
    if not url:
        return "(embedded)"
    scheme, _, rest = url.partition("://")
    host = rest.rsplit("@", 1)[-1].split("/", 1)[0]
    return f"{scheme}://{host or '(socket)'}/..."
