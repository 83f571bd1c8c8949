"""An open WebSocket lets go of its upgrade request's headers and HTTP parser, and still works."""

from __future__ import annotations

import gc

from aiohttp import web

from clinical.records import Role
from tests.chat_server.test_live import pair
from tests.conftest import People, login

BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Accept-Language": "en-GB,en;q=0.9",
    "Cache-Control": "no-cache",
    "Pragma": "no-cache",
}


def upgraded_requests(path: str) -> list[web.BaseRequest]:
    """The server's requests for `path` whose connection aiohttp has handed to a WebSocket reader."""
    return [o for o in gc.get_objects()
            if isinstance(o, web.BaseRequest) and o.path == path
            and getattr(o.protocol, "_payload_parser", None) is not None]


async def test_an_open_session_socket_keeps_no_headers_or_http_parser(client, people: People, pool) -> None:
    appt, p, t = await pair(client, people)
    await p.join(appt.id)
    await t.join(appt.id)
    held = upgraded_requests("/ws")
    assert len(held) == 2
    for request in held:
        assert len(request.headers) == 0
        assert request.protocol._parser is None
    # ... and the sockets still carry a session both ways after it.
    cid = await p.say("i did the behavioural experiment")
    assert (await p.expect("ack", client_id=cid))["seq"] == 1
    assert (await t.expect("msg", seq=1))["text"] == "i did the behavioural experiment"
    cid = await t.say("how did it go?")
    await t.expect("ack", client_id=cid)
    assert (await p.expect("msg", seq=2))["text"] == "how did it go?"
    assert await pool.fetchval("SELECT count(*) FROM messages WHERE appointment_id = $1", appt.id) == 2


async def test_the_alerts_socket_sheds_them_too_after_reading_the_login(client, people: People) -> None:
    token = await login(client, await people.user(Role.SUPERVISOR, "Sam"))
    client.session.cookie_jar.clear()
    ws = await client.session.ws_connect(client.make_url("/ws/alerts"),
                                         headers={"Authorization": f"Bearer {token}", **BROWSER_HEADERS})
    try:
        first = await ws.receive_json(timeout=5)
        assert first["type"] != "error"  # the login was read before the headers went
        (request,) = upgraded_requests("/ws/alerts")
        assert len(request.headers) == 0
        assert request.protocol._parser is None
    finally:
        await ws.close()
