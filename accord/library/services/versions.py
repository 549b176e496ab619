"""Writes of a version: importing it, approving it, putting it in force, withdrawing it.

Every write is validated first, done in one transaction and audited. Importing parses the
source (`accord.library.parsing`) and stores the text exactly as given with the paragraphs
recovered from it; a dry run parses and validates the same way and writes nothing, which is
what the import preview, `accord protocol import --dry-run` and the API's `dry_run` show.

A version comes into force only once approved (by Full Council, 000 §52) and only when every
citation of the council profiles built on the document resolves to one of its paragraphs:
a rule citing a paragraph the new text no longer has would explain itself with a dead
reference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping

from django.db import transaction

from accord.access.actor import Actor, account_of, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, PermissionDenied, ValidationFailed
from accord.library.coverage import matching_profiles, profiles_written_against
from accord.library.models import (
    ParagraphMarking,
    ProtocolDocument,
    ProtocolParagraph,
    ProtocolVersion,
)
from accord.library.parsing import ParsedDocument, SourceText, parse_protocol, read_upload
from accord.library.parsing.limits import MAX_PARAGRAPHS, NeedsWorker, Work, number
from accord.library.reading import ImportResult, Reading
from accord.library.search.fulltext import index_version
from accord.library.selectors import keeps_library
from accord.library.services.acknowledgements import acknowledgements_request

__all__ = [
    "document_parse",
    "paragraph_mark",
    "profile_citations_missing",
    "version_activate_due",
    "version_approve",
    "version_import",
    "version_put_in_force",
    "version_withdraw",
]

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$")
Status = ProtocolVersion.Status


def _require_keeper(actor: Actor) -> None:
    if actor is not None and not keeps_library(actor):
        raise PermissionDenied(
            "Only the Monitoring Officer, a deputy or democratic services can change the "
            "protocol library."
        )


def version_import(
    *,
    actor: Actor,
    document_key: str,
    label: str,
    source_name: str,
    data: bytes,
    title: str = "",
    council: str = "",
    in_force_from: dt.date | None = None,
    based_on: ProtocolVersion | None = None,
    parts: Mapping[str, str] | None = None,
    profile_document: str = "",
    dry_run: bool = False,
    reading: Reading | None = None,
    work: Work | None = None,
) -> ImportResult:
    """Parse `data` (named `source_name`: .txt, .md, .docx or .pdf) as a new draft version of
    document `document_key` (created if new, with `title` and `council`).

    `reading` is what reading `data` found before (the preview's), so it is not read again.
    `work` counts the reading; reading in the foreground (`Work(foreground=True)`), a file too
    large to read while the person waits raises `NeedsWorker` (once the other fields pass)."""
    _require_keeper(actor)
    errors: list[FieldError] = []
    key = document_key.strip().lower()
    label = label.strip()
    if not _KEY.match(key):
        errors.append(
            FieldError(
                "document",
                "Enter the document's key: lower-case letters, numbers and hyphens, up to 64.",
            )
        )
    if not _LABEL.match(label):
        errors.append(
            FieldError(
                "version",
                "Enter the version's label, for example 2025: letters, numbers, spaces, dots "
                "and hyphens, up to 40.",
            )
        )
    document = ProtocolDocument.objects.filter(key=key).first() if not errors else None
    if document is None and not errors and not council.strip():
        errors.append(FieldError("council", "Enter the council the document belongs to."))
    if document is not None and document.versions.filter(label=label).exists():
        errors.append(FieldError("version", f"{key} already has a version labelled {label}."))
    if based_on is not None and (document is None or based_on.document_id != document.pk):
        errors.append(FieldError("based_on", "The earlier version must be of the same document."))
    source = reading.source if reading is not None else None
    if source is None:
        try:
            source = read_upload(source_name, data, work=work)
        except ValidationFailed as failed:
            errors.extend(failed.errors)
        except NeedsWorker:
            if not errors:
                raise
    if errors or source is None:
        raise ValidationFailed("The protocol could not be imported.", errors)
    if reading is not None:
        parsed = reading.parsed
    else:
        names = {source_name.rsplit(".", 1)[0], profile_document}
        if document is not None:
            names.add(document.profile_document)
        if work is not None:
            work.report(1.0)
        parsed = _parse(source, names, label, parts)
    if dry_run:
        return ImportResult(
            parsed, source.format, None, document is not None, source.warnings, source
        )
    warnings = [{"line": w.line, "message": w.message} for w in source.warnings + parsed.warnings]
    with transaction.atomic():
        if document is None:
            document = ProtocolDocument.objects.create(
                key=key,
                title=(title or parsed.title or key)[:200],
                council=council.strip()[:200],
                profile_document=profile_document,
            )
        version = ProtocolVersion.objects.create(
            document=document,
            label=label,
            title=(title or parsed.title or document.title)[:300],
            status=Status.DRAFT,
            in_force_from=in_force_from,
            based_on=based_on,
            source_name=source_name[:255],
            source_format=source.format,
            source_sha256=hashlib.sha256(data).hexdigest(),
            source_text=source.text,
            parts=dict(parsed.parts),
            warnings=warnings,
            footnotes=dict(parsed.footnotes),
            imported_by=account_of(actor),
        )
        ProtocolParagraph.objects.bulk_create(
            ProtocolParagraph(
                version=version,
                position=position,
                kind=p.kind,
                part=p.part,
                number=p.number[:40],
                reference=p.reference[:80],
                anchor=p.anchor[:100],
                heading=p.heading[:300],
                section=p.section[:300],
                text=p.text,
                segments=[list(s) for s in p.segments],
                renumbered_from=p.renumbered_from[:40],
                bullets=list(p.bullets),
                footnotes=list(p.footnotes),
            )
            for position, p in enumerate(parsed.paragraphs)
        )
        _reindex(version)
        record(
            actor=actor,
            verb="library.version_imported",
            target=version,
            data={
                "document": key,
                "version": label,
                "source_sha256": version.source_sha256,
                "paragraphs": len(parsed.paragraphs),
                "warnings": len(warnings),
            },
        )
    return ImportResult(parsed, source.format, version, True, source.warnings, source)


def document_parse(
    *, actor: Actor, source_name: str, data: bytes, label: str = "", profile_document: str = ""
) -> ImportResult:
    """Read and parse a file exactly as `version_import` would, without looking at the library
    (no document key, label or council is checked) and saving nothing: what
    `accord protocol import FILE --dry-run` shows of a file before anyone decides where it goes."""
    _require_keeper(actor)
    source = read_upload(source_name, data)
    parsed = _parse(source, {source_name.rsplit(".", 1)[0], profile_document}, label.strip(), None)
    return ImportResult(parsed, source.format, None, False, source.warnings, source)


def _parse(
    source: SourceText, names: set[str], label: str, parts: Mapping[str, str] | None
) -> ParsedDocument:
    """The file's structure, read with the parts a profile written against it declares (unless
    `parts` are given); refused if it has no numbered paragraph."""
    if parts is None:
        parts = _profile_parts(names, label)
    parsed = parse_protocol(source.text, parts=parts, source_format=source.format)
    if not parsed.numbered():
        raise ValidationFailed(
            "The protocol could not be imported.",
            [FieldError("file", "No numbered paragraphs were found in the file.")],
        )
    if len(parsed.paragraphs) > MAX_PARAGRAPHS:
        raise ValidationFailed(
            "The protocol could not be imported.",
            [
                FieldError(
                    "file",
                    f"The file has {number(len(parsed.paragraphs))} numbered paragraphs and "
                    f"items; the limit is {number(MAX_PARAGRAPHS)}.",
                )
            ],
        )
    return parsed


def _profile_parts(names: set[str], label: str) -> dict[str, str] | None:
    """The parts a profile written against this file and version declares, so the library
    reads the document exactly as the profile's citations do; None to let the parser find
    them."""
    for _, profile in profiles_written_against(names, label):
        if profile.source.parts:
            return {part.prefix: part.heading for part in profile.source.parts}
    return None


def version_approve(
    *,
    actor: Actor,
    version: ProtocolVersion,
    approved_on: dt.date,
    in_force_from: dt.date,
    approved_by: str = "Full Council",
) -> ProtocolVersion:
    """Record Full Council's approval of a draft, with the date it comes into force."""
    _require_keeper(actor)
    errors: list[FieldError] = []
    if version.status != Status.DRAFT:
        errors.append(FieldError("version", "Only a draft version can be approved."))
    if approved_on > clock.today():
        errors.append(FieldError("approved_on", "The approval date must be today or earlier."))
    if in_force_from < approved_on:
        errors.append(
            FieldError("in_force_from", "The version cannot come into force before it is approved.")
        )
    if errors:
        raise ValidationFailed("The version could not be approved.", errors)
    with transaction.atomic():
        version.status = Status.APPROVED
        version.approved_on = approved_on
        version.in_force_from = in_force_from
        version.approved_by = approved_by.strip()[:300] or "Full Council"
        version.save(
            update_fields=["status", "approved_on", "in_force_from", "approved_by", "updated_at"]
        )
        record(
            actor=actor,
            verb="library.version_approved",
            target=version,
            data={
                "approved_on": approved_on.isoformat(),
                "in_force_from": in_force_from.isoformat(),
            },
        )
    return version


