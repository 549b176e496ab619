"""Every page of the shell, the directory, the rules and cases, the registers, account
administration and the audit trail meets WCAG 2.2 AA as far as a machine can tell, in chromium,
and reflows at 320px (how: `accord/web/tests/sweep.py`). The concern pages and the library have
their own sweeps in their apps' tests, as every procedure app does."""

from __future__ import annotations

import re

import pytest

from accord.web.tests.browser import AXE, sign_in
from accord.web.tests.sweep import (
    WIDE,
    Sweep,
    assert_no_problems,
    check_error_summary,
    person_id_linked,
    set_up_two_factor_and_sweep_the_audit_trail,
)

pytestmark = pytest.mark.browser


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
