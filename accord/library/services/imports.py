"""Uploads on their way into the library: read while the keeper waits when small, by the worker
when large, and kept with what reading found until the import is confirmed.

A web process reads an upload only within `FOREGROUND_SHARE` of every limit on reading
(`accord.library.parsing.limits`). A file past that is kept as a `PendingImport` and read by the
worker (`accord.library.tasks.read_import`), which records its progress; the import page shows
it, and the API answers `202` with an address to ask. Either way what reading found is kept
with the upload, so the preview and the confirmation never read the file again.

An upload changes nothing in the library and is not audited: confirming it is the write
(`version_import`, one transaction, audited). Uploads are kept for an hour; reading one, and how
its reading is going, is `accord.library.selectors.imports`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db import transaction

from accord.access.actor import Actor, account_of
from accord.core import clock
from accord.core.errors import FieldError, PermissionDenied, ValidationFailed
from accord.library.models import PendingImport
from accord.library.parsing.limits import NeedsWorker, Work
from accord.library.reading import ImportResult, Reading
from accord.library.selectors.imports import oldest_kept
from accord.library.services.versions import version_import

__all__ = ["Upload", "import_confirm", "import_forget", "import_read", "import_upload"]

Status = PendingImport.Status
# Reading the file is this share of the progress shown; finding its paragraphs, the rest.
_READING_SHARE = 90
_PROGRESS_STEP = 5  # per cent between two writes of the progress


class _Fields(TypedDict):
    document_key: str
    label: str
    source_name: str
    title: str
    council: str


@dataclass(frozen=True)
class Upload:
    """An upload read at once (`result`), kept for its preview or handed to the worker
    (`pending`), or both."""

    result: ImportResult | None
    pending: PendingImport | None


def import_upload(
    *,
    actor: Actor,
    document_key: str,
    label: str,
    source_name: str,
    data: bytes,
    title: str = "",
    council: str = "",
    save: bool = False,
    keep: bool = False,
) -> Upload:
    """Check an upload and read it now if it is small, otherwise queue it for the worker.

    `save`: save the version as soon as it is read (the API without `dry_run`); `keep`: keep
    what was read for a preview to confirm (the import page). The fields are checked first, so
    a mistyped key or a taken label is refused at once whatever the file's size.
    """
    _forget_expired()
    fields: _Fields = {
        "document_key": document_key,
        "label": label,
        "source_name": source_name,
        "title": title,
        "council": council,
    }
    try:
        result = version_import(
            actor=actor, data=data, dry_run=not save, work=Work(foreground=True), **fields
        )
    except NeedsWorker:
        pending = _keep(actor, fields, data, save_when_read=save)
        _read_on_commit(pending.pk)
        return Upload(None, pending)
    if save or not keep:
        return Upload(result, None)
    pending = _keep(
        actor,
        fields,
        data,
        status=Status.READY,
        progress=100,
        reading=result.reading.to_record(),
    )
    return Upload(result, pending)


def import_read(*, pending_id: int) -> str:
    """The worker's part: read a queued upload, recording progress, and keep what it found
    (or why it was refused); save it too if it was asked to. Safe to run twice: only a
    waiting upload is read. Answers the upload's status afterwards."""
    claimed = PendingImport.objects.filter(pk=pending_id, status=Status.WAITING).update(
        status=Status.READING, progress=0, updated_at=clock.now()
    )
    if not claimed:
        return "not waiting"
    pending = PendingImport.objects.select_related("owner").get(pk=pending_id)
    fields = _fields(pending)
    try:
        result = version_import(
            actor=pending.owner,
            data=bytes(pending.data),
            dry_run=True,
            work=Work(progress=_Progress(pending_id)),
            **fields,
        )
        reading = result.reading
        version = None
        if pending.save_when_read:
            version = version_import(
                actor=pending.owner,
                data=bytes(pending.data),
                reading=reading,
                **fields,
            ).version
    except (ValidationFailed, PermissionDenied) as failed:
        errors = failed.errors or [FieldError("", failed.detail)]
        _finish(pending_id, Status.REFUSED, errors=[_error(e) for e in errors])
        return Status.REFUSED
    except Exception:
        went_wrong = FieldError("file", "The file could not be read: something went wrong.")
        _finish(pending_id, Status.REFUSED, errors=[_error(went_wrong)])
        raise
    status = Status.SAVED if version is not None else Status.READY
    _finish(pending_id, status, reading=reading.to_record(), version=version)
    return status


