"""Conduct concerns in chromium, one journey each way: an officer raises a concern about a member
with the Monitoring Officer, who opens it and moves it on; a member raises one about an officer,
whose Director answers it with a reply the member then reads.

Each page is checked with axe-core for serious or critical accessibility failures, and for
anything the content security policy blocked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.conftest import RunningServer, serve_accord
from accord.web.tests.browser import (
    AXE,
    check_page,
    set_up_two_factor,
    sign_in,
    watch_console,
)

pytestmark = pytest.mark.browser

CITED = re.compile(r"Protocol v\S+ (?:[A-Za-z ]+ )?§\S+")
CONCERN_URL = re.compile(r".*/concerns/[0-9a-f-]{36}/$")
WIDE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def concern_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server of this module's own. The Monitoring Officer sets up two-factor sign-in on it
    here; on the shared server another journey may already have done so with a secret this one
    cannot know, or may need to do so after this one."""
    yield from serve_accord(tmp_path_factory, "concerns")


def _signed_in(chromium: Any, server: RunningServer, username: str) -> tuple[Any, Any, list[str]]:
    context = chromium.new_context(viewport=WIDE)
    page = context.new_page()
    blocked = watch_console(page)
    page.goto(f"{server.url}/accounts/login/")
    sign_in(page, username, server.password)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page, blocked


def _banner(page: Any) -> str:
    return str(page.locator(".govuk-notification-banner").inner_text())


def test_officer_raises_a_concern_about_a_member_and_the_monitoring_officer_moves_it_on(
    chromium, concern_server, tmp_path
):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    base = concern_server.url
    shots = Path(os.environ.get("ACCORD_SCREENSHOT_DIR", tmp_path))
    officer, page, blocked = _signed_in(chromium, concern_server, "officer")
    try:
        page.locator(".govuk-service-navigation").get_by_role("link", name="Concerns").click()
        page.wait_for_url(f"{base}/concerns/")
        assert page.locator("h1").inner_text() == "Concerns"
        check_page(page, blocked)

        page.get_by_role("link", name="Raise a concern").click()
        page.wait_for_url(f"{base}/concerns/new/")
        guidance = page.locator("#what-happens-next").inner_text()
        assert "Only the person you choose will see this at first" in guidance
        assert CITED.search(guidance)
        check_page(page, blocked)

        # Sent empty: every missing answer is in the summary, linked to its field.
        page.get_by_role("button", name="Raise the concern").click()
        page.wait_for_load_state()
        assert page.title().startswith("Error: ")
        summary = page.locator(".govuk-error-summary")
        assert "Choose which member it is about" in summary.inner_text()
        assert "Choose who you want to talk to first" in summary.inner_text()
        check_page(page, blocked)
        page.screenshot(path=str(shots / "concern-new-errors.png"), full_page=True)

        page.locator("select#id_subject").select_option(index=1)
        page.get_by_label("What happened?", exact=True).fill(
            "Raised their voice at me at a site visit."
        )
        page.fill("#id_happened_on", "3")
        page.fill("#id_happened_on_month", "2")
        page.fill("#id_happened_on_year", "2026")
        page.get_by_label("What would you like to happen? (optional)").fill("An apology.")
        page.locator("#id_tried_direct").check()
        page.get_by_label("If you have, what did you try and what happened? (optional)").fill(
            "I asked them to stop."
        )
        page.get_by_label("The Monitoring Officer").check()
        check_page(page, blocked)
        page.get_by_role("button", name="Raise the concern").click()
        page.wait_for_url(CONCERN_URL)
        concern_url = page.url
        assert "Your concern has been raised" in _banner(page)
        stage = page.locator("#concern-stage").inner_text()
        assert "Raised in confidence with the senior officer" in stage
        assert CITED.search(stage)
        assert CITED.search(page.locator("#concern-deadline").inner_text())
        assert "Raised their voice at me" in page.locator("#concern-account").inner_text()
        assert "Nobody else has opened it yet." in page.locator("#concern-viewings").inner_text()
        check_page(page, blocked)

        mo, mo_page, mo_blocked = _signed_in(chromium, concern_server, "monitoring-officer")
        try:
            set_up_two_factor(
                mo_page, concern_server.password, check=lambda: check_page(mo_page, mo_blocked)
            )
            mo_page.goto(f"{base}/concerns/")
            waiting = mo_page.locator("#waiting-table")
            assert waiting.locator(f'a[href="{concern_url.removeprefix(base)}"]').count() == 1
            check_page(mo_page, mo_blocked)
            waiting.locator(f'a[href="{concern_url.removeprefix(base)}"]').click()
            mo_page.wait_for_url(concern_url)
            assert "Raised their voice at me" in mo_page.locator("#concern-account").inner_text()
            check_page(mo_page, mo_blocked)

            card = mo_page.locator("#move-management_meeting")
            card.get_by_role("button", name=re.compile("Move the concern on")).click()
            mo_page.wait_for_url(concern_url)
            assert "The concern has moved to: Confidential management meeting" in _banner(mo_page)
            assert (
                "Confidential management meeting" in mo_page.locator("#concern-stage").inner_text()
            )
            timeline = mo_page.locator("#concern-timeline").inner_text()
            assert "→ Confidential management meeting" in timeline
            assert CITED.search(timeline)
            check_page(mo_page, mo_blocked)
            # All three senior officers take part (000 §50(b)): the Monitoring Officer records
            # their part, and the page says who has not yet taken theirs.
            mo_page.get_by_role("button", name="Record that you have taken part").click()
            mo_page.wait_for_url(concern_url)
            assert "You have recorded that you took part" in _banner(mo_page)
            joint = mo_page.locator("#joint").locator("xpath=following-sibling::ul[1]")
            assert "Not yet" in joint.inner_text()
            assert (
                mo_page.get_by_role("button", name="Record that you have taken part").count() == 0
            )
            check_page(mo_page, mo_blocked)
            mo_page.screenshot(path=str(shots / "concern-mo.png"), full_page=True)

            mo_page.locator(".govuk-service-navigation").get_by_role(
                "link", name="Concerns register"
            ).click()
            mo_page.wait_for_url(f"{base}/concerns/register/")
            register = mo_page.locator("#register-table")
            assert register.locator(f'a[href="{concern_url.removeprefix(base)}"]').count() == 1
            check_page(mo_page, mo_blocked)
            mo_page.screenshot(path=str(shots / "concern-register.png"), full_page=True)
        finally:
            mo.close()

        # The officer sees where it has got to, and who has opened it.
        page.reload()
        assert "Confidential management meeting" in page.locator("#concern-stage").inner_text()
        assert page.locator("#concern-viewings li").count() >= 1
        agreement = page.locator("#agreement-group_leader_engagement")
        assert "only with the agreement of the person who raised it" in agreement.inner_text()
        check_page(page, blocked)
        page.screenshot(path=str(shots / "concern-officer.png"), full_page=True)
    finally:
        officer.close()


