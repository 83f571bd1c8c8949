"""UK crisis contacts, shown to a patient at once when risk is flagged and no
clinician is on duty (and always for urgent risk)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ContactMethod(StrEnum):
    CALL = "call"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class CrisisContact:
    """`label` is short enough for a button; `number` is what to dial or text."""

    key: str
    label: str
    number: str
    method: ContactMethod
    description: str
    text_message: str | None = None

    @property
    def href(self) -> str:
        """A `tel:` or `sms:` link for the browser client."""
        digits = self.number.replace(" ", "")
        if self.method is ContactMethod.TEXT:
            body = f"?body={self.text_message}" if self.text_message else ""
            return f"sms:{digits}{body}"
        return f"tel:{digits}"


EMERGENCY = CrisisContact(
    key="emergency",
    label="Emergency: call 999",
    number="999",
    method=ContactMethod.CALL,
    description="If your life or someone else's is in danger now.",
)
NHS_111 = CrisisContact(
    key="nhs_111",
    label="NHS 111",
    number="111",
    method=ContactMethod.CALL,
    description="Urgent help from the NHS, 24 hours a day (choose the mental health option).",
)
SAMARITANS = CrisisContact(
    key="samaritans",
    label="Samaritans: 116 123",
    number="116 123",
    method=ContactMethod.CALL,
    description="Free, 24 hours a day, to talk about anything that is upsetting you.",
)
SHOUT = CrisisContact(
    key="shout",
    label="Text SHOUT to 85258",
    number="85258",
    method=ContactMethod.TEXT,
    description="Free, confidential text support, 24 hours a day.",
    text_message="SHOUT",
)

CRISIS_CONTACTS: tuple[CrisisContact, ...] = (EMERGENCY, NHS_111, SAMARITANS, SHOUT)


def crisis_contacts() -> tuple[CrisisContact, ...]:
    """The contacts in display order (emergency first)."""
    return CRISIS_CONTACTS
