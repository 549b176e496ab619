"""An officer signs in, finds a colleague in the directory and opens their page, in chromium.

Each page is checked with axe-core for serious or critical accessibility failures, and for
anything the content security policy blocked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.web.tests.browser import AXE, check_page, sign_in, watch_console

DASH = "\N{EN DASH}"  # the separator in page titles

pytestmark = pytest.mark.browser


def test_officer_finds_a_colleague_in_the_directory(chromium, accord_server, tmp_path):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{accord_server.url}/directory/")
        assert "/accounts/login/" in page.url
        check_page(page, blocked)

        sign_in(page, "officer", accord_server.password)
        page.wait_for_url(f"{accord_server.url}/directory/")
        assert page.locator("h1").inner_text() == "People"
        check_page(page, blocked)

        # Search for someone listed on the page, by family name.
        first_row = page.locator("tbody tr").first
        wanted = first_row.locator("td a").inner_text()
        family_name = wanted.split()[-1]
        page.fill('input[name="q"]', family_name)
        page.locator('form[role="search"] button[type="submit"]').click()
        page.wait_for_url("**/directory/?q=*")
        assert f"matching “{family_name}”" in page.locator("#people-count").inner_text()
        check_page(page, blocked)
        shots = Path(os.environ.get("ACCORD_SCREENSHOT_DIR", tmp_path))
        page.screenshot(path=str(shots / "people.png"), full_page=True)

        page.get_by_role("link", name=wanted, exact=True).first.click()
        page.wait_for_url("**/directory/people/*/")
        assert page.locator("h1").inner_text() == wanted
        assert page.title().startswith(f"{wanted} {DASH} Accord {DASH} ")
        check_page(page, blocked)

        font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert font.lower().startswith("arial"), font
        header = page.evaluate(
            "getComputedStyle(document.querySelector('.accord-header')).backgroundColor"
        )
        assert header == "rgb(0, 98, 94)", header

        page.screenshot(path=str(shots / "person.png"), full_page=True)
        print(f"screenshots in {shots}")
    finally:
        context.close()
