"""The core records of the brief: people, episodes of care and appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Employment(StrEnum):
    SELF_EMPLOYED = "self_employed"
    AGENCY = "agency"


class Validation(StrEnum):
    IN_VALIDATION = "in_validation"
    VALIDATED = "validated"
    NOT_REQUIRED = "not_required"  # agency therapists skip validation


class AppointmentKind(StrEnum):
    ASSESSMENT = "assessment"
    TREATMENT = "treatment"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    LIVE = "live"
    COMPLETED = "completed"
    DNA = "dna"
    CANCELLED = "cancelled"
    LATE_CANCELLED = "late_cancelled"


class EpisodeStatus(StrEnum):
    ASSESSMENT = "assessment"
    TREATMENT = "treatment"
    DISCHARGED = "discharged"
    STEPPED_UP = "stepped_up"
    STEPPED_DOWN = "stepped_down"
    REFERRED_ON = "referred_on"


ALLOWED_LENGTHS: dict[AppointmentKind, tuple[int, ...]] = {
    AppointmentKind.ASSESSMENT: (60,),
    AppointmentKind.TREATMENT: (60, 45, 30),
}
VALIDATION_CASELOAD_CAP = 10
VALIDATION_COMPLETED_PATIENTS = 10


def check_length(kind: AppointmentKind, minutes: int) -> None:
    """Raise ValueError unless `minutes` is a length the brief allows for `kind`."""
    allowed = ALLOWED_LENGTHS[kind]
    if minutes not in allowed:
        choices = ", ".join(str(m) for m in allowed)
        raise ValueError(f"a {kind.value} lasts {choices} minutes, not {minutes}")


def initial_validation(employment: Employment) -> Validation:
    if employment is Employment.AGENCY:
        return Validation.NOT_REQUIRED
    return Validation.IN_VALIDATION


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    role: Role
    active: bool = True


@dataclass(frozen=True, slots=True)
class TherapistProfile:
    user_id: int
    employment: Employment
    validation: Validation
    caseload_cap: int
    work_country: str = "GB"


@dataclass(frozen=True, slots=True)
class Episode:
    id: int
    patient_id: int
    therapist_id: int
    status: EpisodeStatus
    opened_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Appointment:
    id: int
    episode_id: int
    patient_id: int
    therapist_id: int
    kind: AppointmentKind
    booked_start: datetime
    length_minutes: int
    status: AppointmentStatus
    started_at: datetime | None = None
    ended_at: datetime | None = None
    last_seq: int = 0

    @property
    def booked_end(self) -> datetime:
        # UTC arithmetic: elapsed time, not wall time (STYLE.md §8).
        return self.booked_start + timedelta(minutes=self.length_minutes)
