"""`cbt` command line: web, worker, migrate, demo, dev (everything at once), services."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from chat_server.config import Config, ConfigError
from chat_server.log import setup_logging

log = logging.getLogger("cbt")
ROOT = Path(__file__).resolve().parent.parent


def _need_urls(cfg: Config) -> None:
    if not cfg.database_url or not cfg.redis_url:
        raise SystemExit(
            "DATABASE_URL and REDIS_URL must be set for this command.\n"
            "To run everything locally with embedded PostgreSQL and Redis, use: ./run.sh"
        )


def cmd_web(args: argparse.Namespace) -> None:
    import uvloop
    from aiohttp import web

    from chat_server import gc_tuning
    from chat_server.app import create_app

    cfg = Config.from_env(port=args.port, process_name=f"web:{args.port}") if args.port else Config.from_env()
    setup_logging(cfg.log_level, cfg.process_name)
    _need_urls(cfg)
    log.info("starting web process", extra={"config": cfg.public()})
    app = create_app(cfg)
    gc_tuning.tune()
    web.run_app(
        app, host=args.host or cfg.host, port=cfg.port, print=None,
        shutdown_timeout=cfg.shutdown_grace_seconds + 2, loop=uvloop.new_event_loop(),
        access_log=None,
    )


def cmd_worker(args: argparse.Namespace) -> None:
    import uvloop

    from chat_server.worker import run_worker

    cfg = Config.from_env(process_name="worker")
    setup_logging(cfg.log_level, "worker")
    _need_urls(cfg)
    uvloop.run(run_worker(cfg))


def cmd_screener(args: argparse.Namespace) -> None:
    # One BLAS thread: the encoder must not take both cores from the web processes.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import uvloop

    from chat_server.worker import run_screener

    overrides = {"screener_shard": args.shard} if args.shard else {}
    cfg = Config.from_env(process_name="screener", **overrides)
    setup_logging(cfg.log_level, "screener")
    _need_urls(cfg)
    uvloop.run(run_screener(cfg))


def cmd_migrate(args: argparse.Namespace) -> None:
    from chat_server.storage import db

    cfg = Config.from_env()
    setup_logging(cfg.log_level, "migrate")
    _need_urls(cfg)

    async def go() -> None:
        conn = await db.connect_one(cfg.database_url)
        try:
            applied = await db.migrate(conn)
            print(f"schema at version {await db.schema_version(conn)}; applied now: {applied or 'none'}")
        finally:
            await conn.close()

    asyncio.run(go())


def cmd_demo(args: argparse.Namespace) -> None:
    from chat_server.demo import seed

    cfg = Config.from_env()
    setup_logging(cfg.log_level, "demo")
    _need_urls(cfg)
    print(asyncio.run(seed(cfg.database_url, force=args.force)))


def cmd_dev(args: argparse.Namespace) -> None:
    """Everything on one machine: embedded servers, schema, demo data, the Procfile."""
    from chat_server import embedded
    from chat_server.demo import seed
    from chat_server.storage import db

    cfg = Config.from_env()
    setup_logging(cfg.log_level, "dev")
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly as on Ctrl-C
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    print(f"Starting PostgreSQL and Redis (data in {cfg.data_dir.resolve()}) ...", flush=True)
    emb = embedded.start(cfg.data_dir, cfg.database_url, cfg.redis_url)
    sink = None
    try:
        async def prepare() -> str:
            conn = await db.connect_one(emb.database_url)
            try:
                await db.migrate(conn)
            finally:
                await conn.close()
            return await seed(emb.database_url)

        print(asyncio.run(prepare()), flush=True)
        from chat_server.mailsink import start_sink

        sink = start_sink(emb.database_url, cfg.smtp_host, cfg.smtp_port)
        env = dict(os.environ, DATABASE_URL=emb.database_url, REDIS_URL=emb.redis_url)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        base = args.port
        urls = "\n".join(f"  http://127.0.0.1:{base + i}/" for i in range(args.web))
        print(
            f"\nThe platform is starting: {args.web} web process(es), the worker and the risk screener.\n{urls}\n"
            f"  mail sink (SMTP) on {cfg.smtp_host}:{cfg.smtp_port}; admins see received mail in the admin page\n"
            "Demo logins (password for all: demo-password): admin@demo.cbt, supervisor@demo.cbt,\n"
            "  lead@demo.cbt, asha@demo.cbt (therapist), ben@demo.cbt (therapist in validation),\n"
            "  carla@demo.cbt (agency therapist), pat@demo.cbt, priya@demo.cbt, sam@demo.cbt (patients)\n"
            "Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        honcho = shutil.which("honcho", path=env["PATH"]) or "honcho"
        proc = subprocess.Popen(
            [honcho, "-f", str(ROOT / "Procfile"), "-d", str(ROOT), "start", "-c", f"web={args.web},worker=1,screener=1", "-p", str(base)],
            env=env,
        )
        try:
            proc.wait()
        except KeyboardInterrupt:
            print("\nStopping ...", flush=True)
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    finally:
        if sink is not None:
            sink.stop()
        emb.stop()
        print("Stopped.", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_services(args: argparse.Namespace) -> None:
    """Start only the embedded servers and print their URLs (for load tests)."""
    from chat_server import embedded

    cfg = Config.from_env()
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    emb = embedded.start(cfg.data_dir, cfg.database_url, cfg.redis_url)
    print(f"DATABASE_URL={emb.database_url}\nREDIS_URL={emb.redis_url}", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        emb.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="cbt", description="Typed CBT therapy platform")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("web", help="one web process (HTTP API, WebSockets, static pages)")
    p.add_argument("--port", type=int, default=None)
    p.add_argument("--host", default=None)
    p.set_defaults(func=cmd_web)
    sub.add_parser("worker", help="the background worker (escalation timers, mail)").set_defaults(func=cmd_worker)
    p = sub.add_parser("screener", help="risk screening of stored patient messages (idle CPU priority)")
    p.add_argument("--shard", default=None, metavar="I/N",
                   help="screen only this share of the sessions (default CBT_SCREENER_SHARD or 0/1)")
    p.set_defaults(func=cmd_screener)
    sub.add_parser("migrate", help="apply schema migrations").set_defaults(func=cmd_migrate)
    p = sub.add_parser("demo", help="load demo data (once)")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("dev", help="run everything locally on embedded PostgreSQL and Redis")
    p.add_argument("--web", type=int, default=2, help="number of web processes")
    p.add_argument("--port", type=int, default=8080, help="port of the first web process")
    p.set_defaults(func=cmd_dev)
    sub.add_parser("services", help="start embedded PostgreSQL and Redis only").set_defaults(func=cmd_services)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except ConfigError as e:
        raise SystemExit(f"configuration error: {e}") from None


if __name__ == "__main__":
    main()
