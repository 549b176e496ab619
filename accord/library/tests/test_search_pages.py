"""The protocol search and ask pages and their API: what each reader finds, and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.library.search.fulltext import index_version
from accord.library.testing import make_version
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

MARKER = "Zanzibarquokka"


@pytest.fixture
def council() -> ExampleCouncil:
    built = example_council()
    index_version(
        make_version(
            key="mop",
            label="2025",
            paragraphs=[("5.14", "Councillors should never forward officer correspondence.")],
        )
    )
    index_version(
        make_version(
            key="mop",
            label="2026 draft",
            status="draft",
            paragraphs=[("5.14", f"Councillors should never forward {MARKER} correspondence.")],
        )
    )
    return built


def api_for(council: ExampleCouncil, key: str) -> ApiClient:
    _, token = token_create(actor=None, user=council.user(key), name="tests")
    return ApiClient(token)


def test_search_page_highlights_the_match_and_links_the_paragraph(council: ExampleCouncil) -> None:
    response = council.client("officer").get(
        reverse("library:protocol_search"), {"q": "forwarding"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>forward</mark>" in page
    assert "mop@2025:5.14" in page
    assert reverse("library:protocol_paragraph", args=["mop", "2025", "p-5-14"]) in page
    assert "In force" in page


def test_a_draft_never_reaches_an_ordinary_officer_by_page_or_api(council: ExampleCouncil) -> None:
    for path, params in (
        (reverse("library:protocol_search"), {"q": MARKER}),
        (reverse("library:protocol_search"), {"q": "correspondence"}),
        (reverse("library:protocol_ask"), {"question": f"may I forward {MARKER} correspondence?"}),
    ):
        page = council.client("officer").get(path, params).content.decode()
        assert MARKER not in page.replace(params.get("q", params.get("question", "")), "")
        assert "2026 draft" not in page
    api = api_for(council, "officer")
    assert api.get("/api/v1/protocols/search", q=MARKER).json() == []
    found = api.get("/api/v1/protocols/search", q="correspondence").json()
    assert [h["citation"] for h in found] == ["mop@2025:5.14"]
    answer = api.get("/api/v1/protocols/ask", question=f"forward {MARKER} correspondence").json()
    assert [h["citation"] for h in answer["hits"]] == ["mop@2025:5.14"]
    assert MARKER not in str(answer["hits"])


def test_the_monitoring_officer_finds_the_draft(council: ExampleCouncil) -> None:
    page = council.client("mo").get(reverse("library:protocol_search"), {"q": MARKER})
    assert "mop@2026 draft:5.14" in page.content.decode()
    found = api_for(council, "mo").get("/api/v1/protocols/search", q="correspondence").json()
    assert len(found) == 2


def test_a_too_long_query_is_named_in_the_error_summary(council: ExampleCouncil) -> None:
    response = council.client("officer").get(reverse("library:protocol_search"), {"q": "x" * 201})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The search must be 200 characters or fewer" in page
    assert 'href="#id_q"' in page
    response = council.client("officer").get(
        reverse("library:protocol_ask"), {"question": "x" * 201}
    )
    assert "The question must be 200 characters or fewer" in response.content.decode()
    api = api_for(council, "officer")
    assert api.get("/api/v1/protocols/search", q="x" * 201).status_code == 422


def test_ask_page_explains_each_answer(council: ExampleCouncil) -> None:
    response = council.client("councillor").get(
        reverse("library:protocol_ask"), {"question": "Can I forward an officer's email?"}
    )
    page = response.content.decode()
    assert "Matched forward, email (as \u2018correspondence\u2019), officer" in page
    # neighbouring matched words are marked as one run
    assert "<mark>forward officer correspondence</mark>" in page


def test_hostile_input_is_answered_not_failed(council: ExampleCouncil) -> None:
    client = council.client("officer")
    for q in ('"AND OR NEAR( * ^', "<script>alert(1)</script>"):
        response = client.get(reverse("library:protocol_search"), {"q": q})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
    assert api_for(council, "officer").get("/api/v1/protocols/search", q='"AND OR').json() == []


def test_signed_out_readers_are_sent_to_sign_in_and_the_api_refuses(db: None) -> None:
    from django.test import Client

    response = Client().get(reverse("library:protocol_search"), {"q": "forward"})
    assert response.status_code == 302
    assert ApiClient(None).get("/api/v1/protocols/search", q="forward").status_code == 401
