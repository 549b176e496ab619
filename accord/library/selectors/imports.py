"""Uploads on their way into the library as their owner reads them: how reading one is going,
and what it found, as the preview shows it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from accord.access.actor import Actor
from accord.core import clock
from accord.core.errors import NotFound
from accord.library.models import PendingImport, ProtocolDocument
from accord.library.parsing import ParsedParagraph, ParseWarning
from accord.library.parsing.limits import (
    PREVIEW_CHARACTERS,
    PREVIEW_PARAGRAPHS,
    PREVIEW_WARNING_CHARACTERS,
    PREVIEW_WARNINGS,
)
from accord.library.reading import ImportResult, Reading

__all__ = [
    "KEPT_FOR",
    "STALLED",
    "STALLED_AFTER",
    "ImportPreview",
    "ImportState",
    "oldest_kept",
    "pending_import_get",
    "pending_import_preview",
    "pending_import_reading",
    "pending_import_stalled",
    "pending_import_state",
]

Status = PendingImport.Status
KEPT_FOR = dt.timedelta(hours=1)
# A reading that has not moved for this long has stopped (its worker was ended).
STALLED_AFTER = dt.timedelta(minutes=15)
STALLED = "Reading the file stopped before it finished. Upload it again."
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def oldest_kept() -> dt.datetime:
    """When the oldest upload still kept was made."""
    return clock.now() - KEPT_FOR


def pending_import_get(*, actor: Actor, token: str) -> PendingImport:
    """The actor's own upload `token`, kept no longer than an hour; anyone else's is missing."""
    if not _TOKEN.match(token):
        raise NotFound("No such import.")
    found = (
        PendingImport.objects.filter(
            token=token, owner_id=getattr(actor, "pk", None), created_at__gte=oldest_kept()
        )
        .select_related("version__document")
        .first()
    )
    if found is None:
        raise NotFound("No such import.")
    return found


def pending_import_reading(pending: PendingImport) -> tuple[ImportResult, bool]:
    """What reading an upload found, as the preview shows it, and whether its document is
    new (asked now: another keeper may have added it since)."""
    assert pending.reading is not None, "a pending import that has been read"
    reading = Reading.from_record(pending.reading)
    exists = ProtocolDocument.objects.filter(key=pending.document_key.strip().lower()).exists()
    return (
        ImportResult(
            reading.parsed,
            reading.source.format,
            pending.version,
            exists,
            reading.source.warnings,
            reading.source,
        ),
        not exists,
    )


def pending_import_stalled(pending: PendingImport) -> bool:
    """Whether the worker stopped reading the upload without finishing."""
    return pending.status == Status.READING and pending.updated_at < clock.now() - STALLED_AFTER


@dataclass(frozen=True)
class ImportState:
    """Where an upload stands: its status, "refused" too once the worker has stopped reading it,
    and why it was refused (each {"field", "message"})."""

    status: str
    errors: list[dict[str, str]]

    @property
    def refused(self) -> bool:
        return self.status == Status.REFUSED

    @property
    def reading(self) -> bool:
        """Still waiting for the worker, or being read."""
        return self.status in {Status.WAITING, Status.READING}

    @property
    def saved(self) -> bool:
        return self.status == Status.SAVED


def pending_import_state(pending: PendingImport) -> ImportState:
    """Where an upload stands, as its page and the API report it."""
    if pending_import_stalled(pending):
        return ImportState(Status.REFUSED, [{"field": "file", "message": STALLED}])
    return ImportState(pending.status, pending.errors)


@dataclass(frozen=True)
class ImportPreview:
    """What the preview of an upload shows: no more of its paragraphs and warnings than the
    limits allow (`accord.library.parsing.limits`), so the page stays small whatever was
    uploaded."""

    result: ImportResult
    new_document: bool
    paragraphs: list[ParsedParagraph]
    warnings: Sequence[ParseWarning]
    warnings_count: int

    @property
    def warning_characters(self) -> int:
        """How much of each warning is shown."""
        return PREVIEW_WARNING_CHARACTERS

    @property
    def paragraphs_left_out(self) -> int:
        return len(self.result.parsed.paragraphs) - len(self.paragraphs)

    @property
    def warnings_left_out(self) -> int:
        return max(self.warnings_count - PREVIEW_WARNINGS, 0)


def pending_import_preview(pending: PendingImport) -> ImportPreview:
    """The preview of an upload that has been read."""
    result, new_document = pending_import_reading(pending)
    warnings = result.warnings
    return ImportPreview(
        result=result,
        new_document=new_document,
        paragraphs=_preview_paragraphs(result.parsed.paragraphs),
        warnings=warnings[:PREVIEW_WARNINGS],
        warnings_count=len(warnings),
    )


def _preview_paragraphs(paragraphs: Sequence[ParsedParagraph]) -> list[ParsedParagraph]:
    """The first `PREVIEW_PARAGRAPHS`, and no more than `PREVIEW_CHARACTERS` of their words."""
    shown: list[ParsedParagraph] = []
    characters = 0
    for paragraph in paragraphs[:PREVIEW_PARAGRAPHS]:
        characters += (
            len(paragraph.heading)
            + sum(len(words) for _, words in paragraph.segments)
            + sum(len(bullet) for bullet in paragraph.bullets)
        )
        if characters > PREVIEW_CHARACTERS:
            break
        shown.append(paragraph)
    return shown
