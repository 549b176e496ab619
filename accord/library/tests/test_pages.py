"""The protocol library's pages and API: reading, comparing, importing, putting in force.

A draft is the keepers' alone: to anyone else its pages, its paragraphs and its place in any
list are exactly as if it did not exist. A marker string planted in a draft proves it.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accord.api.services import token_create
from accord.core import clock
from accord.library.models import ProtocolVersion
from accord.library.testing import make_version
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

MARKER = "MARKER-5d1e-unpublished-draft-wording"
KEEPERS = ("mo", "deputy_mo")
OTHERS = ("officer", "councillor", "chief_exec")
SMALL = (
    b"# Protocol\n\n## Enquiries\n\n"
    b"1. Officers will answer a councillor's enquiry within five working days.\n\n"
    b"(a) A holding reply is sent when the answer will take longer.\n\n"
    b"2. The Monitoring Officer will review this protocol <script>alert(1)</script>.\n"
)


@pytest.fixture
def example() -> ExampleCouncil:
    council = example_council()
    make_version(
        key="protocol",
        label="2024",
        status="superseded",
        paragraphs=[("1", "Officers will answer enquiries promptly."), ("2", "Old wording.")],
        in_force_from=dt.date(2024, 1, 1),
    )
    make_version(
        key="protocol",
        label="2025",
        paragraphs=[
            ("1", "Officers will answer enquiries within ten working days."),
            ("1(a)", "A holding reply is sent."),
            ("2", "The Monitoring Officer reviews this protocol."),
        ],
    )
    make_version(
        key="protocol", label="2026", status="draft", paragraphs=[("1", f"Draft {MARKER}.")]
    )
    return council


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _normalised(content: bytes) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return re.sub(rb'nonce="[^"]+"', b"NONCE", content)


def _token(example: ExampleCouncil, who: str) -> dict[str, str]:
    _, secret = token_create(actor=None, user=example.user(who), name="test")
    return {"Authorization": f"Bearer {secret}"}


def test_everyone_reads_the_versions_in_force_and_before(example: ExampleCouncil) -> None:
    client = example.client("councillor")
    listing = _page(client, reverse("library:protocols"))
    assert "2025" in listing
    assert "2024" in listing
    assert reverse("library:protocol_version", args=["protocol", "2026"]) not in listing
    page = _page(client, reverse("library:protocol_version", args=["protocol", "2025"]))
    assert 'id="p-1-a"' in page
    assert "ten working days" in page
    paragraph = _page(
        client, reverse("library:protocol_paragraph", args=["protocol", "2025", "p-1"])
    )
    assert "protocol@2025:1" in paragraph


@pytest.mark.parametrize("who", OTHERS)
def test_a_draft_is_missing_to_anyone_but_the_keepers(example: ExampleCouncil, who: str) -> None:
    client = example.client(who)
    missing = client.get(reverse("library:protocol_version", args=["protocol", "no-such"]))
    draft = client.get(reverse("library:protocol_version", args=["protocol", "2026"]))
    assert draft.status_code == missing.status_code == 404
    assert _normalised(draft.content.replace(b"2026", b"no-such")) == _normalised(missing.content)
    for url in (
        reverse("library:protocol_paragraph", args=["protocol", "2026", "p-1"]),
        reverse("library:protocol_version_text", args=["protocol", "2026"]),
        reverse("library:protocol_compare", args=["protocol"]) + "?old=2025&new=2026",
        reverse("library:protocol_import"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert MARKER not in response.content.decode()
    for url in (
        reverse("library:protocols"),
        reverse("library:protocol_version", args=["protocol", "2025"]),
        reverse("library:protocol_compare", args=["protocol"]),
    ):
        assert MARKER not in _page(client, url)
    api = Client()
    headers = _token(example, who)
    assert MARKER not in api.get("/api/v1/protocols", headers=headers).content.decode()
    assert api.get("/api/v1/protocols/protocol/versions/2026", headers=headers).status_code == 404


@pytest.mark.parametrize("who", KEEPERS)
def test_the_keepers_see_drafts(example: ExampleCouncil, who: str) -> None:
    page = _page(
        example.client(who), reverse("library:protocol_version", args=["protocol", "2026"])
    )
    assert MARKER in page
    assert "Record Full Council" in page


def test_the_comparison_shows_changes_word_by_word(example: ExampleCouncil) -> None:
    client = example.client("officer")
    url = reverse("library:protocol_compare", args=["protocol"]) + "?old=2024&new=2025"
    page = client.get(url).content.decode()
    assert "<ins" in page
    assert "<del" in page
    assert ' style="' not in page
    text = client.get(
        reverse("library:protocol_compare_text", args=["protocol"]) + "?old=2024&new=2025"
    )
    assert text.status_code == 200
    assert text["Content-Type"].startswith("text/plain")
    pdf = client.get(
        reverse("library:protocol_compare_pdf", args=["protocol"]) + "?old=2024&new=2025"
    )
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_comparison_page_shows_a_script_in_compared_text_as_text(
    example: ExampleCouncil,
) -> None:
    script = '<script>alert("redline")</script>'
    make_version(
        key="scripted",
        label="1",
        status="superseded",
        paragraphs=[("1", f"Officers answer {script} promptly.")],
        in_force_from=dt.date(2024, 1, 1),
    )
    make_version(key="scripted", label="2", paragraphs=[("1", f"Officers answer {script} fully.")])

    url = reverse("library:protocol_compare", args=["scripted"]) + "?old=1&new=2"
    page = example.client("officer").get(url).content.decode()

    assert script not in page
    assert "&lt;script&gt;alert(&quot;redline&quot;)&lt;/script&gt;" in page
    assert '<del class="accord-redline__del"><span class="govuk-visually-hidden">Deleted: ' in page


def test_an_import_is_previewed_and_saved_only_when_confirmed(example: ExampleCouncil) -> None:
    client = example.client("mo")
    response = client.post(
        reverse("library:protocol_import"),
        {
            "file": SimpleUploadedFile("protocol.md", SMALL, content_type="text/markdown"),
            "document": "protocol",
            "version": "2027",
        },
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Check what was recovered" in preview
    assert "<script>alert(1)</script>" not in preview
    assert "&lt;script&gt;" in preview
    assert not ProtocolVersion.objects.filter(label="2027").exists()
    saved = client.post(preview_url)
    assert saved["Location"] == reverse("library:protocol_version", args=["protocol", "2027"])
    version = ProtocolVersion.objects.get(label="2027")
    assert version.status == "draft"
    assert version.paragraphs.filter(reference="1(a)").exists()
    assert client.get(preview_url).status_code == 404


def test_an_import_without_a_file_names_the_field(example: ExampleCouncil) -> None:
    response = example.client("mo").post(
        reverse("library:protocol_import"), {"document": "protocol", "version": "2027"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_file"' in page
    assert "Choose the protocol document to upload" in page


def test_a_keeper_approves_a_draft_and_puts_it_in_force(example: ExampleCouncil) -> None:
    client = example.client("mo")
    today = clock.today()
    fields = {
        "approved_on_day": today.day,
        "approved_on_month": today.month,
        "approved_on_year": today.year,
        "in_force_from_day": today.day,
        "in_force_from_month": today.month,
        "in_force_from_year": today.year,
        "approved_by": "Full Council",
    }
    client.post(reverse("library:protocol_approve", args=["protocol", "2026"]), fields)
    assert ProtocolVersion.objects.get(label="2026").status == "approved"
    client.post(reverse("library:protocol_put_in_force", args=["protocol", "2026"]))
    statuses = dict(ProtocolVersion.objects.values_list("label", "status"))
    assert statuses == {"2024": "superseded", "2025": "superseded", "2026": "in_force"}


def test_the_api_dry_run_returns_the_structure_and_saves_nothing(example: ExampleCouncil) -> None:
    body = {
        "document": "protocol",
        "version": "2027",
        "file_name": "protocol.md",
        "content_base64": base64.b64encode(SMALL).decode(),
        "dry_run": True,
    }
    client = Client()
    response = client.post(
        "/api/v1/protocols/import",
        body,
        content_type="application/json",
        headers=_token(example, "mo"),
    )
    assert response.status_code == 200, response.content
    parsed = response.json()["parsed"]
    assert [p["number"] for p in parsed["paragraphs"]] == ["1", "2"]
    assert parsed["paragraphs"][0]["items"][0]["reference"] == "1(a)"
    assert not ProtocolVersion.objects.filter(label="2027").exists()
    refused = client.post(
        "/api/v1/protocols/import",
        body,
        content_type="application/json",
        headers=_token(example, "officer"),
    )
    assert refused.status_code == 404


# "\x93" and "\x94" are Windows-1252 curly quotes: the file is not UTF-8.
WINDOWS_1252 = b"# Protocol\n\n1. Officers give \x93frank\x94 advice.\n"
ENCODING_WARNING = "read as Windows-1252"


def test_the_preview_shows_what_reading_the_file_warned_about(example: ExampleCouncil) -> None:
    client = example.client("mo")
    response = client.post(
        reverse("library:protocol_import"),
        {
            "file": SimpleUploadedFile("protocol.txt", WINDOWS_1252, content_type="text/plain"),
            "document": "protocol",
            "version": "2027",
        },
    )
    preview = client.get(response["Location"]).content.decode()

    assert ENCODING_WARNING in preview
    assert "The import has 1 warning:" in preview


def test_the_api_dry_run_reports_what_reading_the_file_warned_about(
    example: ExampleCouncil,
) -> None:
    response = Client().post(
        "/api/v1/protocols/import",
        {
            "document": "protocol",
            "version": "2027",
            "file_name": "protocol.txt",
            "content_base64": base64.b64encode(WINDOWS_1252).decode(),
            "dry_run": True,
        },
        content_type="application/json",
        headers=_token(example, "mo"),
    )

    assert response.status_code == 200, response.content
    messages = [w["message"] for w in response.json()["parsed"]["warnings"]]
    assert any(ENCODING_WARNING in m for m in messages)


def test_the_api_reads_a_version_with_its_paragraphs_in_order(example: ExampleCouncil) -> None:
    response = Client().get(
        "/api/v1/protocols/protocol/versions/2025", headers=_token(example, "officer")
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["document"] == "protocol"
    assert body["status"] == "in_force"
    assert [p["reference"] for p in body["paragraphs"]] == ["1", "1(a)", "2"]
    assert body["paragraphs"][0]["citation"] == "protocol@2025:1"
    assert "ten working days" in body["paragraphs"][0]["text"]


def test_the_api_compares_two_versions_paragraph_by_paragraph(example: ExampleCouncil) -> None:
    api, headers = Client(), _token(example, "officer")

    response = api.get("/api/v1/protocols/protocol/compare?old=2024&new=2025", headers=headers)

    assert response.status_code == 200, response.content
    body = response.json()
    kinds = {(c["old"], c["new"]): c["kind"] for c in body["changes"]}
    # "Old wording." shares no words with the new 2: one paragraph went, another came.
    assert kinds == {
        ("1", "1"): "changed",
        (None, "1(a)"): "inserted",
        ("2", None): "deleted",
        (None, "2"): "inserted",
    }
    assert body["counts"]["inserted"] == 2
    assert "ten working days" in " ".join(
        words for c in body["changes"] for op, words in c["words"] if op == "ins"
    )
    assert "changed" in body["summary"].lower()
    # A draft only the keepers may read is missing to anyone else, as a label that never was.
    hidden = api.get("/api/v1/protocols/protocol/compare?old=2025&new=2026", headers=headers)
    unknown = api.get("/api/v1/protocols/protocol/compare?old=2025&new=1999", headers=headers)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.content == unknown.content


def test_the_api_gives_a_version_text_exactly_as_imported(example: ExampleCouncil) -> None:
    version = ProtocolVersion.objects.get(label="2025")
    ProtocolVersion.objects.filter(pk=version.pk).update(source_text="1. As imported.\n")

    response = Client().get(
        "/api/v1/protocols/protocol/versions/2025/text", headers=_token(example, "officer")
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "1. As imported.\n"


def test_the_api_reads_a_paragraph_by_its_anchor(example: ExampleCouncil) -> None:
    response = Client().get(
        "/api/v1/protocols/protocol/versions/2025/paragraphs/p-1-a",
        headers=_token(example, "officer"),
    )
    assert response.status_code == 200
    assert response.json()["citation"] == "protocol@2025:1(a)"