def profile_citations_missing(version: ProtocolVersion) -> dict[str, list[str]]:
    """{profile id: the citations it makes that `version` has no paragraph for}, for the
    profiles written against this version (`accord.library.coverage.matching_profiles`)."""
    from accord.profiles.citations import cited_paragraphs

    matching = matching_profiles(version)
    if not matching:
        return {}
    have = set(version.paragraphs.values_list("reference", flat=True))
    missing: dict[str, list[str]] = {}
    for stored, profile in matching:
        absent = sorted(cite for cite in cited_paragraphs(profile) if cite not in have)
        if absent:
            missing[stored.profile_id] = absent
    return missing


def version_put_in_force(
    *,
    actor: Actor,
    version: ProtocolVersion,
    on: dt.date | None = None,
    ask_acknowledgement: bool = True,
) -> ProtocolVersion:
    """Put an approved version in force; the one it replaces is superseded, and every member
    and officer is asked to acknowledge the new one (unless `ask_acknowledgement` is False:
    loading a council's history, where nobody is to be asked about a past version)."""
    _require_keeper(actor)
    today = on or clock.today()
    errors: list[FieldError] = []
    if version.status != Status.APPROVED:
        errors.append(
            FieldError("version", "Only a version approved by Full Council can be put in force.")
        )
    elif version.in_force_from is None or version.in_force_from > today:
        errors.append(
            FieldError(
                "in_force_from",
                f"This version comes into force on {version.in_force_from:%-d %B %Y}, not before.",
            )
        )
    missing = profile_citations_missing(version) if not errors else {}
    for profile_id, cites in missing.items():
        errors.append(
            FieldError(
                "version",
                f"Profile {profile_id} cites paragraphs this version does not have: "
                f"{', '.join(cites)}. Update the profile first.",
            )
        )
    if errors:
        raise ValidationFailed("The version could not be put in force.", errors)
    with transaction.atomic():
        previous = list(
            ProtocolVersion.objects.select_for_update().filter(
                document=version.document, status=Status.IN_FORCE
            )
        )
        for old in previous:
            old.status = Status.SUPERSEDED
            old.in_force_until = today - dt.timedelta(days=1)
            old.save(update_fields=["status", "in_force_until", "updated_at"])
        version.status = Status.IN_FORCE
        version.save(update_fields=["status", "updated_at"])
        _reindex(version, *previous)
        _review_done(version)
        if ask_acknowledgement:
            acknowledgements_request(version=version, actor=actor)
        record(
            actor=actor,
            verb="library.version_in_force",
            target=version,
            data={"superseded": [str(old) for old in previous], "on": today.isoformat()},
        )
    return version


