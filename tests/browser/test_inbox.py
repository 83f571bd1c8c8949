"""Messages between sessions in the browser: a patient writes, the therapist sees who is
waiting (and who is overdue), opens the conversation and replies; the patient reads it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Browser, expect

from chat_server.storage import care
from clinical.records import Role
from tests.browser.conftest import js_errors, log_in, new_page
from tests.conftest import People, WebProcess

pytestmark = pytest.mark.browser


async def test_patient_writes_and_therapist_replies(browser: Browser, people: People, web_pair: list[WebProcess]) -> None:
    therapist = await people.user(Role.THERAPIST, "Asha Patel")
    patient = await people.user(Role.PATIENT, "Pat Morgan")
    late = await people.user(Role.PATIENT, "Lee Waiting")
    await care.create_episode(people.pool, patient.id, therapist.id)
    late_ep = await care.create_episode(people.pool, late.id, therapist.id)
    await people.pool.execute(
        "INSERT INTO inbox_messages (episode_id, sender_id, sender_role, client_id, body, created_at)"
        " VALUES ($1, $2, 'patient', 'old-1', 'Are you there?', $3)",
        late_ep.id, late.id, datetime.now(UTC) - timedelta(hours=50))

    pat = await new_page(browser)
    await log_in(pat, web_pair[0].url, patient)
    await expect(pat).to_have_url(re.compile(r"/static/patient\.html$"))
    inbox = pat.locator("#inbox")
    await expect(inbox.get_by_role("heading", name="Conversation with Asha Patel")).to_be_visible()
    await inbox.get_by_label("Your message").fill("I got stuck on the evidence column of the thought record.")
    await inbox.get_by_role("button", name="Send message").click()
    mine = inbox.get_by_role("list", name="Messages with Asha Patel").locator("li")
    await expect(mine).to_have_count(1)
    await expect(mine.first).to_contain_text("I got stuck on the evidence column")
    await expect(inbox.get_by_label("Your message")).to_have_value("")

    # The therapist, on the other web process, sees who waits for a reply and who is overdue.
    asha = await new_page(browser)
    await log_in(asha, web_pair[1].url, therapist)
    await expect(asha).to_have_url(re.compile(r"/static/therapist\.html$"))
    tbox = asha.locator("#inbox")
    pat_row = tbox.locator("li.session-item", has_text="Pat Morgan")
    await expect(pat_row).to_contain_text("Awaiting reply")
    await expect(pat_row).to_contain_text("1 unread")
    await expect(tbox.locator("li.session-item", has_text="Lee Waiting")).to_contain_text("Reply overdue")
    await tbox.get_by_role("button", name="Open conversation with Pat Morgan").click()
    await expect(tbox.get_by_role("list", name="Messages with Pat Morgan")).to_contain_text(
        "I got stuck on the evidence column")
    await expect(pat_row).not_to_contain_text("unread")  # opening it marked it read
    await tbox.get_by_label("Your message").fill("Let's start with that column next time; try one piece of evidence.")
    await tbox.get_by_role("button", name="Send message").click()
    await expect(pat_row).not_to_contain_text("Awaiting reply")

    # "Therapists can raise risk by hand from the session or the inbox" (issue 5).
    await tbox.get_by_text("Raise risk for Pat Morgan by hand").click()
    await tbox.get_by_role("button", name="Raise risk").click()  # no note yet: refused in the page
    await expect(tbox.get_by_role("alert").filter(has_text="Say what you saw")).to_be_visible()
    await tbox.get_by_label("Category").select_option("self_harm")
    await tbox.get_by_label("Severity").select_option("urgent")
    await tbox.get_by_label("What you saw, for the clinician").fill("Mentioned new cuts on a video call today.")
    await tbox.get_by_role("button", name="Raise risk").click()
    await expect(tbox.get_by_role("status").filter(has_text="Risk raised (alert")).to_be_visible()
    raised = await people.pool.fetch(
        "SELECT source, category, severity, raised_by, excerpt FROM risk_alerts WHERE patient_id = $1", patient.id)
    assert [tuple(r) for r in raised] == [
        ("manual", "self_harm", "urgent", therapist.id, "Mentioned new cuts on a video call today.")]

    await pat.reload()
    thread = pat.locator("#inbox").get_by_role("list", name="Messages with Asha Patel").locator("li")
    await expect(thread).to_have_count(2)
    await expect(thread.nth(1)).to_contain_text("Asha Patel")
    await expect(thread.nth(1)).to_contain_text("try one piece of evidence")
    assert js_errors(pat) == [] and js_errors(asha) == []