def import_confirm(*, actor: Actor, pending: PendingImport) -> ImportResult:
    """Save an upload that was read and previewed, as it was read: one transaction, audited
    (`library.version_imported`). The upload is then forgotten, also if the import is refused
    (a version with the label was added meanwhile): the keeper starts again."""
    if pending.status != Status.READY or pending.reading is None:
        raise ValidationFailed.for_field("file", "The file has not been read yet.")
    reading = Reading.from_record(pending.reading)
    try:
        with transaction.atomic():
            result = version_import(
                actor=actor, data=bytes(pending.data), reading=reading, **_fields(pending)
            )
            PendingImport.objects.filter(pk=pending.pk).delete()
    except ValidationFailed:
        PendingImport.objects.filter(pk=pending.pk).delete()
        raise
    return result


def import_forget(*, actor: Actor, pending: PendingImport) -> None:
    """Forget an upload (once its refusal has been shown)."""
    PendingImport.objects.filter(pk=pending.pk, owner=account_of(actor)).delete()


# --- helpers -------------------------------------------------------------------------------


class _Progress:
    """Writes the share of the file read to the upload, every few per cent."""

    def __init__(self, pending_id: int) -> None:
        self.pending_id = pending_id
        self.shown = 0

    def __call__(self, share: float) -> None:
        percent = int(share * _READING_SHARE)
        if percent >= self.shown + _PROGRESS_STEP or (share >= 1 and percent > self.shown):
            self.shown = percent
            PendingImport.objects.filter(pk=self.pending_id, status=Status.READING).update(
                progress=percent, updated_at=clock.now()
            )


def _error(error: FieldError) -> dict[str, str]:
    return {"field": error.field, "message": error.message}


def _fields(pending: PendingImport) -> _Fields:
    return {
        "document_key": pending.document_key,
        "label": pending.label,
        "source_name": pending.source_name,
        "title": pending.title,
        "council": pending.council,
    }


def _keep(actor: Actor, fields: _Fields, data: bytes, **values: Any) -> PendingImport:
    owner = account_of(actor)
    if owner is None:
        raise PermissionDenied("Only a signed-in account can leave an upload to be read later.")

    def kept(name: str, length: int) -> str:
        # As the import will read it; no NUL, which PostgreSQL cannot store in text.
        return str(fields[name]).replace("\x00", "")[:length]  # type: ignore[literal-required]

    return PendingImport.objects.create(
        token=secrets.token_urlsafe(24),
        owner=owner,
        document_key=kept("document_key", 64).strip().lower(),
        label=kept("label", 40).strip(),
        title=kept("title", 300),
        council=kept("council", 200),
        source_name=kept("source_name", 255),
        data=data,
        **values,
    )


def _finish(pending_id: int, status: str, **values: Any) -> None:
    PendingImport.objects.filter(pk=pending_id).update(
        status=status, progress=100, updated_at=clock.now(), **values
    )


def _read_on_commit(pending_id: int) -> None:
    def queue() -> None:
        from accord.library.tasks import read_import

        read_import.enqueue(pending_id)

    # A queue that cannot be reached must not undo the upload: the page says it is waiting.
    transaction.on_commit(queue, robust=True)


def _forget_expired() -> None:
    PendingImport.objects.filter(created_at__lt=oldest_kept()).delete()
