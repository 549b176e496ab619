"""`accord profile schema | check FILE [--protocols DIR] | load FILE | diff FILE_A FILE_B`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.errors import ValidationFailed
from accord.profiles.citations import check_citations, cited_paragraphs
from accord.profiles.diff import profile_diff
from accord.profiles.loader import ProfileInvalid, load_profile
from accord.profiles.schema import Profile, profile_json_schema
from accord.profiles.services import profile_version_store


def _count(n: int, noun: str, plural: str = "") -> str:
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun.rsplit(' ', 1)[0] + ' ' + plural if plural else noun + 's'}"


def default_protocols_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "protocols"


class Command(BaseCommand):
    help = "Print the profile JSON Schema; check, store or compare council profiles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("schema", help="Print the JSON Schema of the profile format.")
        check = actions.add_parser(
            "check", help="Validate FILE and list the paragraphs it cites; exit 1 if invalid."
        )
        check.add_argument("file", type=Path)
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
            self._check(options["file"], options["protocols"] or default_protocols_dir())
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

    def _check(self, path: Path, protocols: Path) -> None:
        profile = self._parse(path)
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
        document = protocols / f"{profile.source.document}.txt"
        if not document.is_file():
            cited = cited_paragraphs(profile)
            self.stdout.write(f"Cites {len(cited)} paragraphs: {', '.join(cited)}")
            self.stdout.write(
                f"The source document {document.name} was not found in {protocols}, "
                "so the citations were not checked against it."
            )
            return
        report = check_citations(profile, document.read_text(encoding="utf-8"))
        self.stdout.write(f"Cites {len(report.cited)} paragraphs: {', '.join(report.cited)}")
        self.stdout.write(
            f"Found in {document.name}: {len(report.found)} of {len(report.cited)} "
            "(a simple match on paragraph numbers at line starts; prefixes such as "
            "'SO' are ignored)."
        )
        if report.missing:
            self.stdout.write(f"Not found: {', '.join(report.missing)}")

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
