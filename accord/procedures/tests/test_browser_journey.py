"""An officer reads the protocol rules, raises a concern about a member and agrees to the Group
Leader being told, in chromium.

Each page is checked with axe-core for serious or critical accessibility failures, and for
anything the content security policy blocked.
"""

from __future__ import annotations

import re

import pytest

from accord.web.tests.browser import AXE, check_page, sign_in, watch_console

pytestmark = pytest.mark.browser

CITED = re.compile(r"Protocol v\S+ (?:[A-Za-z ]+ )?§\S+")


def test_officer_raises_a_concern_and_agrees_to_the_group_leader_step(chromium, accord_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    base = accord_server.url
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{base}/accounts/login/")
        sign_in(page, "officer", accord_server.password)
        page.wait_for_url(f"{base}/")

        # The protocol rules, from the navigation, then the version in force.
        page.locator(".govuk-service-navigation").get_by_role("link", name="Protocol rules").click()
        page.wait_for_url(f"{base}/rules/")
        assert page.locator("h1").inner_text() == "Protocol rules"
        check_page(page, blocked)
        page.locator("main").get_by_role("link", name=re.compile(r"^Version \d+ of the")).click()
        page.wait_for_url(re.compile(r".*/rules/[\w-]+/v\d+/$"))
        concern = page.locator("#procedure-officer_concern")
        assert "An officer's concern about a member" in concern.locator("h2").inner_text()
        assert CITED.search(concern.inner_text())
        check_page(page, blocked)

        # Start a case: the procedure, then the member it is about.
        page.locator(".govuk-service-navigation").get_by_role("link", name="Cases").click()
        page.wait_for_url(f"{base}/cases/")
        check_page(page, blocked)
        page.get_by_role("link", name="Start a case").click()
        page.wait_for_url(f"{base}/cases/new/")
        check_page(page, blocked)
        page.get_by_label("An officer's concern about a member").check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/cases/new/?procedure=officer_concern")
        assert page.locator("h1").inner_text() == "Which member is it about?"
        check_page(page, blocked)
        subject = page.locator("select#id_subject")
        subject.select_option(index=1)
        page.get_by_role("button", name="Start the case").click()
        page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))

        # The case: its stage, deadline and the paragraphs they come from.
        assert "Case started" in page.locator(".govuk-notification-banner").inner_text()
        stage = page.locator("#case-stage").inner_text()
        title = page.locator("#case-stage p").first.inner_text().strip()
        assert title
        assert f"At '{title}', handled by " in stage
        assert CITED.search(stage)
        deadline = page.locator("#case-deadline").inner_text()
        assert re.search(r"Due by \d+ \w+ \d{4} \(\d+ working days?\) — Protocol v\S+ §", deadline)
        check_page(page, blocked)

        # Agree to the concern being taken to the member's Group Leader.
        agreement = page.locator("#agreement-group_leader_engagement")
        assert "only with the agreement of the person who raised it" in agreement.inner_text()
        agreement.get_by_role("button", name=re.compile("I agree to this step")).click()
        page.wait_for_load_state()
        assert "You agreed to this step" in page.locator(".govuk-notification-banner").inner_text()
        agreement = page.locator("#agreement-group_leader_engagement")
        assert "You agreed" in agreement.inner_text()
        assert agreement.get_by_role("button", name=re.compile("Withdraw my agreement")).count()
        check_page(page, blocked)
    finally:
        context.close()
