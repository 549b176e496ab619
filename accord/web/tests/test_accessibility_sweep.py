"""Every page reachable without submitting a form meets WCAG 2.2 AA as far as a machine can tell,
in chromium.

Each page is checked with axe-core twice: with every rule (serious and critical failures fail, as
in every journey), and with only the WCAG 2.0-2.2 A and AA rules, whose moderate findings are
printed for a person to judge. Each page must also reflow at 320 CSS pixels without scrolling
sideways (WCAG 1.4.10). Ids are found by following links, as a user would: the server is
another process with its own database.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from accord.web.tests.browser import AXE, check_page, set_up_two_factor, sign_in, watch_console

pytestmark = pytest.mark.browser

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


def sweep_directory(sweep: Sweep) -> None:
    page = sweep.page
    sweep.visit("/")
    sweep.visit("/directory/")
    sweep.visit("/directory/?q=smith")
    sweep.visit("/directory/?kind=member")
    sweep.follow(page.locator('main tbody a[href*="/directory/people/"]').first)
    sweep.visit("/directory/?kind=officer")
    sweep.follow(page.locator('main tbody a[href*="/directory/people/"]').first)
    sweep.visit("/directory/groups/")
    sweep.follow(page.locator('main tbody a[href*="/directory/groups/"]').first)
    sweep.visit("/directory/divisions/")
    sweep.follow(page.locator('main tbody a[href*="/directory/divisions/"]').first)
    sweep.visit("/directory/committees/")
    sweep.follow(page.locator('main tbody a[href*="/directory/committees/"]').first)
    sweep.visit("/directory/statutory-officers/")
    sweep.visit("/directory/people/999999999/", status=404)
    sweep.visit("/no-such-page/", status=404)
    for name in ("Two-factor sign-in", "Change your password"):
        sweep.visit("/")
        sweep.follow(page.get_by_role("link", name=name))


def sweep_directory_management(sweep: Sweep) -> None:
    page = sweep.page
    sweep.visit("/directory/manage/")
    for path in (
        "import/",
        "absences/new/",
        "committee-members/new/",
        "administration/",
    ):
        sweep.visit(f"/directory/manage/{path}")
    # A statutory officer has designations to end; a group leader has a role to end.
    officer = person_id_linked(sweep, "/directory/statutory-officers/", "main")
    leader = person_id_linked(sweep, "/directory/groups/", "main tbody")
    sweep.visit(f"/directory/manage/people/{officer}/")
    sweep.visit(f"/directory/manage/?q={page.locator('h1').inner_text().split()[-1]}")
    for person_id, pattern in (
        (officer, "/roles/new/"),
        (officer, "/designations/new/"),
        (officer, "/manage/designations/"),
        (leader, "/manage/roles/"),
    ):
        sweep.visit(f"/directory/manage/people/{person_id}/")
        sweep.follow(page.locator(f'main a[href*="{pattern}"]').first)


def sweep_rules_and_cases(sweep: Sweep, *, start_a_case: bool) -> None:
    """The protocol rules, the case list and both steps of starting a case; with
    `start_a_case`, the case is started and its page checked too."""
    page = sweep.page
    sweep.visit("/rules/")
    sweep.follow(page.locator("main").get_by_role("link", name=re.compile(r"^Version \d+ of the")))
    sweep.visit("/cases/")
    sweep.visit("/cases/new/")
    page.locator("main input[type=radio]").first.check()
    page.locator("main form").get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    sweep.check()
    if not start_a_case:
        return
    page.locator("select#id_subject").select_option(index=1)
    page.get_by_role("button", name="Start the case").click()
    page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))
    sweep.check()
    sweep.visit("/cases/")


def sweep_relationships(sweep: Sweep, *, keeper: bool) -> None:
    """The register of declared relationships: one's own list, the declaration form and its
    error state (nothing is declared: the server is shared), and for the Monitoring Officer
    the whole register."""
    page = sweep.page
    sweep.visit("/registers/relationships/")
    sweep.visit("/registers/relationships/new/")
    page.locator("main form[method=post]").get_by_role(
        "button", name="Declare the relationship"
    ).click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    sweep.check()
    if keeper:
        sweep.visit("/registers/relationships/all/")
        sweep.visit("/registers/relationships/all/?status=current")


def person_id_linked(sweep: Sweep, path: str, within: str) -> str:
    """The id of the first person linked from a page."""
    sweep.visit(path)
    href = sweep.page.locator(f'{within} a[href*="/directory/people/"]').first.get_attribute("href")
    found = re.search(r"/people/(\d+)/", href or "")
    assert found, (path, href)
    return found[1]


def sweep_account_admin(sweep: Sweep) -> None:
    page = sweep.page
    sweep.visit("/accounts-admin/")
    sweep.visit("/accounts-admin/?q=member")
    sweep.visit("/accounts-admin/new/")
    sweep.visit("/accounts-admin/")
    # Not the administrator's own account: only another's offers "Disable account".
    row = page.locator('tr[data-username="officer"] a').first
    sweep.follow(row)
    sweep.follow(page.get_by_role("link", name="Disable account"))


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


def test_every_page_meets_wcag_22_aa_and_reflows_at_320px(chromium, accord_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    base = accord_server.url
    sweeps: list[Sweep] = []
    for username in ("democratic-services", "member", "monitoring-officer", None):
        context = chromium.new_context(viewport=WIDE)
        try:
            sweep = Sweep(context.new_page(), base)
            sweeps.append(sweep)
            if username is None:
                sweep.visit("/accounts/login/")
                sweep.visit("/no-such-page/", status=404)
                continue
            sweep.page.goto(f"{base}/accounts/login/")
            sign_in(sweep.page, username, accord_server.password)
            if username == "monitoring-officer":
                sweep.page.wait_for_load_state()
                set_up_two_factor_and_sweep_the_audit_trail(sweep, accord_server.password)
                sweep_relationships(sweep, keeper=True)
                continue
            sweep.page.wait_for_url(f"{base}/")
            sweep_directory(sweep)
            sweep_rules_and_cases(sweep, start_a_case=username == "democratic-services")
            sweep_relationships(sweep, keeper=False)
            if username == "democratic-services":
                sweep_directory_management(sweep)
                sweep_account_admin(sweep)
                check_error_summary(sweep)
        finally:
            context.close()
    assert_no_problems(sweeps)


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_main_content(
    chromium, accord_server
):
    context = chromium.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        page.goto(f"{accord_server.url}/accounts/login/")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.className, document.activeElement.textContent.trim()]"
        )
        assert focused == ["govuk-skip-link", "Skip to main content"], focused
        assert page.locator(".govuk-skip-link").is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main-content"
        page.keyboard.press("Tab")
        in_main = page.evaluate(
            "document.getElementById('main-content').contains(document.activeElement)"
        )
        assert in_main, "the next tab after the skip link left the main content"
    finally:
        context.close()


def sweep_concerns(sweep: Sweep, *, raise_one: bool) -> None:
    """The concern pages: the lists, the raise form and its error state, and with `raise_one`
    a concern raised and its page."""
    page = sweep.page
    sweep.visit("/concerns/")
    sweep.visit("/concerns/new/")
    page.locator("main form[method=post]").get_by_role("button", name="Raise the concern").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    sweep.check()
    if not raise_one:
        return
    page.locator("select#id_subject").select_option(index=1)
    page.get_by_label("What happened?", exact=True).fill("A remark at a site visit.")
    page.locator("#id_tried_direct_1").check()
    page.locator('input[name="first_contact"]').first.check()
    page.get_by_role("button", name="Raise the concern").click()
    page.wait_for_url(re.compile(r".*/concerns/[0-9a-f-]{36}/$"))
    sweep.check()
    sweep.visit("/concerns/?raised=1")


def test_the_concern_pages_meet_wcag_22_aa_and_reflow_at_320px(chromium, accord_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    sweeps: list[Sweep] = []
    for username in ("officer", "member", "deputy-monitoring-officer"):
        with signed_in_sweep(chromium, accord_server, username, sweeps) as sweep:
            sweep.page.wait_for_load_state()
            if username == "deputy-monitoring-officer":
                # The register's other keeper: nothing else sets up this account's two-factor.
                set_up_two_factor_and_sweep_the_audit_trail(sweep, accord_server.password)
                sweep.visit("/concerns/register/")
                sweep.visit("/concerns/register/?status=open&direction=officer_about_member")
                sweep.visit("/concerns/register/?q=site+visit")
                continue
            sweep.page.wait_for_url(f"{accord_server.url}/")
            sweep_concerns(sweep, raise_one=username == "officer")
    assert_no_problems(sweeps)


PROTOCOL = "/protocols/member-officer-protocol"


def sweep_library(sweep: Sweep, *, keeper: bool) -> None:
    """The protocol library as its readers see it: the list, the version in force and one of
    its paragraphs, search and the plain question, the redline between the two editions, the
    acknowledgement page; for a keeper also the coverage table, the acknowledgement register,
    the reviews, the import form and the error states of both forms, and a review opened of
    another council's protocol (the review journeys have a server of their own) with its
    page and its drafted report."""
    page = sweep.page
    sweep.visit("/protocols/")
    sweep.visit(f"{PROTOCOL}/v/2025/")
    sweep.follow(page.locator('main a[href*="/p/"]').first)
    sweep.visit("/protocols/search/")
    sweep.visit("/protocols/search/?q=email")
    sweep.visit("/protocols/ask/?question=can+I+forward+an+officer%27s+email+to+a+resident")
    sweep.visit(f"{PROTOCOL}/compare/?old=pre-2025&new=2025")
    sweep.visit("/protocols/acknowledge/")
    if not keeper:
        return
    sweep.visit(f"{PROTOCOL}/v/2025/")
    sweep.follow(page.locator('main a[href*="/coverage/"]').first)
    sweep.visit(f"{PROTOCOL}/v/2025/acknowledgements/")
    sweep.visit("/protocols/reviews/")
    sweep.visit("/protocols/reviews/new/")
    page.locator("main form[method=post]").get_by_role("button").first.click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    sweep.check()
    page.get_by_label("Protocol", exact=True).select_option("council-004-protocol")
    page.locator('input[name="reason"]').first.check()
    page.get_by_label("Why is the protocol being reviewed?").fill("Its periodic review is due.")
    page.locator("main form[method=post]").get_by_role("button").first.click()
    page.wait_for_url(re.compile(r".*/protocols/reviews/[0-9a-f-]{36}/$"))
    sweep.check()
    sweep.follow(page.get_by_role("link", name="Read the draft committee report"))
    sweep.visit("/protocols/reviews/")
    sweep.visit("/protocols/import/")
    page.get_by_role("button", name="Check the document").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    sweep.check()


def test_the_protocol_library_meets_wcag_22_aa_and_reflows_at_320px(chromium, accord_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    sweeps: list[Sweep] = []
    for username in ("member", "democratic-services"):
        with signed_in_sweep(chromium, accord_server, username, sweeps) as sweep:
            sweep.page.wait_for_url(f"{accord_server.url}/")
            sweep_library(sweep, keeper=username == "democratic-services")
    assert_no_problems(sweeps)
