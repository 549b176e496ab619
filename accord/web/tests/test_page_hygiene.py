"""Every page works under the strict content security policy: no inline script or style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accord.directory.tests.test_pages import page_urls

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.script_nonces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "style" in names:
            self.problems.append(f"<{tag} style=...>")
        if any(name.startswith("on") for name in names):
            self.problems.append(f"<{tag}> with an inline event handler")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            if not names.get("src"):
                self.problems.append("<script> without src")
            self.script_nonces.append(names.get("nonce") or "")


def inline_code(html: str) -> InlineCodeFinder:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder


def test_pages_have_no_inline_styles_or_scripts(council, officer_client):
    urls = [*page_urls(council), reverse("directory:people") + "?q=zzz-nobody"]
    for url in urls:
        finder = inline_code(officer_client.get(url).content.decode())
        assert finder.problems == [], url


def test_error_and_sign_in_pages_have_no_inline_styles_or_scripts(council, officer_client):
    not_found = officer_client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert inline_code(not_found.content.decode()).problems == []
    sign_in = Client().get(reverse("account_login"))
    assert inline_code(sign_in.content.decode()).problems == []


def test_csp_allows_scripts_only_from_self_and_this_pages_nonce(council, officer_client):
    response = officer_client.get(reverse("directory:people"))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert directives["style-src"] == "'self'"
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    assert nonce, directives["script-src"]
    assert "'self'" in directives["script-src"]
    nonces = inline_code(response.content.decode()).script_nonces
    assert nonces == [nonce.group(1)]


def test_the_page_is_govuk_frontend_branded_for_the_council(council, officer_client):
    page = officer_client.get(reverse("web:home")).content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in page
    assert 'class="govuk-skip-link"' in page
    assert "build/accord.css" in page
    assert 'type="module" src="/static/accord/app.js"' in page
    assert "govuk-header__crown" not in page
    assert "govuk-footer__crown" not in page
    assert "Crown copyright" not in page
