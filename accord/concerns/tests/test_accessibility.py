"""The concern pages meet WCAG 2.2 AA as far as a machine can tell, and reflow at 320px."""

from __future__ import annotations

import re

import pytest

from accord.web.tests.browser import AXE
from accord.web.tests.sweep import (
    Sweep,
    assert_no_problems,
    set_up_two_factor_and_sweep_the_audit_trail,
    signed_in_sweep,
)

pytestmark = pytest.mark.browser


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
