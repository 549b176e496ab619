"""A Director starts consulting a Lead Member before a delegated decision; the Chief Finance
Officer, whom the protocol gives advance notice of delegated decisions (000 App C 5.2), signs
in, finds the notice under Cases, and follows it to the case. In chromium, each page checked
with axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from accord.conftest import RunningServer, serve_accord
from accord.web.tests.browser import AXE, check_page, set_up_two_factor, sign_in, watch_console

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    # Its own server: the journey adds a case the other journeys do not expect.
    yield from serve_accord(tmp_path_factory, "duties")


def test_the_chief_finance_officer_is_told_of_a_delegated_decision_and_follows_the_notice(
    chromium: Any, server: RunningServer
) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    base = server.url
    director = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = director.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{base}/accounts/login/")
        sign_in(page, "director", server.password)
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/cases/new/")
        page.get_by_label(
            "A chief officer consults a member before taking a delegated decision"
        ).check()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/cases/new/?procedure=delegated_decision_consultation")
        page.locator("select#id_subject").select_option(index=1)
        page.get_by_role("button", name="Start the case").click()
        page.wait_for_url(re.compile(r".*/cases/[0-9a-f-]{36}/$"))
        case_url = page.url
        told = page.locator("#case-duties").inner_text()
        assert "advance notice" in told
        assert "Told 1 person: the Chief Finance Officer" in told
        check_page(page, blocked)
    finally:
        director.close()

    cfo = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = cfo.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{base}/accounts/login/")
        sign_in(page, "chief-finance-officer", server.password)
        page.wait_for_load_state()
        set_up_two_factor(page, server.password, check=lambda: check_page(page, blocked))
        page.goto(f"{base}/cases/")
        notices = page.locator("#notices-count")
        assert re.search(r"\d+ new notices?", notices.inner_text())
        check_page(page, blocked)
        notices.get_by_role("link").click()
        page.wait_for_url(f"{base}/cases/notices/")
        assert page.locator("h1").inner_text() == "Your notices"
        first = page.locator("#notices li").first
        assert "advance notice" in first.inner_text()
        assert re.search(r"App C §5\.2", first.inner_text())
        check_page(page, blocked)
        first.get_by_role("link").click()
        page.wait_for_url(case_url)
        assert (
            "consults a member before taking a delegated decision"
            in page.locator("h1").inner_text()
        )
        check_page(page, blocked)
        # Read: the count under Cases no longer says there is anything new.
        page.goto(f"{base}/cases/")
        assert "new notice" not in page.locator("#notices-count").inner_text()
    finally:
        cfo.close()
