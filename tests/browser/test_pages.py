"""Admin and supervisor pages, and UK-time entry across clock changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.async_api import Browser, expect

from clinical.records import Role
from tests.browser.conftest import js_errors, log_in, new_page
from tests.conftest import People, WebProcess

pytestmark = pytest.mark.browser


async def test_uk_time_entry(browser: Browser, people: People, web_pair: list[WebProcess]) -> None:
    admin = await people.user(Role.ADMIN)
    page = await new_page(browser)
    await log_in(page, web_pair[0].url, admin)
    await expect(page).to_have_url(re.compile(r"/static/admin\.html$"))
    got = await page.evaluate("""async () => {
        const t = await import('/static/js/time.js');
        const safe = (s) => { try { return t.londonLocalToIso(s); } catch (e) { return 'error'; } };
        return [safe('2026-07-01T18:00'), safe('2026-12-01T18:00'), safe('2026-03-29T01:30'),
                safe('2026-03-29T02:00'), safe('2026-10-25T01:30'), safe('2026-10-25T02:00'),
                t.formatDateTime(Date.UTC(2026, 6, 1, 17, 0))];
    }""")
    assert got == [
        "2026-07-01T18:00:00+01:00",
        "2026-12-01T18:00:00+00:00",
        "error",
        "2026-03-29T02:00:00+01:00",
        "2026-10-25T01:30:00+01:00",
        "2026-10-25T02:00:00+00:00",
        "Wed, 1 Jul 2026, 18:00",
    ]


async def admin_page(browser: Browser, people: People, base: str):  # type: ignore[no-untyped-def]
    admin = await people.user(Role.ADMIN, name="Ada Admin")
    page = await new_page(browser)
    await log_in(page, base, admin)
    await expect(page.locator("#user-name")).to_have_text("Ada Admin")
    return page


async def test_admin_creates_users(
    browser: Browser, people: People, web_pair: list[WebProcess]
) -> None:
    page = await admin_page(browser, people, web_pair[0].url)
    form = page.locator("#user-form")
    for email, name, role in [
        ("tess@example.org", "Tess Therapist", "therapist"),
        ("pia@example.org", "Pia Patient", "patient"),
    ]:
        await form.get_by_label("E-mail address").fill(email)
        await form.get_by_label("Display name").fill(name)
        await form.get_by_label("Role").select_option(role)
        if role == "therapist":
            await form.get_by_label("Employment").select_option("agency")
        await form.get_by_label("Initial password").fill("a-long-password-1")
        await form.get_by_role("button", name="Create user").click()
        await expect(form.get_by_role("status")).to_contain_text(f"Created {role} {name}")
    await expect(page.locator("#users")).to_contain_text("Pia Patient")


async def test_admin_books_in_uk_time(
    browser: Browser, people: People, web_pair: list[WebProcess]
) -> None:
    tess = await people.user(Role.THERAPIST, name="Tess Therapist")
    pia = await people.user(Role.PATIENT, name="Pia Patient")
    page = await admin_page(browser, people, web_pair[0].url)
    await expect(page.locator("#users")).to_contain_text("Pia Patient")

    # A bad password is explained before anything is sent.
    form = page.locator("#user-form")
    await form.get_by_label("E-mail address").fill("x@example.org")
    await form.get_by_label("Display name").fill("X")
    await form.get_by_label("Initial password").fill("short")
    await form.get_by_role("button", name="Create user").click()
    await expect(form.get_by_role("alert")).to_contain_text("at least 10 characters")

    ep = page.locator("#episode-form")
    await ep.get_by_label("Patient").select_option(label=f"Pia Patient ({pia.email})")
    await ep.get_by_label("Therapist").select_option(label=f"Tess Therapist ({tess.email})")
    await ep.get_by_role("button", name="Create episode").click()
    await expect(ep.get_by_role("status")).to_contain_text("Episode 1 created")

    appt = page.locator("#appt-form")
    await expect(appt.get_by_label("Episode number")).to_have_value("1")
    await appt.get_by_label("Start (UK time)").fill("2031-07-01T18:00")
    await appt.get_by_role("button", name="Book appointment").click()
    await expect(appt.get_by_role("status")).to_contain_text("1 Jul 2031, 18:00 UK time")
    start = await people.pool.fetchval("SELECT booked_start FROM appointments")
    assert start == datetime(2031, 7, 1, 17, 0, tzinfo=UTC)  # 18:00 BST is 17:00 UTC

    # The hour skipped when the clocks go forward is refused with an explanation.
    await appt.get_by_label("Kind").select_option("treatment")
    await appt.get_by_label("Start (UK time)").fill("2031-03-30T01:30")
    await appt.get_by_role("button", name="Book appointment").click()
    await expect(appt.get_by_role("alert")).to_contain_text("clocks go forward")
    assert js_errors(page) == []


async def test_supervisor_observes(
    browser: Browser, people: People, web_pair: list[WebProcess]
) -> None:
    patient = await people.user(Role.PATIENT, name="Pat Patient")
    therapist = await people.user(Role.THERAPIST, name="Asha Therapist")
    supervisor = await people.user(Role.SUPERVISOR, name="Sue Supervisor")
    appt = await people.appointment(patient, therapist, live=True)
    a, b = web_pair

    pat = await new_page(browser)
    await log_in(pat, a.url, patient)
    await expect(pat).to_have_url(re.compile(r"/static/patient\.html$"))
    await pat.get_by_role("link", name=re.compile("^Join session")).click()
    await expect(pat.get_by_label("Message", exact=True)).to_be_enabled()
    await expect(pat.locator("#observer-banner")).to_be_hidden()

    sup = await new_page(browser)
    await log_in(sup, b.url, supervisor)
    await expect(sup).to_have_url(re.compile(r"/static/supervisor\.html$"))
    await expect(sup.locator("#sessions")).to_contain_text("Pat Patient with Asha Therapist")
    await sup.get_by_role("link", name="Observe Pat Patient with Asha Therapist").click()
    await expect(sup).to_have_url(re.compile(rf"session\.html\?room={appt.id}$"))
    await expect(sup.get_by_text("You are observing: read-only.")).to_be_visible()
    await expect(pat.get_by_text("A clinical supervisor is observing")).to_be_visible()
    await expect(sup.get_by_label("Message", exact=True)).to_be_hidden()
    await sup.go_back()
    await expect(pat.get_by_text("A clinical supervisor is observing")).to_be_hidden()
    assert js_errors(pat) == []
    assert js_errors(sup) == []


