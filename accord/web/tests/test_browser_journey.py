"""An officer signs in, finds a colleague in the directory and opens their page, in chromium.

Each page is checked with axe-core for serious or critical accessibility failures, and for
anything the content security policy blocked.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

DASH = "\N{EN DASH}"  # the separator in page titles

pytestmark = pytest.mark.browser


def accessibility_failures(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    # evaluate() runs through the DevTools protocol, which the page's CSP does not govern, so
    # axe can be injected without weakening the policy the page is actually served with.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def check_page(page: Any, blocked: list[str]) -> None:
    failures = accessibility_failures(page)
    if failures:
        print(json.dumps(failures, indent=2))
    assert failures == [], page.url
    assert blocked == [], blocked
    body_classes = page.evaluate("document.body.className")
    # Set by app.js: proves the module loaded and GOV.UK Frontend initialised under the CSP.
    assert "js-enabled" in body_classes
    assert "govuk-frontend-supported" in body_classes


def test_officer_finds_a_colleague_in_the_directory(chromium, accord_server, tmp_path):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: blocked.append(str(error)))
    try:
        page.goto(f"{accord_server.url}/directory/")
        assert "/accounts/login/" in page.url
        check_page(page, blocked)

        page.fill('input[name="login"]', "officer")
        page.fill('input[name="password"]', accord_server.password)
        page.locator('form:has(input[name="password"]) button[type="submit"]').click()
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
