"""The realistic locust scenario, headless, against the whole platform on this machine.

    python -m loadtests.run_locust                      # 2 web processes, 200 users, 2 minutes
    python -m loadtests.run_locust --users 40 --time 30s
    python -m loadtests.run_locust --web 3 --users 400 --spawn-rate 50 --time 5m --pairs 400

What it does (only 127.0.0.1 and unix sockets; every process it starts is stopped at the
end, also on Ctrl-C / SIGTERM / --max-seconds; children also get PDEATHSIG):

1. embedded PostgreSQL + Redis (chat_server.embedded) in a fresh temp dir, the schema,
   `--pairs` live sessions (therapist + patient, appointment started) and `--supervisors`
   supervisors, with tokens (loadtests.setup_data) -> <tmp>/accounts.json;
2. `--web` web processes (`cbt web`) and the worker (`cbt worker`);
3. locust as a subprocess: `locust -f loadtests/locustfile.py --headless -u -r -t --host
   <first web> --csv <tmp>/run`, with CBT_WEB_HOSTS listing every web process (each
   LiveSession puts its therapist and patient on different ones) and LOCUST_ACCOUNTS the
   accounts above. Locust's own output goes to <tmp>/logs/locust.log; its log lines and
   a progress line every 10 s (from its CSV) are printed here;
4. a summary table from locust's CSV (requests, failures, p50/p95/p99/max per WS metric
   and HTTP endpoint, the most frequent failures), then a one-line JSON summary LAST.

Locust's percentiles are its own rounded buckets (whole ms below 100 ms, 10 ms up to
1 s, 100 ms above). Exit status: locust's (1 if any request failed), 130 if interrupted.
The locust variables (CBT_TYPING_CPS, CBT_THINK_MIN, CBT_THINK_MAX) are passed through.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from loadtests.local_platform import (
    ROOT,
    Procs,
    log,
    make_tmp,
    raise_nofile,
    remove_tmp,
    start_embedded,
    start_web,
    stop_embedded,
)

# user-class weights in locustfile.py: LiveSession 10, TranscriptReader 2, Supervisor 1, BetweenSessions 2
LIVE_SHARE = 10 / 15
PROGRESS_EVERY = 10.0
LOG_LINE = re.compile(r"/(INFO|WARNING|ERROR|CRITICAL)/")


class OverTime(BaseException):
    """--max-seconds exceeded (a BaseException: no library's `except TimeoutError` eats it)."""


def parse_time(s: str) -> int:
    """Locust's --run-time syntax: 90, 90s, 2m, 1h30m, 1m30s -> seconds."""
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    m = re.fullmatch(r"(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?", s)
    if not m or not any(m.groups()):
        raise argparse.ArgumentTypeError(f"bad time {s!r} (e.g. 30s, 2m, 1h30m)")
    h, mi, se = (int(x or 0) for x in m.groups())
    return h * 3600 + mi * 60 + se


def read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="") as f:
            return list(csv.DictReader(f))
    except (OSError, csv.Error):
        return []


def num(v: str | None) -> float | None:
    if v in (None, "", "N/A"):
        return None
    try:
        x = float(v)
    except ValueError:
        return None
    return int(x) if x == int(x) else round(x, 2)


def label(row: dict[str, str]) -> str:
    typ, name = row.get("Type", ""), row.get("Name", "")
    if name == "Aggregated":
        return "Aggregated"
    return f"{typ} {name}".strip()


def stat(row: dict[str, str]) -> dict[str, Any]:
    return {"requests": int(row.get("Request Count") or 0), "failures": int(row.get("Failure Count") or 0),
            "rps": num(row.get("Requests/s")), "p50": num(row.get("50%")), "p95": num(row.get("95%")),
            "p99": num(row.get("99%")), "max": num(row.get("Max Response Time"))}


def order(name: str) -> tuple[int, str]:
    head = ["WS delivery", "WS ack", "WS join"]
    if name in head:
        return head.index(name), name
    if name == "Aggregated":
        return 9, name
    return (3 if name.startswith("WS") else 5), name


