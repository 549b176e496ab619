"""Every page and API read the benchmark measures answers 200 on the demo council, for the
account that would open it: a page that fails on real data (a schema that cannot serialise what
its route returns, a template that trips on a seeded record) fails here, not first in the
benchmark."""

from __future__ import annotations

import pytest
from django.test import Client

from bench.measure import Visitors, page_path
from bench.pages import PAGES, Page
from bench.scale import grow_library

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council")]


@pytest.fixture
def visitors() -> Visitors:
    grow_library(scale=1)  # the review under way that the review pages show
    return Visitors()


def test_every_benchmarked_page_answers_200_for_its_reader(visitors: Visitors) -> None:
    failed: list[str] = []
    for page in PAGES:
        path = page_path(page, visitors)
        response = _client(page, visitors).get(path)
        if response.status_code != 200:
            failed.append(f"{page.label} ({path}): {response.status_code}")
    assert failed == []


def _client(page: Page, visitors: Visitors) -> Client:
    if page.api:
        return Client(headers={"Authorization": f"Bearer {visitors.token(page.username)}"})
    return visitors.client(page.username)
