"""Messages between sessions: who may write to whom, how long a message may be, and the
48-hour reply rule. Pure: the caller passes the thread and ``now`` in.

A thread is one episode of care: its patient and its therapist write to each other
while the episode is open. Afterwards both may still read it; nobody may write.
Supervisors read any thread for oversight (as they read transcripts) and never write;
admins manage accounts, not care, and read none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from clinical.calendar import require_aware
from clinical.records import Role

# The same limit as a message in a live session (chat_server.protocol Limits.max_text_chars);
# a test keeps the two equal.
MAX_TEXT_CHARS = 4000
# A client id makes a resend idempotent; the live protocol's rule (a test keeps them equal).
CLIENT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
REPLY_WITHIN = timedelta(hours=48)


class Access(StrEnum):
    NONE = "none"
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Thread:
    """The parties of one episode's thread and whether the episode is still open."""

    id: int
    patient_id: int
    therapist_id: int
    open: bool


def access(role: Role, user_id: int, thread: Thread) -> Access:
    """What `user_id` in `role` may do with `thread`."""
    party = (role is Role.PATIENT and user_id == thread.patient_id) or (
        role is Role.THERAPIST and user_id == thread.therapist_id
    )
    if party:
        return Access.WRITE if thread.open else Access.READ
    if role is Role.SUPERVISOR:
        return Access.READ
    return Access.NONE


def write_refusal(role: Role, user_id: int, thread: Thread) -> str | None:
    """Why `user_id` may not write in `thread`, or None if they may."""
    granted = access(role, user_id, thread)
    if granted is Access.WRITE:
        return None
    if granted is Access.NONE:
        return "this conversation is not yours"
    if role is Role.SUPERVISOR:
        return "supervisors read conversations for oversight; only the patient and their therapist write"
    return "this episode of care has closed: its messages can be read but not added to"


class TextProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


def text_problem(text: str) -> TextProblem | None:
    """Whether a message's text can be sent as it is (it is stored exactly as written)."""
    if len(text) > MAX_TEXT_CHARS:
        return TextProblem.TOO_LONG
    if not text.strip():
        return TextProblem.EMPTY
    return None


@dataclass(frozen=True, slots=True)
class Sent:
    """One message of a thread, as the reply rule sees it."""

    sender_role: Role
    at: datetime


def first_unanswered(messages: Iterable[Sent]) -> datetime | None:
    """When the oldest patient message still waiting for the therapist was sent.

    ``messages`` in thread order. A patient message is answered by the therapist's next
    message, so only patient messages after the therapist's last one are waiting. The
    storage layer computes the same in SQL for every thread it lists (storage.inbox
    ``waiting_since``); a test holds the two to agree."""
    waiting: datetime | None = None
    for m in messages:
        if m.sender_role is Role.THERAPIST:
            waiting = None
        elif m.sender_role is Role.PATIENT and waiting is None:
            waiting = require_aware(m.at, "at")
    return waiting


@dataclass(frozen=True, slots=True)
class ReplyStatus:
    awaiting: bool
    due_at: datetime | None
    overdue: bool


def reply_status(waiting_since: datetime | None, now: datetime) -> ReplyStatus:
    """The therapist's reply is due 48 hours (elapsed, UTC) after the oldest unanswered
    patient message; past that it is overdue."""
    now = require_aware(now, "now")
    if waiting_since is None:
        return ReplyStatus(False, None, False)
    due = require_aware(waiting_since, "waiting_since") + REPLY_WITHIN
    return ReplyStatus(True, due, now >= due)
