"""Uploads on their way into the library: read at once when small, by the worker when large
(with progress), kept with what was read so the preview and the confirmation never read the
file again, and saved in one audited transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from accord.access.actor import Actor
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.library.models import PendingImport, ProtocolVersion
from accord.library.parsing import parse_protocol, read_upload
from accord.library.parsing.limits import FOREGROUND_SHARE, MAX_CHARACTERS
from accord.library.selectors.imports import (
    pending_import_get,
    pending_import_reading,
    pending_import_stalled,
)
from accord.library.services import import_confirm, import_read, import_upload
from accord.library.services import versions as version_services
from accord.library.tests import hostile
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

SMALL = b"# Protocol\n\n1. Officers will answer within five working days.\n\n2. Members ask.\n"
READ_IMPORT = "accord.library.tasks.read_import"
Status = PendingImport.Status


def large_text(paragraphs: int = 2_500) -> bytes:
    """Numbered paragraphs, past what a web process reads while the keeper waits."""
    text = "# A long protocol\n\n" + "".join(
        f"{n}. Officers will keep members informed of matters affecting their division.\n\n"
        for n in range(1, paragraphs + 1)
    )
    assert len(text) > MAX_CHARACTERS * FOREGROUND_SHARE
    return text.encode()


LARGE = large_text()


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _upload(actor: Actor, data: bytes = LARGE, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "actor": actor,
        "document_key": "protocol",
        "label": "2027",
        "source_name": "protocol.md",
        "data": data,
        "council": "Example County Council",
        "keep": True,
    } | overrides
    return import_upload(**arguments)


def forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading or parsing a file from here on fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(version_services, "read_upload", refuse)
    monkeypatch.setattr(version_services, "parse_protocol", refuse)


def test_a_small_upload_is_read_at_once_and_kept_for_its_preview(example: ExampleCouncil) -> None:
    started = _upload(example.user("mo"), SMALL)

    assert started.result is not None
    pending = started.pending
    assert pending.status == Status.READY
    result, new_document = pending_import_reading(pending)
    assert [p.reference for p in result.parsed.paragraphs] == ["1", "2"]
    assert result.source is not None
    assert result.source.text.startswith("# Protocol")
    assert new_document
    assert not ProtocolVersion.objects.filter(label="2027").exists()


def test_a_large_upload_is_queued_for_the_worker_when_the_upload_commits(
    example: ExampleCouncil, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        started = _upload(example.user("mo"))

    assert started.result is None
    assert started.pending.status == Status.WAITING
    queued = DBTaskResult.objects.get(task_path=READ_IMPORT)
    assert queued.args_kwargs["args"] == [started.pending.pk]


def test_the_worker_reads_a_large_upload_recording_its_progress(
    example: ExampleCouncil, tmp_path: Path
) -> None:
    path = tmp_path / "protocol.docx"
    hostile.word_text_of(path, 2 * hostile.MIB)
    data = path.read_bytes()
    pending = _upload(example.user("mo"), data, source_name="protocol.docx").pending

    with CaptureQueriesContext(connection) as queries:
        assert import_read(pending_id=pending.pk) == Status.READY

    progress = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("UPDATE") and "progress" in query["sql"]
    ]
    # Claiming it, a write each time another 5% of the file is read, and the end.
    assert 15 <= len(progress) <= 22
    pending.refresh_from_db()
    assert (pending.status, pending.progress) == (Status.READY, 100)
    result, _ = pending_import_reading(pending)
    expected = parse_protocol(read_upload("protocol.docx", data).text, source_format="docx")
    assert len(result.parsed.paragraphs) == 8_000
    assert result.parsed == expected


def test_reading_an_upload_twice_reads_it_once(example: ExampleCouncil) -> None:
    pending = _upload(example.user("mo")).pending

    assert import_read(pending_id=pending.pk) == Status.READY
    assert import_read(pending_id=pending.pk) == "not waiting"


def test_a_large_upload_with_a_mistyped_key_is_refused_at_once(example: ExampleCouncil) -> None:
    with pytest.raises(ValidationFailed) as failed:
        _upload(example.user("mo"), document_key="Not a key!")

    assert [e.field for e in failed.value.errors] == ["document"]
    assert not PendingImport.objects.exists()


def test_a_large_upload_the_worker_refuses_keeps_the_reason_naming_the_file(
    example: ExampleCouncil,
) -> None:
    unnumbered = b"Words without any number.\n\n" * 5_000
    pending = _upload(example.user("mo"), unnumbered).pending

    assert import_read(pending_id=pending.pk) == Status.REFUSED
    pending.refresh_from_db()
    assert pending.errors == [
        {"field": "file", "message": "No numbered paragraphs were found in the file."}
    ]


def test_confirming_saves_what_was_read_in_one_audited_transaction_without_reading_again(
    example: ExampleCouncil, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = _upload(example.user("mo")).pending
    import_read(pending_id=pending.pk)
    pending.refresh_from_db()
    forbid_reading(monkeypatch)

    result = import_confirm(actor=example.user("mo"), pending=pending)

    version = result.version
    assert version is not None
    assert version.paragraphs.count() == 2_500
    assert version.source_text == LARGE.decode()
    event = AuditEvent.objects.get(verb="library.version_imported")
    assert event.data["paragraphs"] == 2_500
    assert not PendingImport.objects.exists()


def test_confirming_a_label_taken_meanwhile_is_refused_and_forgets_the_upload(
    example: ExampleCouncil,
) -> None:
    pending = _upload(example.user("mo"), SMALL).pending
    _upload(example.user("deputy_mo"), SMALL, keep=False, save=True)

    with pytest.raises(ValidationFailed) as failed:
        import_confirm(actor=example.user("mo"), pending=pending)

    assert [e.field for e in failed.value.errors] == ["version"]
    assert not PendingImport.objects.filter(pk=pending.pk).exists()
    assert AuditEvent.objects.filter(verb="library.version_imported").count() == 1


def test_an_api_import_is_saved_by_the_worker_once_read(example: ExampleCouncil) -> None:
    pending = _upload(example.user("mo"), keep=False, save=True).pending

    assert import_read(pending_id=pending.pk) == Status.SAVED

    pending.refresh_from_db()
    assert pending.version is not None
    assert pending.version.label == "2027"
    assert pending.version.imported_by == example.user("mo")
    assert AuditEvent.objects.filter(verb="library.version_imported").count() == 1


def test_an_upload_is_its_owners_alone_and_kept_for_an_hour(example: ExampleCouncil) -> None:
    mo, deputy = example.user("mo"), example.user("deputy_mo")
    pending = _upload(mo, SMALL).pending

    assert pending_import_get(actor=mo, token=pending.token) == pending
    with pytest.raises(NotFound):
        pending_import_get(actor=deputy, token=pending.token)
    with time_machine.travel(clock.now() + dt.timedelta(minutes=61)):
        with pytest.raises(NotFound):
            pending_import_get(actor=mo, token=pending.token)
        _upload(mo, SMALL, label="2028")
        assert not PendingImport.objects.filter(pk=pending.pk).exists()


def test_a_reading_the_worker_stopped_is_seen_to_have_stalled(example: ExampleCouncil) -> None:
    pending = _upload(example.user("mo")).pending
    PendingImport.objects.filter(pk=pending.pk).update(
        status=Status.READING, updated_at=clock.now() - dt.timedelta(minutes=5)
    )
    pending.refresh_from_db()
    assert not pending_import_stalled(pending)

    PendingImport.objects.filter(pk=pending.pk).update(
        updated_at=clock.now() - dt.timedelta(minutes=16)
    )
    pending.refresh_from_db()
    assert pending_import_stalled(pending)


def test_confirming_is_one_transaction_a_failure_leaves_no_version_and_keeps_the_upload(
    example: ExampleCouncil, monkeypatch: pytest.MonkeyPatch
) -> None:
    pending = _upload(example.user("mo"), SMALL).pending

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail could not be written")

    monkeypatch.setattr(version_services, "record", fail)
    with pytest.raises(RuntimeError):
        import_confirm(actor=example.user("mo"), pending=pending)

    assert not ProtocolVersion.objects.filter(label="2027").exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()
