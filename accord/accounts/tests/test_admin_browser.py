"""Democratic Services creates an account, disables it, and sees it disabled in the list, in
chromium, with axe-core checking every page on the way.

The account is made in the journey rather than taken from the demo council, so that disabling it
cannot affect other browser tests sharing the server.
"""

from __future__ import annotations

import re

import pytest

from accord.web.tests.browser import AXE, check_page, sign_in, watch_console

pytestmark = pytest.mark.browser

USERNAME = "journey-account"


def test_democratic_services_disables_an_account_and_the_list_shows_it(chromium, accord_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    base = accord_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        sign_in(page, "democratic-services", accord_server.password)
        page.wait_for_url(f"{base}/")

        menu = page.get_by_role("navigation", name="Menu")
        menu.get_by_role("link", name="Accounts", exact=True).click()
        page.wait_for_url(f"{base}/accounts-admin/")
        assert page.locator("h1").inner_text() == "Accounts"
        check_page(page, blocked)

        page.get_by_role("link", name="Create an account").click()
        page.wait_for_url(f"{base}/accounts-admin/new/")
        check_page(page, blocked)
        page.select_option('select[name="person"]', index=1)
        page.fill('input[name="username"]', USERNAME)
        page.get_by_role("button", name="Create account").click()
        page.wait_for_url(re.compile(r".*/accounts-admin/\d+/$"))
        assert (
            f"Account {USERNAME} created" in page.locator(".govuk-notification-banner").inner_text()
        )
        check_page(page, blocked)

        page.get_by_role("link", name="Disable account").click()
        page.wait_for_url("**/disable/")
        assert "will end now" in page.locator(".govuk-warning-text").inner_text()
        check_page(page, blocked)

        # Without a reason: the error summary names the field and links to it.
        page.get_by_role("button", name="Disable account").click()
        summary = page.locator(".govuk-error-summary")
        assert summary.get_by_role("link", name="Enter the reason").get_attribute("href") == (
            "#id_reason"
        )
        assert page.title().startswith("Error: ")
        check_page(page, blocked)

        page.fill('textarea[name="reason"]', "Left the council")
        page.get_by_role("button", name="Disable account").click()
        page.wait_for_url(re.compile(r".*/accounts-admin/\d+/$"))
        assert "disabled" in page.locator(".govuk-notification-banner").inner_text()
        assert page.locator("#account-status").inner_text() == "Disabled"

        menu.get_by_role("link", name="Accounts", exact=True).click()
        page.wait_for_url(f"{base}/accounts-admin/")
        page.fill('input[name="q"]', USERNAME)
        page.locator('form[role="search"] button[type="submit"]').click()
        page.wait_for_url("**/accounts-admin/?q=*")
        row = page.locator(f'tr[data-username="{USERNAME}"]')
        assert row.locator(".govuk-tag").inner_text() == "Disabled"
        check_page(page, blocked)
    finally:
        context.close()
