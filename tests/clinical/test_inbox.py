from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chat_server.protocol import DEFAULT_LIMITS, Codec, ProtocolError, decode
from clinical.inbox import (
    CLIENT_ID,
    MAX_TEXT_CHARS,
    REPLY_WITHIN,
    Access,
    Sent,
    TextProblem,
    Thread,
    access,
    first_unanswered,
    reply_status,
    text_problem,
    write_refusal,
)
from clinical.records import Role

NOW = datetime(2026, 7, 1, 10, tzinfo=UTC)
OPEN = Thread(id=1, patient_id=10, therapist_id=20, open=True)
CLOSED = Thread(id=2, patient_id=10, therapist_id=20, open=False)
P, T = Role.PATIENT, Role.THERAPIST


def at(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def test_the_patient_and_their_therapist_write_in_an_open_episode() -> None:
    assert access(P, 10, OPEN) is Access.WRITE
    assert access(T, 20, OPEN) is Access.WRITE
    assert write_refusal(P, 10, OPEN) is None
    assert write_refusal(T, 20, OPEN) is None


def test_nobody_else_writes_or_reads() -> None:
    assert access(P, 11, OPEN) is Access.NONE  # another patient
    assert access(T, 21, OPEN) is Access.NONE  # another therapist
    assert access(T, 10, OPEN) is Access.NONE  # the patient's id, but not in the therapist role
    assert access(P, 20, OPEN) is Access.NONE
    assert access(Role.ADMIN, 1, OPEN) is Access.NONE
    assert write_refusal(P, 11, OPEN) == "this conversation is not yours"


def test_supervisors_read_for_oversight_but_never_write() -> None:
    assert access(Role.SUPERVISOR, 30, OPEN) is Access.READ
    refusal = write_refusal(Role.SUPERVISOR, 30, OPEN)
    assert refusal is not None and "oversight" in refusal


def test_a_closed_episode_is_read_only_for_its_parties() -> None:
    assert access(P, 10, CLOSED) is Access.READ
    assert access(T, 20, CLOSED) is Access.READ
    assert access(T, 21, CLOSED) is Access.NONE
    refusal = write_refusal(P, 10, CLOSED)
    assert refusal is not None and "closed" in refusal


def test_the_text_limit_is_the_live_sessions() -> None:
    assert DEFAULT_LIMITS.max_text_chars == MAX_TEXT_CHARS
    assert text_problem("x" * MAX_TEXT_CHARS) is None
    assert text_problem("x" * (MAX_TEXT_CHARS + 1)) is TextProblem.TOO_LONG
    assert text_problem("") is TextProblem.EMPTY
    assert text_problem(" \n\t ") is TextProblem.EMPTY
    assert text_problem("  hello  ") is None


@pytest.mark.parametrize("cid", ["a1-b2_c3.d:4", "x" * 64, "", "x" * 65, "has space", "ümlaut", "a/b"])
def test_client_ids_follow_the_live_protocols_rule(cid: str) -> None:
    frame = json.dumps({"type": "send", "client_id": cid, "text": "hi", "corrects": None})
    try:
        decode(frame, Codec.JSON)
        live = True
    except ProtocolError:
        live = False
    assert (CLIENT_ID.fullmatch(cid) is not None) is live


def test_no_messages_or_only_therapist_messages_await_nothing() -> None:
    assert first_unanswered([]) is None
    assert first_unanswered([Sent(T, at(5)), Sent(T, at(1))]) is None
    assert reply_status(None, NOW).awaiting is False


def test_a_patient_message_is_answered_by_the_therapists_next_message() -> None:
    assert first_unanswered([Sent(P, at(10)), Sent(T, at(5))]) is None
    # the oldest unanswered message sets the clock, not the newest
    assert first_unanswered([Sent(P, at(10)), Sent(P, at(3))]) == at(10)
    assert first_unanswered([Sent(P, at(10)), Sent(T, at(5)), Sent(P, at(3)), Sent(P, at(1))]) == at(3)


def test_reply_due_48_hours_after_and_overdue_from_then() -> None:
    status = reply_status(first_unanswered([Sent(P, at(47))]), NOW)
    assert status.awaiting and not status.overdue
    assert status.due_at == at(47) + REPLY_WITHIN == NOW + timedelta(hours=1)
    exactly = reply_status(first_unanswered([Sent(P, at(48))]), NOW)
    assert exactly.overdue and exactly.due_at == NOW
    assert reply_status(first_unanswered([Sent(P, at(49))]), NOW).overdue


def test_48_hours_are_elapsed_time_across_a_clock_change() -> None:
    london = ZoneInfo("Europe/London")
    sent = datetime(2026, 10, 24, 12, 0, tzinfo=london)  # BST; clocks go back on the 25th
    status = reply_status(sent, sent + timedelta(hours=1))
    assert status.due_at == sent.astimezone(UTC) + timedelta(hours=48)
    assert status.due_at is not None
    assert status.due_at.astimezone(london).hour == 11  # 48 h later is 11:00 GMT by the wall clock


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        reply_status(datetime(2026, 7, 1), NOW)
    with pytest.raises(ValueError, match="aware"):
        reply_status(None, datetime(2026, 7, 1))
