"""Headless Chromium (the system's Debian build) driven by Playwright's async API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, async_playwright

from clinical.records import User
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    # Function scope: the browser must live on the test's own event loop, like the DB pool does.
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            await b.close()


async def new_page(browser: Browser) -> Page:
    """A page in its own context, so each person has their own cookie jar."""
    context = await browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    PAGE_ERRORS[id(page)] = errors
    return page


PAGE_ERRORS: dict[int, list[str]] = {}


def js_errors(page: Page) -> list[str]:
    """Uncaught exceptions the page's scripts raised so far."""
    return PAGE_ERRORS.get(id(page), [])


async def log_in(page: Page, base: str, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real login page."""
    await page.goto(f"{base}/")
    await page.get_by_label("E-mail address").fill(user.email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
