"""Reviewing the council's protocol and acknowledging it, in chromium: the Monitoring Officer
takes a periodic review from opening to the amended version in force; a member acknowledges
the version in force and the keepers see it in the register; to an ordinary officer a review
is the site's ordinary 404. Each page is checked with axe-core and for anything the content
security policy blocked.

The journeys run on a server of this module's own, built as the shared one is. The Monitoring
Officer must set up two-factor sign-in, which on the shared server another journey may already
have done with a secret this one cannot know; and a review here puts a new version of the
council's protocol in force, which would change what later journeys on the shared server read
and compare. Labels are unique all the same, so the journeys can run on one server again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from accord.conftest import RunningServer, serve_accord
from accord.core import clock
from accord.web.tests.browser import (
    AXE,
    check_page,
    set_up_two_factor,
    sign_in,
    watch_console,
)

pytestmark = pytest.mark.browser

KEY = "member-officer-protocol"
TITLE = "Protocol on Member/Officer Relations"
AMENDED = (
    "# Protocol on Member/Officer Relations\n\n"
    "## Introduction\n\n"
    "1. This protocol guides how councillors and officers work together.\n\n"
    "2. Officers will answer a councillor's enquiry within ten working days.\n\n"
    "(a) A holding reply is sent within two working days when a full answer will take longer.\n\n"
    "(b) The reply names the officer dealing with it.\n\n"
    "## Review\n\n"
    "3. The Monitoring Officer will review this protocol every two years.\n"
)
REPORT_HEADINGS = (
    "Purpose of report",
    "Recommendations",
    "Background",
    "Proposals",
    "Consultations",
    "Legal implications",
    "Policy implications",
    "Resource and financial implications",
    "Equality and human rights implications",
)


@pytest.fixture(scope="module")
def review_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A migrated, seeded Accord of this module's own (see the module's docstring for why)."""
    yield from serve_accord(tmp_path_factory, "reviews")


def _open_page(chromium: Any) -> tuple[Any, Any, list[str]]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    return context, page, watch_console(page)


def _sign_in_at(page: Any, server: RunningServer, path: str, username: str) -> None:
    page.goto(f"{server.url}{path}")
    sign_in(page, username, server.password)
    page.wait_for_url(f"{server.url}{path}")


def _forgive_own_status(blocked: list[str], status: int) -> None:
    """Chromium logs a page's own error status as a console error; drop that line only."""
    expected = f"the server responded with a status of {status}"
    blocked[:] = [line for line in blocked if expected not in line]


def _fill_date(page: Any, field_id: str, day: Any) -> None:
    page.fill(f"#{field_id}", str(day.day))
    page.fill(f"#{field_id}_month", str(day.month))
    page.fill(f"#{field_id}_year", str(day.year))


def _import_draft(page: Any, blocked: list[str], label: str) -> None:
    """Through the import page, save `AMENDED` as draft `label` of the council's protocol."""
    page.get_by_role("link", name="Import a document or new version").click()
    page.wait_for_url("**/protocols/import/")
    check_page(page, blocked)
    page.set_input_files(
        'input[name="file"]',
        {"name": "protocol.md", "mimeType": "text/markdown", "buffer": AMENDED.encode()},
    )
    page.get_by_label("Document key").fill(KEY)
    page.get_by_label("Version label").fill(label)
    page.get_by_role("button", name="Check the document").click()
    page.wait_for_url("**/protocols/import/*/")
    assert "ten working days" in page.locator("#import-structure").inner_text()
    check_page(page, blocked)
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(f"**/protocols/{KEY}/v/{label}/")
    assert _stage(page) == "Draft"
    check_page(page, blocked)


def _report_section(page: Any, title: str) -> str:
    """The text of the committee report's numbered section headed `title`."""
    heading = page.get_by_role("heading", name=title, exact=True)
    return str(page.locator("main ol > li", has=heading).inner_text())


def _named(visible: str, hidden: str) -> re.Pattern[str]:
    """An accessible name of `visible` text then `: hidden` in a visually hidden span (which
    the name computation may set off with a space)."""
    pattern = rf"^{re.escape(visible)}\s*: {re.escape(hidden)}$"
    # Playwright passes the pattern on in a /.../ literal, so its slashes must be escaped.
    return re.compile(pattern.replace("/", r"\/"))


