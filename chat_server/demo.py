"""Demo data, loaded once: people, episodes, today's appointments and a few messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from chat_server.auth import hash_password
from chat_server.storage import accounts, care, db
from chat_server.storage import inbox as inbox_store
from clinical.records import (
    AppointmentKind,
    Employment,
    Role,
    TherapistProfile,
    Validation,
)

PASSWORD = "demo-password"

# Messages between sessions (patient, therapist, who writes, text): Pat has had a reply from
# Asha; Priya waits for Ben's.
MESSAGES = [
    ("pat@demo.cbt", "asha@demo.cbt", Role.PATIENT,
     "I tried the thought record after our session. I got stuck on the evidence-against column."),
    ("pat@demo.cbt", "asha@demo.cbt", Role.THERAPIST,
     "Thanks for trying it, Pat. Bring it along today and we'll fill that column in together."),
    ("priya@demo.cbt", "ben@demo.cbt", Role.PATIENT,
     "Could we talk about my sleep next time? It has been worse since the clocks changed."),
]

PEOPLE: list[tuple[str, str, Role, TherapistProfile | None, bool]] = [
    ("admin@demo.cbt", "Alex Admin", Role.ADMIN, None, False),
    ("supervisor@demo.cbt", "Sally Supervisor", Role.SUPERVISOR, None, False),
    ("backup@demo.cbt", "Bola Backup", Role.SUPERVISOR, None, False),
    ("lead@demo.cbt", "Lee Clinical-Lead", Role.SUPERVISOR, None, True),
    ("asha@demo.cbt", "Asha Patel", Role.THERAPIST,
     TherapistProfile(0, Employment.SELF_EMPLOYED, Validation.VALIDATED, 20), False),
    ("ben@demo.cbt", "Ben Okafor", Role.THERAPIST,
     TherapistProfile(0, Employment.SELF_EMPLOYED, Validation.IN_VALIDATION, 10), False),
    ("carla@demo.cbt", "Carla Reyes", Role.THERAPIST,
     TherapistProfile(0, Employment.AGENCY, Validation.NOT_REQUIRED, 12), False),
    ("pat@demo.cbt", "Pat Morgan", Role.PATIENT, None, False),
    ("priya@demo.cbt", "Priya Shah", Role.PATIENT, None, False),
    ("sam@demo.cbt", "Sam Lewis", Role.PATIENT, None, False),
]


async def seed(dsn: str, force: bool = False, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    pool = await db.connect(dsn, min_size=1, max_size=2)
    try:
        if not force and await accounts.user_by_email(pool, "admin@demo.cbt") is not None:
            return "Demo data already loaded (cbt demo --force adds another set of appointments)."
        hashed = hash_password(PASSWORD)
        ids: dict[str, int] = {}
        for email, name, role, profile, lead in PEOPLE:
            found = await accounts.user_by_email(pool, email)
            if found is None:
                user = await accounts.create_user(
                    pool, email=email, display_name=name, role=role, password_hash=hashed,
                    therapist=profile, clinical_lead=lead,
                )
                ids[email] = user.id
            else:
                ids[email] = found[0].id
        # Appointments today: one open now, one in a few minutes, one later.
        slot = now.replace(second=0, microsecond=0)
        plan = [
            ("pat@demo.cbt", "asha@demo.cbt", slot - timedelta(minutes=5)),
            ("priya@demo.cbt", "ben@demo.cbt", slot + timedelta(minutes=10)),
            ("sam@demo.cbt", "carla@demo.cbt", slot + timedelta(hours=3)),
        ]
        made = []
        for patient, therapist, start in plan:
            eps = await pool.fetchval(
                "SELECT id FROM episodes WHERE patient_id = $1 AND closed_at IS NULL", ids[patient]
            )
            if eps is None:
                eps = (await care.create_episode(pool, ids[patient], ids[therapist])).id
            has_any = await pool.fetchval("SELECT count(*) FROM appointments WHERE episode_id = $1", eps)
            kind = AppointmentKind.TREATMENT if has_any else AppointmentKind.ASSESSMENT
            try:
                appt = await care.create_appointment(pool, eps, kind, start, 60)
                uk = start.astimezone(ZoneInfo("Europe/London"))
                made.append(f"  session {appt.id}: {patient} with {therapist} at {uk:%H:%M} UK time ({kind.value})")
            except accounts.Conflict as e:
                made.append(f"  skipped {patient}: {e}")
        # Messages between sessions; fixed client ids, so loading again adds none.
        for i, (patient, therapist, sender, text) in enumerate(MESSAGES):
            thread = await pool.fetchval(
                "SELECT id FROM episodes WHERE patient_id = $1 AND therapist_id = $2 AND closed_at IS NULL",
                ids[patient], ids[therapist],
            )
            if thread is not None:
                who = patient if sender is Role.PATIENT else therapist
                await inbox_store.store_message(pool, thread, ids[who], sender, f"demo-{i}", text)
        made.append("  messages between sessions: Pat and Asha (answered), Priya awaiting Ben's reply")
        # The on-call rota: this week and the next few.
        from chat_server.storage import risk as risk_store
        from clinical.calendar import london_date, week_start

        monday = week_start(london_date(now))
        for w in range(6):
            await risk_store.set_week(pool, monday + timedelta(days=7 * w), ids["supervisor@demo.cbt"], ids["backup@demo.cbt"])
        made.append("  on-call rota: Sally Supervisor (primary), Bola Backup (backup); clinical lead Lee")
        return "Demo data loaded:\n" + "\n".join(made)
    finally:
        await pool.close()
