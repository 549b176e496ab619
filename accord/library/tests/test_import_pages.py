"""Importing a protocol through the pages and the API when the file is large or hostile: the
worker reads it while the page shows progress, the preview never reads the file again and
stays small, and a file beyond a limit is refused on the form naming it."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accord.api.services import token_create
from accord.audit.models import AuditEvent
from accord.library.models import PendingImport, ProtocolVersion
from accord.library.parsing.limits import PREVIEW_PARAGRAPHS, PREVIEW_WARNINGS
from accord.library.services import import_read
from accord.library.services import versions as version_services
from accord.library.tests import hostile
from accord.library.tests.test_imports import LARGE, forbid_reading, large_text
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

Status = PendingImport.Status


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _post(client: Client, data: bytes, name: str = "protocol.md", **fields: str) -> Any:
    return client.post(
        reverse("library:protocol_import"),
        {
            "file": SimpleUploadedFile(name, data),
            "document": "protocol",
            "version": "2027",
            "council": "Example County Council",
            **fields,
        },
    )


def _token(example: ExampleCouncil, who: str) -> dict[str, str]:
    _, secret = token_create(actor=None, user=example.user(who), name="test")
    return {"Authorization": f"Bearer {secret}"}


def _read_queued() -> None:
    """What the worker does: read each upload waiting for it."""
    for pending in PendingImport.objects.filter(status=Status.WAITING):
        import_read(pending_id=pending.pk)


def test_a_large_import_shows_progress_then_its_preview_and_is_saved_when_confirmed(
    example: ExampleCouncil, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = example.client("mo")
    response = _post(client, LARGE)
    assert response.status_code == 302
    preview_url = response["Location"]

    waiting = client.get(preview_url).content.decode()
    assert "Reading the file" in waiting
    assert "is waiting to be read" in waiting
    assert f'href="{preview_url}" id="import-check-again"' in waiting
    assert "http-equiv" not in waiting
    watching = client.get(preview_url + "?watch=1").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in watching
    assert "Stop checking every 3 seconds" in watching
    for page in (waiting, watching):
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script: the CSP

    PendingImport.objects.update(status=Status.READING, progress=40)
    assert "Reading the file: 40%." in client.get(preview_url).content.decode()
    PendingImport.objects.update(status=Status.WAITING, progress=0)

    _read_queued()
    forbid_reading(monkeypatch)
    preview = client.get(preview_url).content.decode()
    assert "Check what was recovered" in preview
    assert "2500" in preview  # numbered paragraphs
    assert f"And {2_500 - PREVIEW_PARAGRAPHS} more paragraphs and items" in preview
    assert client.get(preview_url).status_code == 200

    saved = client.post(preview_url)
    assert saved["Location"] == reverse("library:protocol_version", args=["protocol", "2027"])
    assert ProtocolVersion.objects.get(label="2027").paragraphs.count() == 2_500
    assert AuditEvent.objects.filter(verb="library.version_imported").count() == 1
    assert client.get(preview_url).status_code == 404


def test_someone_elses_import_is_missing(example: ExampleCouncil) -> None:
    preview_url = _post(example.client("mo"), LARGE)["Location"]

    assert example.client("deputy_mo").get(preview_url).status_code == 404
    assert example.client("officer").get(preview_url).status_code == 404


def test_a_large_import_the_worker_refuses_returns_to_the_form_with_the_reason(
    example: ExampleCouncil,
) -> None:
    client = example.client("mo")
    preview_url = _post(client, b"Words without any number.\n\n" * 5_000)["Location"]
    _read_queued()

    response = client.get(preview_url, follow=True)

    page = response.content.decode()
    assert (
        response.redirect_chain[-1][0] == reverse("library:protocol_import") + "?document=protocol"
    )
    assert "No numbered paragraphs were found in the file." in page
    assert not PendingImport.objects.exists()


@pytest.mark.hostile
def test_a_hostile_word_file_is_refused_on_the_form_naming_the_limit(
    example: ExampleCouncil, tmp_path: Path
) -> None:
    path = tmp_path / "protocol.docx"
    hostile.word_nested(path, depth=20_000)

    response = _post(example.client("mo"), path.read_bytes(), "protocol.docx")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_file"' in page
    assert "nested more than 100 levels deep; the limit is 100." in page
    assert not PendingImport.objects.exists()


@pytest.mark.hostile
def test_nine_megabytes_of_text_is_refused_on_the_form_without_being_parsed(
    example: ExampleCouncil, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "protocol.txt"
    hostile.text_of(path, 9 * hostile.MIB)

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("parsed")

    monkeypatch.setattr(version_services, "parse_protocol", no_parsing)

    response = _post(example.client("mo"), path.read_bytes(), "protocol.txt")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file&#x27;s text is 9,437,184 characters long; the limit is 2,000,000" in page
    assert len(response.content) < 100_000


@pytest.mark.hostile
def test_the_preview_of_the_largest_file_accepted_stays_small(example: ExampleCouncil) -> None:
    # Two thousand characters short of the limit, and a warning for nearly every paragraph
    # (each is numbered as the one before it).
    line = "1. Officers will keep members informed of matters affecting their division.\n\n"
    data = (line * ((2_000_000 - 2_000) // len(line))).encode()
    client = example.client("mo")
    preview_url = _post(client, data)["Location"]
    _read_queued()

    response = client.get(preview_url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Check what was recovered" in page
    assert "more warnings, not shown here" in page
    assert page.count("<li>Line ") == PREVIEW_WARNINGS
    assert len(response.content) < 500_000


def test_the_api_answers_a_large_dry_run_with_an_address_to_ask_how_it_is_going(
    example: ExampleCouncil,
) -> None:
    api, headers = Client(), _token(example, "mo")
    body = {
        "document": "protocol",
        "version": "2027",
        "file_name": "protocol.md",
        "content_base64": base64.b64encode(LARGE).decode(),
        "council": "Example County Council",
        "dry_run": True,
    }

    started = api.post("/api/v1/protocols/import", body, "application/json", headers=headers)

    assert started.status_code == 202, started.content
    status_url = started.json()["status_url"]
    assert status_url.startswith("/api/v1/protocols/imports/")
    assert started.json()["status"] == "waiting"
    waiting = api.get(status_url, headers=headers).json()
    assert (waiting["status"], waiting["parsed"], waiting["errors"]) == ("waiting", None, [])
    assert api.get(status_url, headers=_token(example, "deputy_mo")).status_code == 404
    assert api.get(status_url, headers=_token(example, "officer")).status_code == 404
    for token in ("no-such-import-token", "x" * 500):
        missing = api.get(f"/api/v1/protocols/imports/{token}", headers=headers)
        assert missing.status_code == 404, token
    # No token holds a control character: that is input refused, naming it (docs/api.md).
    refused = api.get(f"/api/v1/protocols/imports/{'%00' * 20}", headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["token"]

    _read_queued()

    done = api.get(status_url, headers=headers).json()
    assert (done["status"], done["progress"], done["saved"]) == ("ready", 100, False)
    assert len(done["parsed"]["paragraphs"]) == 2_500
    assert not ProtocolVersion.objects.filter(label="2027").exists()


def test_the_api_saves_a_large_import_once_the_worker_has_read_it(example: ExampleCouncil) -> None:
    api, headers = Client(), _token(example, "mo")
    body = {
        "document": "protocol",
        "version": "2027",
        "file_name": "protocol.md",
        "content_base64": base64.b64encode(large_text(3_000)).decode(),
        "council": "Example County Council",
    }

    started = api.post("/api/v1/protocols/import", body, "application/json", headers=headers)
    assert started.status_code == 202, started.content
    _read_queued()

    done = api.get(started.json()["status_url"], headers=headers).json()
    assert (done["status"], done["saved"]) == ("saved", True)
    assert done["version"]["label"] == "2027"
    assert ProtocolVersion.objects.get(label="2027").paragraphs.count() == 3_000


def test_the_openapi_schema_describes_the_import_status(example: ExampleCouncil) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    assert "202" in schema["paths"]["/api/v1/protocols/import"]["post"]["responses"]
    status = schema["paths"]["/api/v1/protocols/imports/{token}"]["get"]
    assert "200" in status["responses"]
