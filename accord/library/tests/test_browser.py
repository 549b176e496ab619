"""The protocol library in chromium: democratic services import a new version with a preview
and save it as a draft, and a long one that the worker reads while the page shows its progress;
an officer compares the two editions of the council's protocol and searches it. Each page is
checked with axe-core and for anything the content security policy blocked.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from accord.conftest import run_accord
from accord.web.tests.browser import AXE, check_page, sign_in, watch_console

pytestmark = pytest.mark.browser

DRAFT = (
    "# Protocol on Member/Officer Relations\n\n"
    "## Introduction\n\n"
    "1. This protocol guides how councillors and officers work together.\n\n"
    "2. Officers will answer a councillor's enquiry within five working days.\n\n"
    "(a) A holding reply is sent when a full answer will take longer.\n\n"
    "(b) The reply names the officer dealing with it.\n\n"
    "## Review\n\n"
    "3. The Monitoring Officer will review this protocol every year.\n"
)


def test_democratic_services_import_a_draft_after_previewing_its_structure(
    chromium: Any, accord_server: Any
) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    label = f"draft-{uuid.uuid4().hex[:6]}"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{accord_server.url}/protocols/")
        sign_in(page, "democratic-services", accord_server.password)
        page.wait_for_url(f"{accord_server.url}/protocols/")
        check_page(page, blocked)

        page.get_by_role("link", name="Import a document or new version").click()
        page.wait_for_url("**/protocols/import/")
        check_page(page, blocked)
        page.get_by_role("button", name="Check the document").click()
        summary = page.locator(".govuk-error-summary")
        assert "Choose the protocol document to upload" in summary.inner_text()
        check_page(page, blocked)

        page.set_input_files(
            'input[name="file"]',
            {"name": "protocol.md", "mimeType": "text/markdown", "buffer": DRAFT.encode()},
        )
        page.get_by_label("Document key").fill("member-officer-protocol")
        page.get_by_label("Version label").fill(label)
        page.get_by_role("button", name="Check the document").click()
        page.wait_for_url("**/protocols/import/*/")
        assert page.locator("h1").inner_text() == "Check what was recovered"
        assert "3" in page.locator("#import-summary").inner_text()
        structure = page.locator("#import-structure").inner_text()
        assert "five working days" in structure
        assert "holding reply" in structure
        check_page(page, blocked)

        page.get_by_role("button", name="Save as a draft").click()
        page.wait_for_url(f"**/protocols/member-officer-protocol/v/{label}/")
        banner = page.locator(".govuk-notification-banner--success")
        assert "3 numbered paragraphs" in banner.inner_text()
        assert page.locator("#p-2-a").count() == 1
        check_page(page, blocked)
    finally:
        context.close()


def test_an_officer_compares_the_two_editions_and_searches_them(
    chromium: Any, accord_server: Any
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{accord_server.url}/protocols/")
        sign_in(page, "officer", accord_server.password)
        page.wait_for_url(f"{accord_server.url}/protocols/")
        assert page.get_by_text("Draft", exact=True).count() == 0
        page.get_by_role(
            "link", name="Compare versions of Protocol on Member/Officer Relations"
        ).click()
        page.wait_for_url("**/protocols/member-officer-protocol/compare/")
        assert "Changes from pre-2025 to 2025" in page.locator("h1").inner_text()
        assert "Renumbered" in page.locator("#compare-counts").inner_text()
        assert page.locator("ins").count() > 0
        assert page.locator("del").count() > 0
        check_page(page, blocked)

        page.goto(f"{accord_server.url}/protocols/search/?q=monitoring+officer")
        assert page.locator("mark").count() > 0
        check_page(page, blocked)
    finally:
        context.close()


LARGE = "# A long protocol\n\n" + "".join(
    f"{n}. Officers will keep members informed of matters affecting their division.\n\n"
    for n in range(1, 2_501)
)


def test_a_large_import_is_read_by_the_worker_while_the_page_shows_its_progress(
    chromium: Any, accord_server: Any
) -> None:
    label = f"long-{uuid.uuid4().hex[:6]}"
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{accord_server.url}/protocols/import/")
        sign_in(page, "democratic-services", accord_server.password)
        page.wait_for_url("**/protocols/import/")
        page.set_input_files(
            'input[name="file"]',
            {"name": "protocol.md", "mimeType": "text/markdown", "buffer": LARGE.encode()},
        )
        page.get_by_label("Document key").fill("member-officer-protocol")
        page.get_by_label("Version label").fill(label)
        page.get_by_role("button", name="Check the document").click()
        page.wait_for_url("**/protocols/import/*/")
        assert page.locator("h1").inner_text() == "Reading the file"
        assert "waiting to be read" in page.locator("#import-progress").inner_text()
        check_page(page, blocked)

        # The keeper asks the page to check by itself; then the worker reads the file.
        page.get_by_role("link", name="Check every 3 seconds until it is read").click()
        page.wait_for_url("**/protocols/import/*/?watch=1")
        run_accord(accord_server.env, "db_worker", "--batch", "--no-reload", "--queue-name", "*")
        page.locator("h1", has_text="Check what was recovered").wait_for(timeout=30_000)
        assert "2500" in page.locator("#import-summary").inner_text()
        assert "And 2200 more paragraphs and items" in page.locator("#import-left-out").inner_text()
        check_page(page, blocked)

        page.get_by_role("button", name="Save as a draft").click()
        page.wait_for_url(f"**/protocols/member-officer-protocol/v/{label}/")
        banner = page.locator(".govuk-notification-banner--success")
        assert "2500 numbered paragraphs" in banner.inner_text()
        check_page(page, blocked)
    finally:
        context.close()
