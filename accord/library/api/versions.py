"""/protocols: the protocol library's documents, versions, paragraphs and comparisons.

Reads go through `accord.library.selectors` with the token's account as the actor: everyone
reads the versions that are or were in force; drafts and approved versions only the library's
keepers, and to anyone else they answer 404 like a missing one. Importing (with `dry_run` to
see the parsed structure without saving), approving and putting in force are for the keepers
(checked while authenticating).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from accord.access.policies import LIBRARY_KEEPERS
from accord.api import schemas
from accord.api.auth import PolicyTokenAuth, request_user
from accord.api.errors import error_response
from accord.core.errors import FieldError, NotFound
from accord.library.schemas import ImportIn, upload_of
from accord.library.selectors import (
    documents_readable,
    paragraph_get,
    paragraph_rules,
    pending_import_get,
    pending_import_reading,
    pending_import_state,
    readable_versions,
    redline_between,
    render_text,
    version_get,
    version_paragraphs,
)
from accord.library.services import import_upload, version_approve, version_put_in_force

if TYPE_CHECKING:
    from accord.library.models import PendingImport, ProtocolParagraph, ProtocolVersion

router = Router(tags=["protocols"])
keeper_router = Router(tags=["protocols"], auth=PolicyTokenAuth(LIBRARY_KEEPERS))

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, 403: schemas.ErrorOut, **ERRORS}


class VersionOut(Schema):
    document: str = Field(description="The document's key.")
    label: str
    title: str
    status: str
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    approved_on: dt.date | None
    source_name: str
    source_format: str
    source_sha256: str

    @staticmethod
    def resolve_document(obj: ProtocolVersion) -> str:
        return obj.document.key


class DocumentOut(Schema):
    key: str
    title: str
    council: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj: Any) -> list[ProtocolVersion]:
        return list(obj.shown_versions)


class ParagraphOut(Schema):
    citation: str = Field(description="The stable identifier: document@version:reference.")
    reference: str = Field(description='As profiles cite it: "3.5", "SO 4.3", "50(c)".')
    number: str = Field(description='As written in the document: "3.3.5", "(b)(i)".')
    kind: str
    part: str
    anchor: str
    heading: str
    section: str
    text: str
    segments: list[list[str]] = Field(description='Tracked changes: [["same"|"ins"|"del", text]].')
    renumbered_from: str
    bullets: list[str]
    footnotes: list[str]


class RuleOut(Schema):
    profile_id: str
    profile_version: int
    cite: str
    paths: list[str]


class ParagraphDetailOut(ParagraphOut):
    rules: list[RuleOut]


class VersionDetailOut(VersionOut):
    parts: dict[str, str]
    warnings: list[dict[str, Any]]
    paragraphs: list[ParagraphOut]

    @staticmethod
    def resolve_paragraphs(obj: ProtocolVersion) -> list[dict[str, Any]]:
        return [_paragraph(p) for p in version_paragraphs(obj)]


class CompareQuery(Schema):
    old: str = Field(max_length=40, description="The earlier version's label.")
    new: str = Field(max_length=40, description="The later version's label.")


class ChangeOut(Schema):
    kind: str
    old: str | None = Field(description="The paragraph's reference in the earlier version.")
    new: str | None = Field(description="The paragraph's reference in the later version.")
    similarity: float
    words: list[list[str]]


class CompareOut(Schema):
    counts: dict[str, int]
    changes: list[ChangeOut]
    summary: str


class ImportOut(Schema):
    saved: bool
    version: VersionOut | None
    parsed: dict[str, Any] = Field(description="The structure recovered, as the CLI prints it.")


class ImportStatusOut(Schema):
    """A large import, read by the worker: ask `status_url` until `status` is no longer
    "waiting" or "reading"."""

    status: str = Field(
        description='"waiting" (for the worker), "reading", "ready" (a dry run, read), '
        '"saved" (saved as a draft) or "refused".'
    )
    progress: int = Field(description="Per cent of the work done.")
    status_url: str = Field(description="Where to ask again; kept for an hour.")
    saved: bool
    version: VersionOut | None = Field(description="The draft saved, once `saved`.")
    parsed: dict[str, Any] | None = Field(
        description="The structure recovered, once read; as `ImportOut.parsed`."
    )
    errors: list[schemas.FieldErrorOut] = Field(
        description="Why it was refused, each naming its field, once `refused`."
    )


class ApproveIn(Schema):
    approved_on: schemas.Day
    in_force_from: schemas.Day
    approved_by: str = "Full Council"


def _paragraph(paragraph: ProtocolParagraph) -> dict[str, Any]:
    fields = ParagraphOut.model_fields
    return {name: getattr(paragraph, name) for name in fields}


@router.get("", response={200: list[DocumentOut], **ERRORS})
def protocol_documents(request: HttpRequest) -> Any:
    """The documents you may read, each with the versions you may read."""
    return documents_readable(request_user(request))


@router.get("/{key}/versions/{label}", response={200: VersionDetailOut, **ERRORS})
def protocol_version(request: HttpRequest, key: str, label: str) -> Any:
    """One version with its paragraphs in document order."""
    return version_get(actor=request_user(request), key=key, label=label)


@router.get(
    "/{key}/versions/{label}/paragraphs/{anchor}", response={200: ParagraphDetailOut, **ERRORS}
)
def protocol_paragraph(request: HttpRequest, key: str, label: str, anchor: str) -> Any:
    """One paragraph, by its anchor (e.g. p-so-4-3), with the profile rules that cite it."""
    paragraph = paragraph_get(actor=request_user(request), key=key, label=label, anchor=anchor)
    rules = [
        {
            "profile_id": r.profile_id,
            "profile_version": r.profile_version,
            "cite": r.cite,
            "paths": list(r.paths),
        }
        for r in paragraph_rules(paragraph)
    ]
    return {**_paragraph(paragraph), "rules": rules}


@router.get("/{key}/compare", response={200: CompareOut, **ERRORS})
def protocol_compare(request: HttpRequest, key: str, query: Query[CompareQuery]) -> Any:
    """The redline between two versions, paired by paragraph."""
    actor = request_user(request)
    versions = {
        v.label: v
        for v in readable_versions(actor).filter(
            document__key=key, label__in=[query.old, query.new]
        )
    }
    if query.old not in versions or query.new not in versions:
        raise NotFound("No such protocol version.")
    redline = redline_between(versions[query.old], versions[query.new])
    return {
        "counts": redline.counts(),
        "changes": [
            {
                "kind": change.kind,
                "old": change.old.reference if change.old is not None else None,
                "new": change.new.reference if change.new is not None else None,
                "similarity": round(change.similarity, 3),
                "words": [list(op) for op in change.words],
            }
            for change in redline.changes
        ],
        "summary": render_text(redline),
    }


@router.get("/{key}/versions/{label}/text", response={200: None, **ERRORS})
def protocol_version_text(request: HttpRequest, key: str, label: str) -> HttpResponse:
    """The text exactly as imported."""
    version = version_get(actor=request_user(request), key=key, label=label)
    return HttpResponse(version.source_text, content_type="text/plain; charset=utf-8")


@keeper_router.post(
    "/import",
    response={
        200: ImportOut,
        201: ImportOut,
        202: ImportStatusOut,
        413: schemas.ErrorOut,
        **WRITE_ERRORS,
    },
)
def protocol_import(request: HttpRequest, payload: ImportIn) -> Any:
    """Import a document as a new draft version; with `dry_run`, only parse and check it.

    A file too large to read at once (see docs/library.md, "Limits") is read by the worker:
    the answer is then `202` with a `status_url` to ask until it is read (and saved, unless a
    dry run) or refused. A file over 10 MB is a `413` naming the limit."""
    data, refusal = upload_of(payload)
    if refusal:
        # Too large whether or not the rest of the body was: 413, as for a body past its limit.
        return error_response(413, refusal, [FieldError("file", refusal)])
    started = import_upload(
        actor=request_user(request),
        document_key=payload.document,
        label=payload.version,
        source_name=payload.file_name,
        data=data,
        title=payload.title,
        council=payload.council,
        save=not payload.dry_run,
    )
    if started.pending is not None:
        return Status(202, _import_status(started.pending))
    result = started.result
    assert result is not None
    body = {
        "saved": result.version is not None,
        "version": result.version,
        "parsed": result.structure_json(),
    }
    return Status(200 if result.version is None else 201, body)


@keeper_router.get("/imports/{token}", response={200: ImportStatusOut, **ERRORS})
def protocol_import_status(request: HttpRequest, token: str) -> Any:
    """How a large import is going: its progress, then what was read (and saved) or why it
    was refused. Only the account that sent the file may ask; to anyone else it is missing."""
    return _import_status(pending_import_get(actor=request_user(request), token=token))


def _import_status(pending: PendingImport) -> dict[str, Any]:
    parsed = None
    if pending.reading is not None:
        parsed = pending_import_reading(pending)[0].structure_json()
    state = pending_import_state(pending)
    return {
        "status": state.status,
        "progress": pending.progress,
        "status_url": reverse("api:protocol_import_status", kwargs={"token": pending.token}),
        "saved": state.saved,
        "version": pending.version,
        "parsed": parsed,
        "errors": state.errors,
    }


@keeper_router.post("/{key}/versions/{label}/approve", response={200: VersionOut, **WRITE_ERRORS})
def protocol_approve(request: HttpRequest, key: str, label: str, payload: ApproveIn) -> Any:
    """Record Full Council's approval of a draft and the date it comes into force."""
    actor = request_user(request)
    version = version_get(actor=actor, key=key, label=label)
    return version_approve(actor=actor, version=version, **payload.model_dump())


@keeper_router.post("/{key}/versions/{label}/in-force", response={200: VersionOut, **WRITE_ERRORS})
def protocol_put_in_force(request: HttpRequest, key: str, label: str) -> Any:
    """Put an approved version in force; members and officers are asked to acknowledge it."""
    actor = request_user(request)
    version = version_get(actor=actor, key=key, label=label)
    return version_put_in_force(actor=actor, version=version)