def _main_text(page: Any) -> str:
    return str(page.locator("main").inner_text())


def _stage(page: Any) -> str:
    """The status tag in the page's summary list: a review's stage, or a version's status."""
    return str(page.locator(".govuk-summary-list .govuk-tag").inner_text())


def test_the_monitoring_officer_reviews_the_protocol_and_puts_the_amended_version_in_force(
    chromium: Any, review_server: RunningServer
) -> None:
    tag = uuid.uuid4().hex[:6]
    label = f"review-{tag}"
    why = f"The protocol has not been reviewed for two years (run {tag})."
    consultations = f"Group leaders and the Head of Paid Service were consulted (run {tag})."
    today = clock.today()
    context, page, blocked = _open_page(chromium)
    try:
        # The Monitoring Officer's first sign-in sets up two-factor before anything else.
        page.goto(f"{review_server.url}/protocols/")
        sign_in(page, "monitoring-officer", review_server.password)
        page.wait_for_url("**/two-factor-required/**")
        set_up_two_factor(page, review_server.password, check=lambda: check_page(page, blocked))
        page.goto(f"{review_server.url}/protocols/")
        check_page(page, blocked)

        page.locator(".govuk-service-navigation").get_by_role(
            "link", name="Protocol reviews"
        ).click()
        page.wait_for_url("**/protocols/reviews/")
        check_page(page, blocked)
        page.get_by_role("link", name="Open a review").click()
        page.wait_for_url("**/protocols/reviews/new/")
        check_page(page, blocked)
        page.get_by_label("Protocol", exact=True).select_option(KEY)
        page.get_by_label("Periodic review").check()
        page.get_by_label("Why is the protocol being reviewed?").fill(why)
        page.get_by_label("Consultations").fill(consultations)
        page.get_by_role("button", name="Open the review").click()
        page.wait_for_url("**/protocols/reviews/*-*-*-*-*/")
        review_url = page.url
        assert (
            f"Review of {TITLE} opened"
            in page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert page.locator("h1").inner_text() == f"Review of {TITLE}"
        assert _stage(page) == "Open"
        assert why in page.locator(".govuk-summary-list").inner_text()
        assert page.locator("#action-propose").count() == 1
        assert page.locator("#action-council_approve").count() == 0
        check_page(page, blocked)

        # The amendments: a new draft version of the same document, then proposed.
        page.goto(f"{review_server.url}/protocols/")
        _import_draft(page, blocked, label)
        page.goto(review_url)
        draft = page.locator("#id_propose-draft option", has_text=f"{label}:")
        page.locator("#id_propose-draft").select_option(draft.get_attribute("value"))
        page.get_by_role("button", name="Propose a draft").click()
        page.wait_for_url(review_url)
        assert "Draft proposed" in page.locator(".govuk-notification-banner--success").inner_text()
        assert _stage(page) == "Amendments proposed"
        assert f"Version {label}" in page.locator(".govuk-summary-list").inner_text()
        assert "Standards Committee" in page.locator("#next-step").inner_text()
        check_page(page, blocked)

        # The committee's consideration, first with its date left out.
        committee = page.locator('form:has(input[name="action"][value="committee"])')
        committee.get_by_label("Recommend approval with amendments").check()
        committee.get_by_label("Note").fill("Holding replies within two working days.")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            committee.get_by_role(
                "button", name="Record the Standards Committee's recommendation"
            ).click()
        assert posted.value.status == 400
        page.wait_for_load_state()
        _forgive_own_status(blocked, 400)
        assert page.title().startswith("Error: ")
        summary = page.locator(".govuk-error-summary")
        assert "Enter the date the committee met" in summary.inner_text()
        assert summary.get_by_role("link", name="Enter the date the committee met").get_attribute(
            "href"
        ) == ("#id_committee-met_on")
        assert page.locator("#id_committee-met_on-error").count() == 1
        check_page(page, blocked)

        committee = page.locator('form:has(input[name="action"][value="committee"])')
        _fill_date(page, "id_committee-met_on", today)
        committee.get_by_role(
            "button", name="Record the Standards Committee's recommendation"
        ).click()
        page.wait_for_url(review_url)
        assert (
            "recommendation is recorded"
            in page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert _stage(page) == "Recommended by committee"
        assert (
            "Recommend approval with amendments" in page.locator(".govuk-summary-list").inner_text()
        )
        check_page(page, blocked)

        # Full Council's approval, in force from today.
        council = page.locator('form:has(input[name="action"][value="council_approve"])')
        _fill_date(page, "id_council-met_on", today)
        _fill_date(page, "id_council-in_force_from", today)
        council.get_by_label("Note").fill("Carried unanimously.")
        council.get_by_role("button", name="Record Full Council's approval").click()
        page.wait_for_url(review_url)
        assert (
            "Full Council's approval is recorded"
            in page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert _stage(page) == "Approved by Full Council"
        assert (
            f"in force from {today:%-d %B %Y}" in page.locator(".govuk-summary-list").inner_text()
        )
        check_page(page, blocked)

        # The drafted committee report.
        page.get_by_role("link", name="Read the draft committee report").click()
        page.wait_for_url(f"{review_url}report/")
        assert page.locator("h1").inner_text() == TITLE
        headings = page.locator("main h2").all_inner_texts()
        for heading in REPORT_HEADINGS:
            assert heading in headings, heading
        background = _report_section(page, "Background")
        assert "(periodic review)" in background
        assert why in background
        assert consultations in _report_section(page, "Consultations")
        assert f"draft version {label}" in _report_section(page, "Proposals")
        assert "recommend approval with amendments" in _report_section(page, "Recommendations")
        check_page(page, blocked)

        # The approved version comes into force today, so the review offers to put it in force.
        page.goto(review_url)
        page.get_by_role("button", name=f"Put version {label} in force").click()
        page.wait_for_url(f"**/protocols/{KEY}/v/{label}/")
        assert (
            "Every member and officer is asked to acknowledge it"
            in page.locator(".govuk-notification-banner--success").inner_text()
        )
        assert _stage(page) == "In force"
        check_page(page, blocked)

        page.goto(review_url)
        assert _stage(page) == "In force"
        assert page.locator("#action-close").count() == 0
        page.get_by_role("link", name=f"See who has acknowledged version {label}").click()
        page.wait_for_url(f"**/protocols/{KEY}/v/{label}/acknowledgements/")
        assert int(page.locator("#ack-asked").inner_text()) > 0
        assert page.locator("#ack-done").inner_text() == "0"
        check_page(page, blocked)
    finally:
        context.close()


@pytest.fixture
def version_awaiting_acknowledgement(chromium: Any, review_server: RunningServer) -> str:
    """A new version of the council's protocol, approved and put in force through the pages by
    democratic services, so everyone is asked to acknowledge it; its label."""
    label = f"ack-{uuid.uuid4().hex[:6]}"
    today = clock.today()
    context, page, blocked = _open_page(chromium)
    try:
        _sign_in_at(page, review_server, "/protocols/", "democratic-services")
        _import_draft(page, blocked, label)
        _fill_date(page, "id_approved_on", today)
        _fill_date(page, "id_in_force_from", today)
        page.get_by_role("button", name="Record approval").click()
        page.get_by_role("button", name="Put in force").wait_for()
        assert _stage(page) == "Approved"
        check_page(page, blocked)
        page.get_by_role("button", name="Put in force").click()
        banner = page.locator(".govuk-notification-banner--success")
        assert "Every member and officer is asked to acknowledge it" in banner.inner_text()
        assert _stage(page) == "In force"
        check_page(page, blocked)
    finally:
        context.close()
    return label


def test_a_member_acknowledges_the_version_in_force_and_the_keepers_see_it_in_the_register(
    chromium: Any, review_server: RunningServer, version_awaiting_acknowledgement: str
) -> None:
    label = version_awaiting_acknowledgement
    heading = f"{TITLE}, {label}"
    context, page, blocked = _open_page(chromium)
    try:
        _sign_in_at(page, review_server, "/protocols/acknowledge/", "member")
        account = page.locator(".accord-header__account").inner_text()
        name = account.replace("Signed in as", "").replace("Sign out", "").strip()
        assert name
        pending = page.get_by_role("region", name="Important").inner_text()
        assert "to read and acknowledge" in pending
        item = page.locator("li", has=page.get_by_role("heading", name=heading))
        assert item.count() == 1
        # Each link and button names its version for a screen reader (visually hidden text).
        assert item.get_by_role("link", name=_named("Read it", heading)).count() == 1
        check_page(page, blocked)

        # The server runs on the real clock: the day it records lies between these two, which
        # differ only when the run crosses midnight.
        days = {clock.today()}
        item.get_by_role("button", name=_named("I have read it", heading)).click()
        page.wait_for_url("**/protocols/acknowledge/")
        days.add(clock.today())
        banner = page.locator(".govuk-notification-banner--success")
        assert f"you have acknowledged {heading}" in banner.inner_text()
        assert page.get_by_role("heading", name=heading).count() == 0
        check_page(page, blocked)
    finally:
        context.close()

    context, page, blocked = _open_page(chromium)
    try:
        register = f"/protocols/{KEY}/v/{label}/acknowledgements/"
        _sign_in_at(page, review_server, register, "democratic-services")
        assert page.locator("h1").inner_text() == "Acknowledgements"
        assert heading in page.locator(".govuk-caption-l").inner_text()
        assert page.locator("#ack-done").inner_text() == "1"
        assert int(page.locator("#ack-asked").inner_text()) > 1
        check_page(page, blocked)
        # The register is in pages of 50, by family name: find the member's row.
        row = page.locator("tbody tr", has=page.get_by_role("cell", name=name, exact=True))
        for _ in range(20):
            if row.count() or not page.locator('a[rel="next"]').count():
                break
            page.locator('a[rel="next"]').click()
            page.wait_for_url("**/acknowledgements/?page=*")
            check_page(page, blocked)
        assert row.count() == 1, name
        acknowledged = row.locator("td").nth(2).inner_text()
        assert acknowledged in {f"{day:%-d %B %Y}" for day in days}
    finally:
        context.close()


@dataclass(frozen=True)
class ClosedReview:
    url: str
    why: str
    missing_as_keeper: str


@pytest.fixture
def closed_review(chromium: Any, review_server: RunningServer) -> ClosedReview:
    """A review democratic services opened and closed through the pages (closed, so it holds up
    no other review), with the 404 a keeper gets for a review that does not exist."""
    why = f"Confidential reasoning {uuid.uuid4().hex[:6]}."
    context, page, blocked = _open_page(chromium)
    try:
        _sign_in_at(page, review_server, "/protocols/reviews/new/", "democratic-services")
        page.get_by_label("Protocol", exact=True).select_option("council-001-protocol")
        page.get_by_label("Other", exact=True).check()
        page.get_by_label("Why is the protocol being reviewed?").fill(why)
        page.get_by_role("button", name="Open the review").click()
        page.wait_for_url("**/protocols/reviews/*-*-*-*-*/")
        url = page.url
        page.get_by_label("Why is the review closed without change?").fill("Opened in error.")
        page.get_by_role("button", name="Close the review without change").click()
        page.wait_for_url(url)
        assert _stage(page) == "Closed without change"
        check_page(page, blocked)

        response = page.goto(f"{review_server.url}/protocols/reviews/{uuid.uuid4()}/")
        assert response is not None
        assert response.status == 404
        _forgive_own_status(blocked, 404)
        check_page(page, blocked)
        missing = _main_text(page)
    finally:
        context.close()
    return ClosedReview(url=url, why=why, missing_as_keeper=missing)


def test_a_review_is_the_same_404_as_a_made_up_one_to_someone_who_does_not_keep_the_library(
    chromium: Any, review_server: RunningServer, closed_review: ClosedReview
) -> None:
    context, page, blocked = _open_page(chromium)
    try:
        _sign_in_at(page, review_server, "/protocols/", "officer")
        assert page.get_by_role("link", name="Protocol reviews").count() == 0

        shown: dict[str, str] = {}
        for name, url in (
            ("review", closed_review.url),
            ("report", f"{closed_review.url}report/"),
            ("made up", f"{review_server.url}/protocols/reviews/{uuid.uuid4()}/"),
            ("made-up report", f"{review_server.url}/protocols/reviews/{uuid.uuid4()}/report/"),
        ):
            response = page.goto(url)
            assert response is not None, name
            assert response.status == 404, name
            _forgive_own_status(blocked, 404)
            assert page.locator("h1").inner_text() == "Page not found", name
            check_page(page, blocked)
            shown[name] = _main_text(page)
        assert shown["review"] == shown["made up"]
        assert shown["report"] == shown["made-up report"] == shown["made up"]
        assert shown["review"] == closed_review.missing_as_keeper
        assert closed_review.why not in shown["review"]
    finally:
        context.close()
