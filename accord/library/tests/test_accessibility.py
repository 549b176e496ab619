"""The protocol library meets WCAG 2.2 AA as far as a machine can tell, and reflows at 320px."""

from __future__ import annotations

import re

import pytest

from accord.web.tests.browser import AXE
from accord.web.tests.sweep import Sweep, assert_no_problems, signed_in_sweep

pytestmark = pytest.mark.browser


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
