"""The login page: role-based landing, and a clear error for a wrong password."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, expect

from clinical.records import Role
from tests.browser.conftest import log_in, new_page
from tests.conftest import People, WebProcess

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("role", "page_name"),
    [
        (Role.PATIENT, "patient"),
        (Role.THERAPIST, "therapist"),
        (Role.SUPERVISOR, "supervisor"),
        (Role.ADMIN, "admin"),
    ],
)
async def test_login_lands_on_role_page(
    browser: Browser, people: People, web_pair: list[WebProcess], role: Role, page_name: str
) -> None:
    user = await people.user(role, name=f"Alex {role.value.title()}")
    page = await new_page(browser)
    await log_in(page, web_pair[0].url, user)
    await expect(page).to_have_url(re.compile(rf"/static/{page_name}\.html$"))
    await expect(page.locator("#user-name")).to_have_text(user.display_name)
    await page.get_by_role("button", name="Log out").click()
    await expect(page).to_have_url(re.compile(r"/static/login\.html"))


async def test_wrong_password_shows_error(
    browser: Browser, people: People, web_pair: list[WebProcess]
) -> None:
    user = await people.user(Role.PATIENT)
    page = await new_page(browser)
    await log_in(page, web_pair[0].url, user, password="not-the-password")
    error = page.get_by_role("alert")
    await expect(error).to_contain_text("do not match")
    await expect(page).to_have_url(re.compile(r"/static/login\.html"))
    # Still signed out: a protected page sends us back to login.
    await page.goto(f"{web_pair[0].url}/static/patient.html")
    await expect(page).to_have_url(re.compile(r"/static/login\.html\?next="))
