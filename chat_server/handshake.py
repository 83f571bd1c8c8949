"""What an upgraded WebSocket can let go of from the HTTP request that opened it.

aiohttp keeps the upgrade request for a socket's whole life: its frames hold the parsed
message, and the connection keeps its HTTP parser, which never parses HTTP on that
connection again yet holds lists of the last request's headers (as str and as bytes)
and its URL. With a browser's dozen headers, letting both go took the web processes
from 20.9 to 17.0 KB of RSS a socket with 10,000 open (`loadtests.bench`; the headers
alone 0.8 KB). aiohttp has no API to release them, so `shed` reaches for the two that
can go once the handshake is done and the login read:

- the parsed headers (each one a str pair in a multidict, beside the raw bytes that the
  message's tuple keeps regardless), by emptying the multidict behind `request.headers`;
- the HTTP parser, which aiohttp sets aside itself only when the connection is lost.

Both are no-ops if aiohttp's insides change; `tests/chat_server/test_handshake.py` fails then, so an
upgrade costs memory loudly, never silently. Call it only after `ws.prepare(request)`
and after everything that reads a header (the login).
"""

from __future__ import annotations

import gc

from aiohttp import web
from multidict import CIMultiDict


def shed(request: web.Request) -> None:
    """Release the upgrade request's parsed headers and the connection's HTTP parser."""
    for held in gc.get_referents(request.headers):
        if isinstance(held, CIMultiDict):
            held.clear()
    protocol = request.protocol
    # Only once aiohttp has handed the connection to the WebSocket reader: before that
    # the HTTP parser is the only thing reading it.
    if getattr(protocol, "_payload_parser", None) is not None and hasattr(protocol, "_parser"):
        protocol._parser = None
