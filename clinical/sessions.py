"""Who may be in a live session, and when: pure rules, time passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from clinical.records import Appointment, AppointmentStatus, Role

JOIN_EARLY = timedelta(minutes=15)
FIVE_MINUTES = timedelta(minutes=5)


class RoomRole(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"
    OBSERVER = "observer"  # a supervisor, read-only, visible to both


class Refusal(StrEnum):
    FORBIDDEN = "forbidden"
    TOO_EARLY = "too_early"
    SESSION_ENDED = "session_ended"


@dataclass(frozen=True, slots=True)
class JoinDecision:
    role: RoomRole | None
    refusal: Refusal | None
    reason: str

    @property
    def allowed(self) -> bool:
        return self.role is not None


def room_role(appt: Appointment, user_id: int, role: Role) -> RoomRole | None:
    if role is Role.PATIENT and user_id == appt.patient_id:
        return RoomRole.PATIENT
    if role is Role.THERAPIST and user_id == appt.therapist_id:
        return RoomRole.THERAPIST
    if role is Role.SUPERVISOR:
        return RoomRole.OBSERVER
    return None


def decide_join(
    appt: Appointment, user_id: int, role: Role, now: datetime, early: timedelta = JOIN_EARLY
) -> JoinDecision:
    """Only the appointment's patient and therapist (and supervisors, read-only) may join,
    from `early` before the booked start until the session ends."""
    member = room_role(appt, user_id, role)
    if member is None:
        return JoinDecision(None, Refusal.FORBIDDEN, "you are not a participant of this session")
    if appt.status in (
        AppointmentStatus.COMPLETED,
        AppointmentStatus.DNA,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.LATE_CANCELLED,
    ):
        return JoinDecision(
            None, Refusal.SESSION_ENDED, f"this session is {appt.status.value}; read its transcript instead"
        )
    if appt.status is AppointmentStatus.BOOKED:
        opens = appt.booked_start - early
        if now < opens:
            return JoinDecision(
                None, Refusal.TOO_EARLY, f"the room opens at {opens.isoformat()} ({int(early.total_seconds() // 60)} minutes before the start)"
            )
        if now > appt.booked_end:
            return JoinDecision(None, Refusal.SESSION_ENDED, "the booked time of this session has passed")
    return JoinDecision(member, None, "ok")


class LifecycleError(ValueError):
    """An illegal session transition (e.g. ending a session that never started)."""


def start(appt: Appointment, by: RoomRole) -> AppointmentStatus:
    if by is not RoomRole.THERAPIST:
        raise LifecycleError("only the therapist starts the session")
    if appt.status is AppointmentStatus.LIVE:
        raise LifecycleError("the session has already started")
    if appt.status is not AppointmentStatus.BOOKED:
        raise LifecycleError(f"a {appt.status.value} session cannot start")
    return AppointmentStatus.LIVE


def end(appt: Appointment, by: RoomRole) -> AppointmentStatus:
    if by is not RoomRole.THERAPIST:
        raise LifecycleError("only the therapist ends the session")
    if appt.status is not AppointmentStatus.LIVE:
        raise LifecycleError("only a live session can end")
    return AppointmentStatus.COMPLETED


def five_minute_notice_at(appt: Appointment) -> datetime:
    return appt.booked_end - FIVE_MINUTES
