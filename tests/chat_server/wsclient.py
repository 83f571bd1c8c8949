"""A small test client for the session protocol, over a real WebSocket."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiohttp

from chat_server.protocol import (
    SUBPROTOCOL_JSON,
    SUBPROTOCOL_MSGPACK,
    Codec,
    decode_server,
    encode_client,
)


class WsClient:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse, codec: Codec) -> None:
        self.ws, self.codec = ws, codec
        self.frames: list[dict[str, Any]] = []
        self.seen = 0

    @classmethod
    async def connect(cls, session: aiohttp.ClientSession, url: str, token: str, codec: Codec = Codec.JSON) -> WsClient:
        proto = SUBPROTOCOL_MSGPACK if codec is Codec.MSGPACK else SUBPROTOCOL_JSON
        ws = await session.ws_connect(url, protocols=(proto,), headers={"Authorization": f"Bearer {token}"}, autoping=True)
        return cls(ws, codec)

    async def send(self, frame: dict[str, Any]) -> None:
        data = encode_client(frame, self.codec)
        if isinstance(data, str):
            await self.ws.send_str(data)
        else:
            await self.ws.send_bytes(data)

    async def raw(self, data: str | bytes) -> None:
        if isinstance(data, str):
            await self.ws.send_str(data)
        else:
            await self.ws.send_bytes(data)

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        msg = await self.ws.receive(timeout=timeout)
        if msg.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
            frame = decode_server(msg.data, self.codec)
            self.frames.append(frame)
            return frame
        return {"type": "_closed", "code": self.ws.close_code, "data": msg.data, "extra": msg.extra}

    async def expect(self, kind: str, timeout: float = 5.0, **match: Any) -> dict[str, Any]:
        """Read until a frame of `kind` (matching the given fields) arrives."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise TimeoutError(f"no {kind} frame {match}; got {[f.get('type') for f in self.frames[-10:]]}")
            frame = await self.recv(left)
            if frame["type"] == "_closed" and kind != "_closed":
                raise AssertionError(f"closed while waiting for {kind}: {frame}")
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def join(self, room: int, last_seq: int = 0) -> dict[str, Any]:
        await self.send({"type": "hello", "v": 1, "room": room, "last_seq": last_seq})
        welcome = await self.expect("welcome")
        await self.expect("replayed")
        return welcome

    async def say(self, text: str, client_id: str | None = None, **extra: Any) -> str:
        cid = client_id or uuid.uuid4().hex
        await self.send({"type": "send", "client_id": cid, "text": text, **extra})
        return cid

    def messages(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == "msg"]

    async def close(self) -> None:
        await self.ws.close()