def progress(prefix: Path, started: float) -> None:
    hist = read_csv(Path(f"{prefix}_stats_history.csv"))
    rows = {label(r): r for r in read_csv(Path(f"{prefix}_stats.csv"))}
    if not rows:
        log(f"locust: {time.monotonic() - started:.0f}s, no stats yet")
        return
    users = hist[-1].get("User Count", "?") if hist else "?"
    agg = stat(rows["Aggregated"]) if "Aggregated" in rows else {"requests": 0, "failures": 0}
    d = stat(rows["WS delivery"]) if "WS delivery" in rows else None
    deliv = (f"WS delivery n={d['requests']} p50={d['p50']} p95={d['p95']} p99={d['p99']} ms" if d
             else "no deliveries yet")
    log(f"locust: {time.monotonic() - started:.0f}s, {users} users, {agg['requests']} requests "
        f"({agg['failures']} failed); {deliv}")


def echo_new_lines(logfile: Path, pos: int) -> int:
    """Print locust's log lines (not its stats tables) written since `pos`; returns the new pos."""
    try:
        with logfile.open("rb") as f:
            f.seek(pos)
            data = f.read()
    except OSError:
        return pos
    end = data.rfind(b"\n") + 1
    for line in data[:end].decode(errors="replace").splitlines():
        if LOG_LINE.search(line):
            print(f"    locust| {line.split(': ', 1)[-1] if '/INFO/' in line else line}", flush=True)
    return pos + end


def run_locust(args: argparse.Namespace, procs: Procs, tmp: Path, ports: list[int], deadline: float) -> int:
    prefix = tmp / "run"
    hosts = [f"http://127.0.0.1:{p}" for p in ports]
    env = dict(os.environ, CBT_WEB_HOSTS=",".join(hosts), LOCUST_ACCOUNTS=str(tmp / "accounts.json"),
               PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "loadtests" / "locustfile.py"), "--headless",
           "-u", str(args.users), "-r", f"{args.spawn_rate:g}", "-t", f"{args.time}s", "--host", hosts[0],
           "--csv", str(prefix), "--stop-timeout", "0"]
    log(f"locust: {args.users} users (~{round(args.users * LIVE_SHARE)} live sessions), spawn rate "
        f"{args.spawn_rate:g}/s, {args.time}s; CBT_WEB_HOSTS={env['CBT_WEB_HOSTS']}")
    p = procs.start("locust", cmd, env)
    logfile = procs.logdir / "locust.log"
    started = time.monotonic()
    pos = 0
    limit = min(deadline, started + args.time + 120.0)  # start-up + spawn + shutdown margin
    next_progress = started + PROGRESS_EVERY
    while p.poll() is None:
        time.sleep(0.5)
        pos = echo_new_lines(logfile, pos)
        if time.monotonic() >= next_progress:
            next_progress += PROGRESS_EVERY
            progress(prefix, started)
        if time.monotonic() > limit:
            log("locust is over time: SIGTERM")
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)
    echo_new_lines(logfile, pos)
    log(f"locust exited with {p.returncode} after {time.monotonic() - started:.0f}s")
    return int(p.returncode)


