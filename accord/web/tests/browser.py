"""Helpers for the browser journeys: watching the console, signing in, checking each page."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.accounts.testing import totp_code

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


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


def watch_console(page: Any) -> list[str]:
    """Collect console errors and anything the content security policy blocked."""
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
    return blocked


def sign_in(page: Any, username: str, password: str) -> None:
    """Fill in and submit the sign-in form the page is showing."""
    page.fill('input[name="login"]', username)
    page.fill('input[name="password"]', password)
    page.locator('form:has(input[name="password"]) button[type="submit"]').click()


def set_up_two_factor(page: Any, password: str, *, check: Callable[[], None]) -> None:
    """A statutory officer's first sign-in: set up an authenticator app as a person would,
    calling `check` on each page on the way (the set-up page, re-entering the password, the
    activation page and the page it leads to)."""
    assert "Set up two-factor sign-in" in page.locator("h1").inner_text()
    check()
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    page.wait_for_url("**/reauthenticate/*")
    check()
    page.fill('input[name="password"]', password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/totp/activate/")
    check()
    secret = page.locator("code.accord-code").inner_text().strip()
    # Two tries: a code read just as its 30 seconds end can expire before the server checks it.
    for _attempt in range(2):
        page.fill('input[name="code"]', totp_code(secret))
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.wait_for_load_state()
        if "/totp/activate/" not in page.url:
            break
    assert "/totp/activate/" not in page.url, page.locator("main").inner_text()
    check()
