"""`accord profile schema | check FILE [--protocols DIR] | load FILE | diff FILE_A FILE_B`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.errors import ValidationFailed
from accord.profiles.citations import cited_paragraphs
from accord.profiles.coverage import CoverageReport, coverage_report
from accord.profiles.diff import profile_diff
from accord.profiles.loader import ProfileInvalid, load_profile
from accord.profiles.schema import Profile, profile_json_schema
from accord.profiles.services import profile_version_store


def _count(n: int, noun: str, plural: str = "") -> str:
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun.rsplit(' ', 1)[0] + ' ' + plural if plural else noun + 's'}"


def _wrapped(words: list[str], width: int = 96) -> str:
    lines: list[str] = []
    line = " "
    for word in words:
        piece = f" {word},"
        if len(line) + len(piece) > width:
            lines.append(line)
            line = " "
        line += piece
    lines.append(line)
    return "\n".join(lines).rstrip(",")


def default_protocols_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "protocols"


class Command(BaseCommand):
    help = "Print the profile JSON Schema; check, store or compare council profiles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("schema", help="Print the JSON Schema of the profile format.")
        check = actions.add_parser(
            "check",
            help="Validate FILE, list the paragraphs it cites and the actionable paragraphs "
            "it does not; exit 1 if it is invalid or cites a paragraph its document lacks.",
        )
        check.add_argument("file", type=Path)
        check.add_argument("--json", action="store_true", help="Print the report as JSON.")
        check.add_argument(
            "--protocols",
            type=Path,
            default=None,
            help="Folder holding the protocol documents (default: ../shared/protocols).",
        )
        load = actions.add_parser("load", help="Validate FILE and store it as a new version.")
        load.add_argument("file", type=Path)
        diff = actions.add_parser("diff", help="List what changed from FILE_A to FILE_B.")
        diff.add_argument("file_a", type=Path)
        diff.add_argument("file_b", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "schema":
            self.stdout.write(json.dumps(profile_json_schema(), indent=2))
        elif action == "check":
            self._check(
                options["file"],
                options["protocols"] or default_protocols_dir(),
                as_json=options["json"],
            )
        elif action == "load":
            self._load(options["file"])
        else:
            self._diff(options["file_a"], options["file_b"])

    def _read(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.", returncode=1) from error

    def _parse(self, path: Path) -> Profile:
        try:
            return load_profile(self._read(path))
        except ProfileInvalid as invalid:
            lines = [f"{path}: {invalid}"] + [str(error) for error in invalid.errors]
            raise CommandError("\n".join(lines), returncode=1) from invalid

    def _check(self, path: Path, protocols: Path, *, as_json: bool) -> None:
        profile = self._parse(path)
        document = protocols / f"{profile.source.document}.txt"
        report = (
            coverage_report(profile, document.read_text(encoding="utf-8"))
            if document.is_file()
            else None
        )
        if as_json:
            self._check_json(path, profile, report)
        else:
            self._check_text(path, profile, document, report)
        scenarios_passed = self._scenarios(path, profile)
        if report is not None and not report.ok:
            count = len(report.problems)
            raise CommandError(
                f"{path}: {count} citation problem{'' if count == 1 else 's'} in {document.name}.",
                returncode=1,
            )
        if not scenarios_passed:
            raise CommandError(f"{path}: a scenario failed.", returncode=1)

    def _check_text(
        self, path: Path, profile: Profile, document: Path, report: CoverageReport | None
    ) -> None:
        procedures = profile.procedures.values()
        self.stdout.write(
            self.style.SUCCESS(f"{path}: valid.")
            + f"\n{profile.council}: profile '{profile.id}' version {profile.version}, "
            f"encoding {profile.source.title} ({profile.source.document}, "
            f"version {profile.source.version}), in force from "
            f"{profile.source.in_force_from.isoformat()}."
            f"\n{_count(len(profile.procedures), 'procedure')}, "
            f"{_count(sum(len(p.stages) for p in procedures), 'stage')}, "
            f"{_count(sum(len(p.transitions) for p in procedures), 'transition')}, "
            f"{_count(len(profile.durations), 'duration')}, "
            f"{_count(len(profile.notification_duties), 'notification duty', 'duties')}, "
            f"{_count(len(profile.information_rules), 'information rule')}, "
            f"{_count(len(profile.silences), 'stated default')} where the document is silent."
        )
        if report is None:
            cited = cited_paragraphs(profile)
            self.stdout.write(f"Cites {_count(len(cited), 'paragraph')}: {', '.join(cited)}")
            self.stdout.write(
                f"The source document {document.name} was not found in {document.parent}, "
                "so the citations were not checked against it."
            )
            return
        missing = len(report.missing)
        found = "all found" if not missing else f"{missing} not found"
        self.stdout.write(
            f"Cites {_count(len(report.citations), 'paragraph')} of "
            f"{profile.source.document}: {found}."
        )
        references = [c.paragraph.reference for c in report.citations if c.paragraph]
        if references:
            self.stdout.write(_wrapped(references))
        for problem in report.problems:
            self.stdout.write(self.style.ERROR(f"  {problem}"))
        if report.duplicates:
            self.stdout.write(
                "Note: the document numbers these paragraphs more than once, so a citation "
                f"of them is ambiguous: {', '.join(report.duplicates)}. Declare the parts "
                "that number afresh under source.parts."
            )
        neither = len(report.neither)
        self.stdout.write(
            f"Actionable paragraphs: {len(report.actionable)} in the document; "
            f"{len(report.cited)} cited, {len(report.explained)} explained as not encoded, "
            f"{neither} neither{':' if neither else '.'}"
        )
        width = max((len(c.reference) for c in report.neither), default=0)
        for item in report.neither:
            self.stdout.write(f"  {item.reference:<{width}}  {item.paragraph.excerpt()}")

    def _check_json(self, path: Path, profile: Profile, report: CoverageReport | None) -> None:
        data: dict[str, Any] = {
            "file": str(path),
            "valid": True,
            "profile": profile.id,
            "version": profile.version,
            "source_document": profile.source.document,
            "document_found": report is not None,
        }
        if report is None:
            data["citations"] = [
                {"cite": cite, "paths": paths} for cite, paths in cited_paragraphs(profile).items()
            ]
        else:
            data.update(report.as_dict())
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _scenarios(self, path: Path, profile: Profile) -> bool:
        """Run the profile's scenarios, print their results, and say whether all passed.

        This is where `check` runs scenarios; the profile format has none yet, so there is
        nothing to run or print.
        """
        return True

    def _load(self, path: Path) -> None:
        text = self._read(path)
        try:
            stored = profile_version_store(actor=None, text=text)
        except ValidationFailed as failed:
            lines = [f"{path}: {failed.detail}"]
            lines += [f"{e.field}: {e.message}" for e in failed.errors]
            raise CommandError("\n".join(lines), returncode=1) from failed
        self.stdout.write(
            self.style.SUCCESS(
                f"Profile '{stored.profile_id}' version {stored.version} is stored "
                f"(in force from {stored.in_force_from.isoformat()}, sha256 {stored.sha256})."
            )
        )

    def _diff(self, path_a: Path, path_b: Path) -> None:
        changes = profile_diff(self._parse(path_a), self._parse(path_b))
        if not changes:
            self.stdout.write("No differences.")
            return
        for change in changes:
            self.stdout.write(str(change))
        self.stdout.write(f"{len(changes)} change{'' if len(changes) == 1 else 's'}.")
