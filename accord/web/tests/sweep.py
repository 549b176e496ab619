"""The accessibility sweep's parts, for every app's own sweep test: sign in, visit pages, check
each with axe-core twice (every rule: serious and critical failures fail; only the WCAG 2.0-2.2 A
and AA rules: moderate findings printed for a person to judge) and at 320 CSS pixels for reflow
(WCAG 1.4.10). Ids are found by following links, as a user would: the server is another process
with its own database.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from accord.web.tests.browser import check_page, set_up_two_factor, sign_in, watch_console

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REFLOW_WIDTH = 320
WIDE = {"width": 1280, "height": 900}
# Set to a directory to keep a screenshot of every page at 320 pixels, for a person to look at.
SHOTS = os.environ.get("ACCORD_SCREENSHOT_DIR", "")


class Sweep:
    """Visits pages in one browser page, collecting what fails rather than stopping at the first."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.blocked = watch_console(page)
        self.problems: list[str] = []
        self.moderate: dict[str, list[str]] = {}
        self.visited: list[str] = []

    def visit(self, path: str, *, status: int = 200) -> None:
        """Open a page, and check it unless it has been checked already."""
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None, path
        assert response.status == status, (path, response.status)
        if status != 200:
            # chromium logs the page's own status as a console error; nothing else may be logged.
            expected = f"the server responded with a status of {status}"
            self.blocked[:] = [line for line in self.blocked if expected not in line]
        if path not in self.visited:
            self.check()

    def check(self) -> None:
        """Check the page the browser is showing now."""
        path = self.page.url.removeprefix(self.base)
        self.visited.append(path)
        # Also injects axe-core, which the WCAG-only run below reuses.
        check_page(self.page, self.blocked)
        result = self.page.evaluate(
            """async (tags) => await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            })""",
            WCAG_22_AA,
        )
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            line = f"{violation['id']} ({violation['help']}): {targets}"
            if violation["impact"] in {"serious", "critical"}:
                self.problems.append(f"{path}: WCAG 2.2 AA {line}")
            else:
                self.moderate.setdefault(path, []).append(f"{violation['impact']} {line}")
        self.problems.extend(f"{path}: {problem}" for problem in self.reflow_problems())

    def reflow_problems(self) -> Iterator[str]:
        self.page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        try:
            if SHOTS:
                path = self.page.url.removeprefix(self.base)
                name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
                self.page.screenshot(path=f"{SHOTS}/{name or 'home'}-320.png", full_page=True)
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > REFLOW_WIDTH + 1:
                wide = self.page.evaluate(
                    """(limit) => [...document.querySelectorAll('main *, header *, footer *')]
                        .filter((el) => el.getBoundingClientRect().right > limit + 1)
                        .filter((el) => !el.closest('.accord-table-scroll'))
                        .slice(0, 5)
                        .map((el) => [el.tagName.toLowerCase(), el.id, el.className]
                            .filter(Boolean).join(' '))""",
                    REFLOW_WIDTH,
                )
                yield f"scrolls sideways at {REFLOW_WIDTH}px ({width}px wide): {wide}"
        finally:
            self.page.set_viewport_size(WIDE)

    def follow(self, link: Any) -> str:
        """Open a link and check the page it leads to; returns the path."""
        href = link.get_attribute("href")
        assert href, link
        self.visit(href)
        return str(href)

    def report(self) -> None:
        for path, findings in self.moderate.items():
            print(f"moderate or minor WCAG 2.2 AA findings on {path}:")
            for finding in findings:
                print(f"  {finding}")
        print(f"{len(self.visited)} pages checked: {', '.join(self.visited)}")


@contextmanager
def signed_in_sweep(
    chromium: Any, server: Any, username: str, sweeps: list[Sweep]
) -> Iterator[Sweep]:
    """A sweep in a browser context of its own, signed in as `username`, added to `sweeps`;
    the context is closed when the block ends."""
    context = chromium.new_context(viewport=WIDE)
    try:
        sweep = Sweep(context.new_page(), server.url)
        sweeps.append(sweep)
        sweep.page.goto(f"{server.url}/accounts/login/")
        sign_in(sweep.page, username, server.password)
        yield sweep
    finally:
        context.close()


def assert_no_problems(sweeps: list[Sweep]) -> None:
    """Print what every sweep found, then fail on any serious problem of any of them."""
    problems: list[str] = []
    for sweep in sweeps:
        sweep.report()
        problems.extend(sweep.problems)
    assert problems == [], json.dumps(problems, indent=2)


def person_id_linked(sweep: Sweep, path: str, within: str) -> str:
    """The id of the first person linked from a page."""
    sweep.visit(path)
    href = sweep.page.locator(f'{within} a[href*="/directory/people/"]').first.get_attribute("href")
    found = re.search(r"/people/(\d+)/", href or "")
    assert found, (path, href)
    return found[1]


def check_error_summary(sweep: Sweep) -> None:
    """An empty submission: the summary takes focus and its link moves focus to the field."""
    page = sweep.page
    sweep.visit("/directory/manage/absences/new/")
    page.locator("main form").get_by_role("button").first.click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    link = summary.locator("a").first
    target = (link.get_attribute("href") or "").removeprefix("#")
    assert target, "the first error does not link to a field"
    link.click()
    assert page.evaluate("document.activeElement.id") == target
    sweep.check()


def set_up_two_factor_and_sweep_the_audit_trail(sweep: Sweep, password: str) -> None:
    """A statutory officer's first sign-in sets up an authenticator app; then the audit pages.

    This leaves the account with two-factor set up on the server the browser tests share.
    """
    page = sweep.page
    set_up_two_factor(page, password, check=sweep.check)
    sweep.visit("/audit/")
    sweep.follow(page.locator('main tbody a[href*="/audit/events/"]').first)
    sweep.visit("/audit/verify/")
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state()
    sweep.check()