def test_member_raises_a_concern_about_an_officer_and_reads_the_directors_reply(
    chromium, accord_server, tmp_path
):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    base = accord_server.url
    # The officer the member writes about: the demo's officer, whose Director answers.
    officer, officer_page, _ = _signed_in(chromium, accord_server, "officer")
    try:
        shown = officer_page.locator(".accord-header__account").inner_text()
        name = shown.removeprefix("Signed in as").strip().removesuffix("Sign out").strip()
    finally:
        officer.close()
    assert name
    family_name = name.split()[-1]

    member, page, blocked = _signed_in(chromium, accord_server, "member")
    try:
        page.goto(f"{base}/concerns/new/")
        guidance = page.locator("#what-happens-next").inner_text()
        assert "It goes first to" in guidance
        assert CITED.search(guidance)
        assert page.locator('input[name="first_contact"]').count() == 0
        check_page(page, blocked)
        page.fill('input[name="q"]', family_name)
        page.locator('form[role="search"] button[type="submit"]').click()
        page.wait_for_url("**/concerns/new/?q=*")
        option = page.locator("select#id_subject option", has_text=name).first
        page.locator("select#id_subject").select_option(option.get_attribute("value"))
        page.get_by_label("What happened?", exact=True).fill(
            "Three emails went unanswered for a month."
        )
        page.locator("#id_tried_direct_1").check()
        check_page(page, blocked)
        page.get_by_role("button", name="Raise the concern").click()
        page.wait_for_url(CONCERN_URL)
        concern_url = page.url
        assert "Your concern has been raised" in _banner(page)
        assert (
            "Considered by the officer's line manager"
            in page.locator("#concern-stage").inner_text()
        )
        check_page(page, blocked)

        director, director_page, director_blocked = _signed_in(chromium, accord_server, "director")
        try:
            director_page.goto(f"{base}/concerns/")
            waiting = director_page.locator("#waiting-table")
            waiting.locator(f'a[href="{concern_url.removeprefix(base)}"]').click()
            director_page.wait_for_url(concern_url)
            assert (
                "Three emails went unanswered"
                in director_page.locator("#concern-account").inner_text()
            )
            check_page(director_page, director_blocked)
            card = director_page.locator("#move-management_reply")
            card.get_by_label("Reason").fill("Spoke to the officer about response times.")
            card.get_by_label("Reply to member").fill(
                "Thank you for raising this. Replies will now come within five working days."
            )
            check_page(director_page, director_blocked)
            card.get_by_role("button", name=re.compile("Move the concern on")).click()
            director_page.wait_for_url(concern_url)
            assert "The concern has moved to: Considered by the line manager or Director" in (
                _banner(director_page)
            )
            check_page(director_page, director_blocked)
        finally:
            director.close()

        # The member reads the reply and accepts it, or could take it further (000 §51(b)).
        page.reload()
        assert page.locator("#move-chief_executive_review").count() == 1
        card = page.locator("#move-resolved_by_management")
        card.get_by_role("button", name=re.compile("End the concern")).click()
        page.wait_for_url(concern_url)
        assert "Resolved by the officer's manager" in page.locator("#concern-stage").inner_text()
        timeline = page.locator("#concern-timeline").inner_text()
        assert "Replies will now come within five working days." in timeline
        assert "Spoke to the officer about response times." not in page.content()
        check_page(page, blocked)
        shots = Path(os.environ.get("ACCORD_SCREENSHOT_DIR", tmp_path))
        page.screenshot(path=str(shots / "concern-member.png"), full_page=True)
    finally:
        member.close()