def summarize(prefix: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    stats = {label(r): stat(r) for r in read_csv(Path(f"{prefix}_stats.csv"))}
    stats = dict(sorted(stats.items(), key=lambda kv: order(kv[0])))
    failures: list[dict[str, Any]] = [
        {"name": f"{r.get('Method', '')} {r.get('Name', '')}".strip(), "error": r.get("Error", ""),
         "n": int(r.get("Occurrences") or 0)}
        for r in read_csv(Path(f"{prefix}_failures.csv"))]
    failures.sort(key=lambda f: -f["n"])
    return stats, failures


def print_table(stats: dict[str, dict[str, Any]], failures: list[dict[str, Any]]) -> None:
    cols = ("requests", "failures", "rps", "p50", "p95", "p99", "max")
    w = max([len(n) for n in stats] + [10])
    print(f"\n{'':<{w}}  {'requests':>9} {'fails':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7}")
    for name, s in stats.items():
        if name == "Aggregated":
            print("-" * (w + 60))
        vals = ["-" if s[c] is None else str(s[c]) for c in cols]
        print(f"{name:<{w}}  {vals[0]:>9} {vals[1]:>7} {vals[2]:>7} {vals[3]:>7} {vals[4]:>7} {vals[5]:>7} "
              f"{vals[6]:>7}")
    if failures:
        print("\nfailures (most frequent first):")
        for f in failures[:8]:
            print(f"  {f['n']:>6}  {f['name']}: {f['error'][:110]}")
    print(flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description="locust scenario against a local deployment",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--web", type=int, default=2, help="web processes (default 2)")
    ap.add_argument("--users", "-u", type=int, default=200, help="locust users (default 200)")
    ap.add_argument("--spawn-rate", "-r", type=float, default=50, help="users started per second (default 50)")
    ap.add_argument("--time", "-t", type=parse_time, default="2m", help="run time after start: 30s, 2m, 1h (default 2m)")
    ap.add_argument("--pairs", type=int, default=None,
                    help="live sessions created (default: enough for every LiveSession user, ~10/15 of --users)")
    ap.add_argument("--supervisors", type=int, default=5)
    ap.add_argument("--max-seconds", type=float, default=None,
                    help="hard limit for the whole run (default: --time + 5 min)")
    ap.add_argument("--keep-logs", action="store_true", help="keep the temp dir (process logs, locust CSV)")
    args = ap.parse_args()
    if args.web < 1 or args.users < 1 or args.time < 1:
        ap.error("--web, --users and --time must be positive")
    need = math.ceil(args.users * LIVE_SHARE) + 2
    if args.pairs is None:
        args.pairs = need
    elif args.pairs < need:
        log(f"warning: --pairs {args.pairs} < ~{need} LiveSession users; the extra ones fail to join")
    max_seconds = args.max_seconds or args.time + 300.0

    hard = raise_nofile()
    if 4 * args.users + 500 > hard:
        sys.exit(f"need about {4 * args.users + 500} file descriptors, the limit is {hard}")

    started = time.monotonic()
    deadline = started + max_seconds

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def on_alarm(signum: int, frame: object) -> None:
        raise OverTime(f"--max-seconds {max_seconds:.0f} exceeded")

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored (`&`)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(max(1, math.ceil(max_seconds)))
    tmp = make_tmp("cbtl-")
    procs = Procs(tmp / "logs")
    emb = None
    rc = 1
    summary: dict[str, Any] = {"run": "locust", "web_processes": args.web, "users": args.users,
                               "spawn_rate": args.spawn_rate, "time_s": args.time, "pairs": args.pairs,
                               "cores": os.cpu_count()}
    try:
        log(f"starting embedded PostgreSQL and Redis in {tmp}")
        emb, _pids = start_embedded(tmp)
        from loadtests import setup_data

        t = time.monotonic()
        pairs, sups = asyncio.run(setup_data.create(emb.database_url, args.pairs, args.supervisors, concurrency=16))
        with (tmp / "accounts.json").open("w") as f:
            json.dump({"pairs": [p.to_json() for p in pairs], "supervisors": sups}, f)
        log(f"created {len(pairs)} live sessions and {len(sups)} supervisors in {time.monotonic() - t:.1f}s")
        ports, _web, _background = start_web(procs, emb, args.web)
        log(f"{args.web} web processes on 127.0.0.1 ports {ports} + worker; logs in {procs.logdir}")
        rc = run_locust(args, procs, tmp, ports, deadline)
        stats, failures = summarize(tmp / "run")
        if not stats:
            log(f"no locust statistics; last lines of {procs.logdir / 'locust.log'}:")
            print((procs.logdir / "locust.log").read_text(errors="replace")[-3000:], flush=True)
        print_table(stats, failures)
        summary |= {"locust_exit_code": rc, "stats_ms": stats, "failures": failures[:20]}
    except (KeyboardInterrupt, OverTime) as e:
        signal.alarm(0)
        log(f"{'interrupted' if isinstance(e, KeyboardInterrupt) else e}: stopping everything")
        rc = 130
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleanup is not interrupted again
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # locust first (SIGTERM: it stops its users and writes its CSV), then the partial summary
        for name, p, _ in procs.items:
            if name == "locust" and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    pass
        stats, failures = summarize(tmp / "run")
        if stats:
            log("partial results, up to the interruption:")
            print_table(stats, failures)
            summary |= {"stats_ms": stats, "failures": failures[:20]}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleanup is not interrupted again
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        procs.stop_all()
        if emb is not None:
            stop_embedded(emb)
            emb = None
        if args.keep_logs:
            log(f"kept {tmp}")
        else:
            remove_tmp(tmp)
    summary["elapsed_s"] = round(time.monotonic() - started, 1)
    if rc == 130:
        summary["interrupted"] = True
    print(json.dumps(summary, separators=(",", ":"), default=str), flush=True)
    raise SystemExit(rc)


if __name__ == "__main__":
    main()
