"""HTTP for messages between sessions: threads, reading, sending, read marks.

The rules (who may write, the text limit, the 48-hour reply) are in clinical.inbox;
this module asks who is calling, does the I/O and shapes the JSON. A patient's message
is stored first and answered at once; the screener reads it from PostgreSQL afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from aiohttp import web
from pydantic import Field, StringConstraints

from chat_server import alerting, auth, keys
from chat_server.api import Body, path_id
from chat_server.errors import ApiError, parse_body
from chat_server.live_http import int_query
from chat_server.storage import accounts, audit
from chat_server.storage import inbox as inbox_store
from clinical import inbox
from clinical.records import Role, User

routes = web.RouteTableDef()
ClientId = Annotated[str, StringConstraints(pattern="^" + inbox.CLIENT_ID.pattern + "$")]
NOTICE_FOR = timedelta(hours=24)  # how long a flagged message keeps crisis contacts in view
READERS = (Role.PATIENT, Role.THERAPIST, Role.SUPERVISOR)


class SendBody(Body):
    client_id: ClientId
    text: str


class ReadBody(Body):
    up_to: int | None = Field(default=None, gt=0, le=2**63 - 1)


def message_json(m: inbox_store.InboxMessage) -> dict[str, Any]:
    return {"id": m.id, "thread_id": m.thread_id, "sender_id": m.sender_id, "sender_name": m.sender_name,
            "sender_role": m.sender_role.value, "client_id": m.client_id, "text": m.text, "at": m.at.isoformat()}


def summary_json(s: inbox_store.ThreadSummary, user: User, now: datetime) -> dict[str, Any]:
    t = s.thread
    out: dict[str, Any] = {
        "id": t.id, "open": t.open,
        "patient": {"id": t.patient_id, "name": s.patient_name},
        "therapist": {"id": t.therapist_id, "name": s.therapist_name},
        "can_write": inbox.write_refusal(user.role, user.id, t) is None,
        "last_at": s.last_at.isoformat() if s.last_at else None,
        "last_sender_role": s.last_sender_role.value if s.last_sender_role else None,
        "last_text": s.last_text,
        "unread": s.unread if user.role is not Role.SUPERVISOR else None,
        "reply": None,
    }
    if user.role is not Role.PATIENT:
        # A closed episode has nobody to reply to: nothing is due.
        status = inbox.reply_status(s.waiting_since if t.open else None, now)
        out["reply"] = {"awaiting": status.awaiting, "overdue": status.overdue,
                        "due_at": status.due_at.isoformat() if status.due_at else None}
    return out


async def thread_for(request: web.Request) -> inbox.Thread:
    """The thread in the path, if the caller may read it (404 unknown, 403 not theirs)."""
    thread_id = path_id(request, "thread_id")
    user: User = request[keys.USER]
    pool = request.app[keys.POOL]
    thread = await inbox_store.thread(pool, thread_id)
    if thread is None:
        raise ApiError(404, "not_found", f"there is no conversation {thread_id}; GET /api/inbox/threads lists yours")
    if inbox.access(user.role, user.id, thread) is inbox.Access.NONE:
        await audit.record(pool, user.id, "denied_read", "inbox_thread", thread_id)
        raise ApiError(403, "forbidden", "this conversation is not yours")
    return thread


@routes.get("/api/inbox/threads")
@auth.requires(*READERS)
async def list_threads(request: web.Request) -> web.Response:
    user: User = request[keys.USER]
    rows = await inbox_store.threads_for(request.app[keys.POOL], user.id, user.role)
    now = datetime.now(UTC)
    return web.json_response({"threads": [summary_json(s, user, now) for s in rows]})


@routes.get("/api/inbox/threads/{thread_id}")
@auth.requires(*READERS)
async def read_thread(request: web.Request) -> web.Response:
    """One page of a thread: the newest `limit` messages before `before` (default: the
    newest), or with `after` the messages after that id (to fetch what is new)."""
    thread = await thread_for(request)
    user: User = request[keys.USER]
    if "before" in request.query and "after" in request.query:
        raise ApiError(400, "invalid_field", "give before or after, not both")
    before = int_query(request, "before", 0, 1, 2**63 - 1) if "before" in request.query else None
    after = int_query(request, "after", 0, 0, 2**63 - 1) if "after" in request.query else None
    limit = int_query(request, "limit", 50, 1, 200)
    pool = request.app[keys.POOL]
    page = await inbox_store.messages(pool, thread.id, before=before, after=after, limit=limit + 1)
    more = len(page) > limit
    if more:  # the extra one is the oldest when paging back, the newest when reading forward
        page = page[1:] if after is None else page[:limit]
    await audit.record(pool, user.id, "read_inbox", "inbox_thread", thread.id, {"before": before, "after": after})
    summary = await inbox_store.thread_summary(pool, thread.id, user.id)
    assert summary is not None
    now = datetime.now(UTC)
    notice = None
    if user.role is not Role.SUPERVISOR:
        flagged = await inbox_store.flagged_in_thread(pool, thread.id, now - NOTICE_FOR)
        if flagged:
            top = flagged[0]
            make = alerting.patient_notice if user.role is Role.PATIENT else alerting.therapist_notice
            notice = make(top["category"], top["severity"])
    return web.json_response({
        "thread": summary_json(summary, user, now),
        "messages": [message_json(m) for m in page],
        "next_before": page[0].id if more and after is None and page else None,
        "next_after": page[-1].id if more and after is not None and page else None,
        "risk_notice": notice,
    })


@routes.post("/api/inbox/threads/{thread_id}/messages")
@auth.requires(*READERS)
async def send(request: web.Request) -> web.Response:
    """Send a message. A resend with the same client_id returns the stored message (200,
    "duplicate": true) instead of storing it twice."""
    thread = await thread_for(request)
    user: User = request[keys.USER]
    refusal = inbox.write_refusal(user.role, user.id, thread)
    if refusal is not None:
        raise ApiError(403, "forbidden", refusal)
    body = await parse_body(request, SendBody)
    problem = inbox.text_problem(body.text)
    if problem is inbox.TextProblem.TOO_LONG:
        raise ApiError(413, "too_large", f"text: at most {inbox.MAX_TEXT_CHARS} characters, not {len(body.text)}")
    if problem is inbox.TextProblem.EMPTY:
        raise ApiError(422, "invalid_field", "text: write something (it is empty or only spaces)")
    if "\x00" in body.text:
        raise ApiError(422, "invalid_field", "text: must not contain NUL characters")
    pool = request.app[keys.POOL]
    try:
        stored, new = await inbox_store.store_message(pool, thread.id, user.id, user.role, body.client_id, body.text)
    except accounts.Conflict as e:
        raise ApiError(409, "conflict", str(e)) from None
    if new and user.role is Role.PATIENT:
        request.app[keys.DESK].wake_screener()
    return web.json_response({"message": message_json(stored), "duplicate": not new}, status=201 if new else 200)


@routes.post("/api/inbox/threads/{thread_id}/read")
@auth.requires(Role.PATIENT, Role.THERAPIST)
async def mark_read(request: web.Request) -> web.Response:
    """Mark the thread read up to `up_to` (a message id), or to its newest message."""
    thread = await thread_for(request)
    user: User = request[keys.USER]
    body = await parse_body(request, ReadBody) if request.body_exists else ReadBody()
    unread = await inbox_store.mark_read(request.app[keys.POOL], thread.id, user.id, body.up_to)
    return web.json_response({"thread_id": thread.id, "unread": unread})
