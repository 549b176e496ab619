"""`accord profile schema | check FILE [--protocols DIR] | load FILE | diff FILE_A FILE_B`."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.errors import ValidationFailed
from accord.demo.supervisor import accord_command
from accord.procedures.scenarios import (
    ScenarioInvalid,
    load_scenarios,
    run_scenarios,
    scenario_path_for,
)
from accord.profiles.capabilities import CAPABILITIES
from accord.profiles.citations import cited_paragraphs
from accord.profiles.coverage import CoverageReport, coverage_report
from accord.profiles.diff import profile_diff
from accord.profiles.execution import execution_report
from accord.profiles.loader import ProfileInvalid, load_profile
from accord.profiles.schema import Profile, profile_json_schema
from accord.profiles.services import council_profile_set, profile_version_store


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


@dataclass(frozen=True)
class ScenarioOutcome:
    """What running a profile's scenarios gave: no file, an invalid file, or results."""

    file: Path | None
    results: list[dict[str, Any]]
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems and not any(r["failures"] for r in self.results)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file.name if self.file else None,
            "problems": self.problems,
            "results": self.results,
            "passed": self.passed,
        }


def scenarios_in_scratch_database(path: Path) -> ScenarioOutcome:
    """Run FILE's scenarios in a new, empty SQLite database, in a separate process, so the
    council's own data is neither touched nor in the way."""
    scenario_file = scenario_path_for(path)
    if not scenario_file.is_file():
        return ScenarioOutcome(None, [], [])
    with tempfile.TemporaryDirectory(prefix="accord-scenarios-") as scratch:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["ACCORD_VAR_DIR"] = scratch
        migrate = subprocess.run(  # noqa: S603 - our own command line, no shell
            accord_command("migrate", "--verbosity", "0"),
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if migrate.returncode != 0:
            return ScenarioOutcome(scenario_file, [], [f"scratch database: {migrate.stderr}"])
        run = subprocess.run(  # noqa: S603 - our own command line, no shell
            accord_command("profile", "scenarios", str(path.resolve()), "--json"),
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    try:
        rows = json.loads(run.stdout)
    except json.JSONDecodeError:
        message = run.stderr.strip() or run.stdout.strip() or "the scenarios did not run"
        return ScenarioOutcome(scenario_file, [], message.splitlines()[-5:])
    return ScenarioOutcome(scenario_file, rows, [])


def default_protocols_dir() -> Path:
    """The protocol library: `ACCORD_PROTOCOLS_DIR`, else `../shared/protocols` beside the
    project, else beside the checkout this one was cloned from (a fresh clone made elsewhere to
    run the tests still finds the documents)."""
    configured = os.environ.get("ACCORD_PROTOCOLS_DIR")
    if configured:
        return Path(configured)
    beside = Path(settings.BASE_DIR).parent / "shared" / "protocols"
    if beside.is_dir():
        return beside
    origin = _cloned_from(Path(settings.BASE_DIR))
    if origin is not None and (origin.parent / "shared" / "protocols").is_dir():
        return origin.parent / "shared" / "protocols"
    return beside


def _cloned_from(checkout: Path) -> Path | None:
    """The local folder `checkout` was cloned from, if its origin is one."""
    try:
        url = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            ["git", "-C", str(checkout), "config", "--get", "remote.origin.url"],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    path = Path(url.removeprefix("file://")) if url else None
    return path if path is not None and path.is_absolute() and path.is_dir() else None


class Command(BaseCommand):
    help = "Print the profile JSON Schema; check, store or compare council profiles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("schema", help="Print the JSON Schema of the profile format.")
        actions.add_parser(
            "capabilities",
            help="List the capabilities a rule can be run by or deferred to, and which exist.",
        )
        check = actions.add_parser(
            "check",
            help="Validate FILE, list the paragraphs it cites and the actionable paragraphs "
            "it does not; exit 1 if it is invalid or cites a paragraph its document lacks.",
        )
        check.add_argument("file", type=Path)
        check.add_argument("--json", action="store_true", help="Print the report as JSON.")
        check.add_argument(
            "--no-scenarios",
            action="store_true",
            help="Do not run the profile's scenario tests (FILE.scenarios.yaml).",
        )
        scenarios = actions.add_parser(
            "scenarios",
            help="Run FILE's scenario tests in this (empty) database; `check` runs them in a "
            "scratch database for you.",
        )
        scenarios.add_argument("file", type=Path)
        scenarios.add_argument("--json", action="store_true", help="Print the results as JSON.")
        scenarios.add_argument("--only", metavar="NAME", help="Run only the scenario NAME.")
        check.add_argument(
            "--protocols",
            type=Path,
            default=None,
            help="Folder holding the protocol documents (default: ../shared/protocols).",
        )
        load = actions.add_parser("load", help="Validate FILE and store it as a new version.")
        load.add_argument("file", type=Path)
        use = actions.add_parser(
            "use", help="Run the council on the stored profile PROFILE_ID from now on."
        )
        use.add_argument("profile_id")
        diff = actions.add_parser("diff", help="List what changed from FILE_A to FILE_B.")
        diff.add_argument("file_a", type=Path)
        diff.add_argument("file_b", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "schema":
            self.stdout.write(json.dumps(profile_json_schema(), indent=2))
        elif action == "capabilities":
            for capability in CAPABILITIES.values():
                state = "exists" if capability.exists else "not yet"
                self.stdout.write(
                    f"{capability.key:<22} {state:<8} {capability.title}: {capability.runs}"
                )
        elif action == "check":
            self._check(
                options["file"],
                options["protocols"] or default_protocols_dir(),
                as_json=options["json"],
                run_scenarios=not options["no_scenarios"],
            )
        elif action == "scenarios":
            self._scenarios_here(options["file"], as_json=options["json"], only=options["only"])
        elif action == "use":
            self._use(options["profile_id"])
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

    def _check(
        self, path: Path, protocols: Path, *, as_json: bool, run_scenarios: bool = True
    ) -> None:
        profile = self._parse(path)
        outcome = scenarios_in_scratch_database(path) if run_scenarios else None
        document = protocols / f"{profile.source.document}.txt"
        report = (
            coverage_report(profile, document.read_text(encoding="utf-8"))
            if document.is_file()
            else None
        )
        if as_json:
            self._check_json(path, profile, report, outcome)
        else:
            self._check_text(path, profile, document, report)
            self._scenarios_text(path, outcome)
        scenarios_passed = outcome is None or outcome.passed
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
        self._execution_text(profile)
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
                "Note: the document numbers these paragraphs more than once: "
                f"{', '.join(report.duplicates)}. Only the first of each can be cited; the "
                "later ones and their items are left out. Declare the parts that number "
                "afresh under source.parts."
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

    def _execution_text(self, profile: Profile) -> None:
        run = execution_report(profile)
        self.stdout.write(
            f"Runs: {_count(run.rules_executed, 'rule')} of procedures executed, "
            f"{run.duties_executed} {'duty' if run.duties_executed == 1 else 'duties'} executed, "
            f"{_count(run.gates_executed, 'gate')} executed (consents and information rules "
            f"a procedure runs), {_count(run.guidance, 'information rule')} shown as guidance; "
            f"{run.deferred_count} deferred to a capability Accord does not have yet"
            f"{':' if run.deferred else '.'}"
        )
        for title, items in run.deferred.items():
            self.stdout.write(f"  {title}: {', '.join(items)}")

    def _check_json(
        self,
        path: Path,
        profile: Profile,
        report: CoverageReport | None,
        outcome: ScenarioOutcome | None,
    ) -> None:
        data: dict[str, Any] = {
            "file": str(path),
            "valid": True,
            "profile": profile.id,
            "version": profile.version,
            "source_document": profile.source.document,
            "document_found": report is not None,
            "execution": execution_report(profile).as_dict(),
        }
        if report is None:
            data["citations"] = [
                {"cite": cite, "paths": paths} for cite, paths in cited_paragraphs(profile).items()
            ]
        else:
            data.update(report.as_dict())
        if outcome is not None:
            data["scenarios"] = outcome.as_dict()
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _scenarios_text(self, path: Path, outcome: ScenarioOutcome | None) -> None:
        if outcome is None:
            return
        if outcome.file is None:
            self.stdout.write(
                f"No scenario tests: add {scenario_path_for(path).name} beside the profile."
            )
            return
        if outcome.problems:
            self.stdout.write(self.style.ERROR(f"Scenario file {outcome.file.name} is invalid:"))
            for problem in outcome.problems:
                self.stdout.write(self.style.ERROR(f"  {problem}"))
            return
        failed = [r for r in outcome.results if r["failures"]]
        self.stdout.write(
            f"Scenarios ({outcome.file.name}): {len(outcome.results) - len(failed)} passed, "
            f"{len(failed)} failed."
        )
        for result in outcome.results:
            mark = self.style.ERROR("FAIL") if result["failures"] else "pass"
            cite = f" [{result['cite']}]" if result["cite"] else ""
            self.stdout.write(f"  {mark}  {result['name']}{cite}")
            for failure in result["failures"]:
                self.stdout.write(self.style.ERROR(f"        {failure}"))

    def _scenarios_here(self, path: Path, *, as_json: bool, only: str | None) -> None:
        profile = self._parse(path)
        scenario_file = scenario_path_for(path)
        try:
            loaded = load_scenarios(scenario_file, profile)
            results = run_scenarios(self._read(path), loaded, only=only)
        except ScenarioInvalid as invalid:
            raise CommandError("\n".join(invalid.problems), returncode=1) from invalid
        except FileNotFoundError:
            raise CommandError(f"There is no {scenario_file.name}.", returncode=1) from None
        except ValidationFailed as refused:
            raise CommandError(refused.detail, returncode=1) from refused
        rows = [{"name": r.name, "cite": r.cite, "failures": r.failures} for r in results]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            self._scenarios_text(path, ScenarioOutcome(scenario_file, rows, []))
        if any(r.failures for r in results):
            raise CommandError("A scenario failed.", returncode=1)

    def _use(self, profile_id: str) -> None:
        try:
            council = council_profile_set(actor=None, profile_id=profile_id)
        except ValidationFailed as refused:
            raise CommandError(refused.detail, returncode=1) from refused
        self.stdout.write(
            f"{council.name} now runs on the profile '{profile_id}': new cases open under its "
            "version in force; cases already open keep theirs."
        )

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
