"""`accord protocol import FILE ... | list | compare KEY FROM TO | activate`.

Import reads a protocol document (.txt, .md, .docx or .pdf) into the library. With
`--dry-run` it only reads and parses the file (no document, label or council is needed or
checked) and saves nothing; `--json` prints the parsed structure. Without `--draft`, the
version is recorded as adopted by the council from `--in-force-from` and, when that date has
come, put in force (the version before it superseded): that is how a council's existing
protocol is loaded. A draft waits for the review (docs/library.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core import clock
from accord.core.errors import ValidationFailed
from accord.library.models import ProtocolDocument, ProtocolVersion
from accord.library.redline import compare, render_pdf, render_text
from accord.library.services import (
    ImportResult,
    acknowledgements_request_newcomers,
    document_parse,
    version_activate_due,
    version_approve,
    version_import,
    version_put_in_force,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--in-force-from: {value!r} is not a date (YYYY-MM-DD).") from None


def _failed(failed: ValidationFailed) -> CommandError:
    lines = [str(failed)] + [f"  {e.field}: {e.message}" for e in failed.errors]
    return CommandError("\n".join(lines))


class Command(BaseCommand):
    help = "Import, list, compare and put in force protocol documents."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        imp = commands.add_parser("import", help="import a document as a new version")
        imp.add_argument("file", type=Path)
        imp.add_argument("--council", default="", help="the council (needed for a new document)")
        imp.add_argument("--version", dest="label", required=True, help="version label, e.g. 2025")
        imp.add_argument("--in-force-from", dest="in_force_from", default="")
        imp.add_argument("--document", default="", help="document key (default: from the file)")
        imp.add_argument("--title", default="")
        imp.add_argument("--profile-document", default="", help="profiles' source.document")
        imp.add_argument("--draft", action="store_true", help="import as a draft for review")
        imp.add_argument("--dry-run", action="store_true", help="parse only; save nothing")
        imp.add_argument("--json", action="store_true", help="print the parsed structure")
        commands.add_parser("list", help="documents and their versions")
        cmp = commands.add_parser("compare", help="redline between two versions")
        cmp.add_argument("document")
        cmp.add_argument("old")
        cmp.add_argument("new")
        cmp.add_argument("--pdf", type=Path, help="write the redline as PDF to this file")
        commands.add_parser(
            "activate",
            help="put in force approved versions whose date has come, and ask the people who "
            "joined since to acknowledge the versions in force (what the daily task does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        in_force_from = _date(options["in_force_from"]) if options["in_force_from"] else None
        if in_force_from is None and not (options["draft"] or options["dry_run"]):
            raise CommandError("--in-force-from: give the date it came into force, or --draft.")
        key = options["document"] or path.stem.lower().replace("_", "-")[:64]
        try:
            if options["dry_run"]:
                self._show(
                    path,
                    document_parse(
                        actor=None,
                        source_name=path.name,
                        data=path.read_bytes(),
                        label=options["label"],
                        profile_document=options["profile_document"] or path.stem,
                    ),
                    as_json=options["json"],
                )
                return
            result = version_import(
                actor=None,
                document_key=key,
                label=options["label"],
                source_name=path.name,
                data=path.read_bytes(),
                title=options["title"],
                council=options["council"],
                in_force_from=in_force_from,
                profile_document=options["profile_document"] or path.stem,
            )
            version = result.version
            if version is not None and not options["draft"] and in_force_from is not None:
                version_approve(
                    actor=None,
                    version=version,
                    approved_on=min(in_force_from, clock.today()),
                    in_force_from=in_force_from,
                    approved_by="Recorded on import",
                )
                if in_force_from <= clock.today():
                    version_put_in_force(actor=None, version=version)
        except ValidationFailed as failed:
            raise _failed(failed) from None
        self._show(path, result, as_json=options["json"])
        if version is not None and not options["json"]:
            version.refresh_from_db()
            self.stdout.write(f"{version} is {version.get_status_display().lower()}.")

    def _show(self, path: Path, result: ImportResult, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.structure_json(), indent=2, ensure_ascii=False))
            return
        parsed = result.parsed
        self.stdout.write(
            f"{'Parsed' if result.version is None else 'Imported'} {path.name}: "
            f"{len(parsed.numbered())} numbered paragraphs, {len(parsed.paragraphs)} in all, "
            f"{len(result.warnings)} warnings."
        )
        for warning in result.warnings:
            self.stdout.write(f"  line {warning.line}: {warning.message}")

    def _list(self, options: dict[str, Any]) -> None:
        for document in ProtocolDocument.objects.prefetch_related("versions").order_by("key"):
            self.stdout.write(f"{document.key}  {document.title} ({document.council})")
            for version in document.versions.all():
                since = f" from {version.in_force_from}" if version.in_force_from else ""
                self.stdout.write(f"  {version.label}: {version.get_status_display()}{since}")

    def _compare(self, options: dict[str, Any]) -> None:
        versions = {
            v.label: v
            for v in ProtocolVersion.objects.filter(
                document__key=options["document"], label__in=[options["old"], options["new"]]
            )
        }
        for label in (options["old"], options["new"]):
            if label not in versions:
                raise CommandError(f"{options['document']} has no version {label}.")
        old, new = versions[options["old"]], versions[options["new"]]
        redline = compare(list(old.paragraphs.all()), list(new.paragraphs.all()))
        if options["pdf"]:
            options["pdf"].write_bytes(render_pdf(redline, title=f"{old} \u2192 {new}"))
            self.stdout.write(f"Wrote {options['pdf']}.")
            return
        self.stdout.write(render_text(redline))

    def _activate(self, options: dict[str, Any]) -> None:
        done = version_activate_due()
        self.stdout.write(f"{len(done)} version(s) put in force.")
        for version in done:
            self.stdout.write(f"  {version}")
        asked = acknowledgements_request_newcomers()
        self.stdout.write(f"{asked} newcomer(s) asked to acknowledge the versions in force.")