def version_withdraw(*, actor: Actor, version: ProtocolVersion, reason: str) -> ProtocolVersion:
    """Withdraw a draft or approved version that will not come into force."""
    _require_keeper(actor)
    errors: list[FieldError] = []
    if version.status not in {Status.DRAFT, Status.APPROVED}:
        errors.append(FieldError("version", "Only a draft or approved version can be withdrawn."))
    if not reason.strip():
        errors.append(FieldError("reason", "Say why the version is withdrawn."))
    if errors:
        raise ValidationFailed("The version could not be withdrawn.", errors)
    with transaction.atomic():
        version.status = Status.WITHDRAWN
        version.save(update_fields=["status", "updated_at"])
        record(
            actor=actor,
            verb="library.version_withdrawn",
            target=version,
            data={"reason": reason.strip()[:2000]},
        )
    return version


def version_activate_due(*, on: dt.date | None = None) -> list[ProtocolVersion]:
    """Put in force every approved version whose date has come (the daily task). A version
    refused (a profile still cites paragraphs it lacks) stays approved and is reported by
    its absence from the result."""
    today = on or clock.today()
    done: list[ProtocolVersion] = []
    due = ProtocolVersion.objects.select_related("document").filter(
        status=Status.APPROVED, in_force_from__lte=today
    )
    for version in due:
        try:
            done.append(version_put_in_force(actor=None, version=version, on=today))
        except ValidationFailed:
            continue
    return done


def paragraph_mark(
    *, actor: Actor, paragraph: ProtocolParagraph, actionable: bool, note: str = ""
) -> ParagraphMarking:
    """Record the Monitoring Officer's judgement of whether a paragraph is actionable."""
    _require_keeper(actor)
    if len(note) > 2000:
        raise ValidationFailed(
            "The marking could not be saved.",
            [FieldError("note", "The note must be 2000 characters or fewer.")],
        )
    with transaction.atomic():
        marking, _ = ParagraphMarking.objects.update_or_create(
            paragraph=paragraph,
            defaults={
                "actionable": actionable,
                "note": note.strip(),
                "marked_by_id": person_of(actor),
            },
        )
        record(
            actor=actor,
            verb="library.paragraph_marked",
            target=marking,
            data={"paragraph": paragraph.citation, "actionable": actionable},
        )
    return marking


def _reindex(*versions: ProtocolVersion) -> None:
    for version in versions:
        index_version(version)


def _review_done(version: ProtocolVersion) -> None:
    # Imported here because the review services build on this module (`version_approve`).
    from accord.library.services.reviews import review_version_in_force

    review_version_in_force(version)
