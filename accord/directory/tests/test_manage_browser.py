"""Democratic Services imports people from CSV in chromium: a bad row is named by row and
column, the corrected file is previewed and only then imported. Each page is checked with
axe-core and for anything the content security policy blocked.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from accord.web.tests.browser import AXE, check_page, sign_in, watch_console

pytestmark = pytest.mark.browser

HEADER = "kind,given_name,family_name,email,directorate,job_title,line_manager_email\n"


def people_csv(tag: str, *, bad_manager: bool) -> bytes:
    manager = "nobody@example.invalid" if bad_manager else f"rowan.{tag}@example.gov.uk"
    return (
        HEADER
        + f"officer,Rowan,Tester,rowan.{tag}@example.gov.uk,RES,Finance Manager,\n"
        + f"officer,Sasha,Tester,sasha.{tag}@example.gov.uk,RES,Accountant,{manager}\n"
    ).encode()


def upload(page: Any, content: bytes) -> None:
    page.set_input_files(
        'input[name="file"]', {"name": "people.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Check the file").click()


def test_democratic_services_imports_people_after_correcting_a_bad_row(chromium, accord_server):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    tag = uuid.uuid4().hex[:8]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked = watch_console(page)
    try:
        page.goto(f"{accord_server.url}/directory/manage/")
        sign_in(page, "democratic-services", accord_server.password)
        page.wait_for_url(f"{accord_server.url}/directory/manage/")
        assert page.locator("h1").inner_text() == "Manage directory"
        check_page(page, blocked)

        page.get_by_role("link", name="Import members and officers from a CSV file").click()
        page.wait_for_url("**/directory/manage/import/")
        check_page(page, blocked)

        upload(page, people_csv(tag, bad_manager=True))
        page.wait_for_load_state()
        summary = page.locator(".govuk-error-summary")
        assert "Nothing has been imported" in summary.inner_text()
        problem = page.locator("#import-problems tbody tr").first
        cells = [cell.inner_text() for cell in problem.locator("td").all()]
        assert cells[:2] == ["3", "line_manager_email"], cells
        assert "nobody@example.invalid" in cells[2]
        assert page.title().startswith("Error: ")
        check_page(page, blocked)

        upload(page, people_csv(tag, bad_manager=False))
        page.wait_for_url("**/directory/manage/import/*/")
        assert page.locator("h1").inner_text() == "Check the import"
        assert "2 people" in page.locator("#import-preview").inner_text()
        check_page(page, blocked)

        page.get_by_role("button", name="Import", exact=True).click()
        page.wait_for_url("**/directory/manage/import/")
        banner = page.locator(".govuk-notification-banner--success")
        assert "Imported: 2 created, 0 updated, 0 unchanged." in banner.inner_text()
        check_page(page, blocked)

        page.goto(f"{accord_server.url}/directory/?q=sasha.{tag}")
        assert page.locator("tbody tr").count() == 1
    finally:
        context.close()
