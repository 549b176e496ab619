"""Import members and officers from a CSV file (the format is described in docs/directory.md).

Every row is checked before anything is written, and every problem is reported by row number as
a spreadsheet shows it (the header is row 1) and column name. If any row is bad nothing is
imported. Rows are matched to people already in the directory by `external_ref`, then by
`email`, so importing the same file again updates rather than duplicates.

A column left out of the file leaves that detail as it is for people already in the directory;
a column present with an empty cell clears it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from accord.audit.selectors import last_event_seq
from accord.audit.services import record
from accord.core import limits
from accord.core.errors import ValidationFailed
from accord.directory import services
from accord.directory.models import Directorate, Division, Officer, Person, PoliticalGroup

if TYPE_CHECKING:
    from accord.accounts.models import User

COMMON_COLUMNS = ("kind", "given_name", "family_name", "email", "phone", "external_ref")
MEMBER_COLUMNS = (
    "honorific",
    "group",
    "divisions",
    "term_starts_on",
    "term_ends_on",
    "co_opted",
)
OFFICER_COLUMNS = ("directorate", "job_title", "line_manager_email", "cmt")
COLUMNS = COMMON_COLUMNS + MEMBER_COLUMNS + OFFICER_COLUMNS
REQUIRED_COLUMNS = ("kind", "given_name", "family_name", "email")
MAX_LENGTHS = {
    "given_name": 80,
    "family_name": 80,
    "email": 254,
    "phone": 40,
    "external_ref": 60,
    "honorific": 40,
    "job_title": 160,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})
# Service field names that differ from the column a spreadsheet user filled in.
FIELD_TO_COLUMN = {"is_co_opted": "co_opted", "is_cmt": "cmt", "line_manager": "line_manager_email"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        return (
            f"{verb}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged."
        )


@dataclass
class _Row:
    number: int
    kind: str
    email: str
    cells: dict[str, str]
    existing: Person | None = None
    values: dict[str, Any] = field(default_factory=dict)
    line_manager_email: str | None = None


class _Problems:
    def __init__(self) -> None:
        self.items: list[RowError] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(RowError(row, column, message))


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class _Reader:
    """Turns the file into header + rows, reporting structural problems."""

    def __init__(self, file: TextIO, problems: _Problems) -> None:
        self.problems = problems
        self.header: list[str] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        text = file.read().removeprefix("\ufeff")
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            problems.add(1, "", f"The file is not valid CSV: {error}.")
            return
        if not records or not any(cell.strip() for cell in records[0]):
            problems.add(1, "", "The first row must name the columns: " + ", ".join(COLUMNS))
            return
        self._read_header(records[0])
        if problems.items:
            return
        for number, cells in enumerate(records[1:], start=2):
            self._read_row(number, cells)

    def _read_header(self, cells: list[str]) -> None:
        names = [cell.strip().lower().replace(" ", "_") for cell in cells]
        seen: set[str] = set()
        for name in names:
            if name and name in seen:
                self.problems.add(1, name, "This column appears more than once.")
            seen.add(name)
        unknown = [name for name in names if name and name not in COLUMNS]
        for name in unknown:
            self.problems.add(1, name, f"Unknown column. The columns are: {', '.join(COLUMNS)}.")
        missing = [name for name in REQUIRED_COLUMNS if name not in seen]
        if missing:
            self.problems.add(1, "", f"Required columns are missing: {', '.join(missing)}.")
        self.header = names

    def _read_row(self, number: int, cells: list[str]) -> None:
        if not any(cell.strip() for cell in cells):
            return  # a blank line, or a row of empty cells, is not a person
        row: dict[str, str] = {}
        for index, cell in enumerate(cells):
            value = cell.strip()
            name = self.header[index] if index < len(self.header) else ""
            found = limits.refused_character(value)
            if found is not None:
                # Every cell is one line of text; nothing else is stored or looked up.
                self.problems.add(number, name, limits.unusable_character(found))
            elif name:
                row[name] = value
            elif value:
                self.problems.add(
                    number, "", f"Cell {index + 1} has a value but its column has no heading."
                )
        self.rows.append((number, row))


class _Validator:
    """Checks every row against the directory and the rest of the file; writes nothing."""

    def __init__(self, rows: list[tuple[int, dict[str, str]]], problems: _Problems) -> None:
        self.problems = problems
        self.groups = {g.short_name.lower(): g for g in PoliticalGroup.objects.all()}
        self.divisions = {d.code.lower(): d for d in Division.objects.all()}
        self.directorates = {d.code.lower(): d for d in Directorate.objects.all()}
        emails = {cells.get("email", "").lower() for _, cells in rows} - {""}
        refs = {cells.get("external_ref", "") for _, cells in rows} - {""}
        people = (
            Person.objects.annotate(email_lower=Lower("email"))
            .select_related("member__group", "officer__directorate", "officer__line_manager")
            .prefetch_related("member__divisions")
        )
        self.by_email = {p.email.lower(): p for p in people.filter(email_lower__in=emails)}
        self.by_ref = {p.external_ref: p for p in people.filter(external_ref__in=refs)}
        self.rows: list[_Row] = []
        first_row_with: dict[tuple[str, str], int] = {}
        for number, cells in rows:
            row = self._check_common(number, cells, first_row_with)
            if row is not None:
                self.rows.append(row)
        for row in self.rows:
            if row.kind == "member":
                self._check_member(row)
            else:
                self._check_officer(row)
        self._check_line_managers()

    def _error(self, row: _Row | int, column: str, message: str) -> None:
        self.problems.add(row.number if isinstance(row, _Row) else row, column, message)

    def _check_common(
        self, number: int, cells: dict[str, str], first_row_with: dict[tuple[str, str], int]
    ) -> _Row | None:
        kind = cells.get("kind", "").lower()
        if kind not in ("member", "officer"):
            self._error(number, "kind", "Enter member or officer.")
        for column, limit in MAX_LENGTHS.items():
            if len(cells.get(column, "")) > limit:
                self._error(number, column, f"Must be {limit} characters or fewer.")
        for column in ("given_name", "family_name"):
            if not cells.get(column):
                self._error(number, column, "Enter a value; this column is required.")

        email = cells.get("email", "").lower()
        if not email:
            self._error(number, "email", "Enter an email address; this column is required.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                self._error(number, "email", f"'{email}' is not a valid email address.")
        ref = cells.get("external_ref", "")
        for column, value in (("email", email), ("external_ref", ref)):
            if not value:
                continue
            earlier = first_row_with.setdefault((column, value.lower()), number)
            if earlier != number:
                self._error(number, column, f"{value} is also used on row {earlier}.")

        existing = self.by_ref.get(ref) if ref else None
        by_email = self.by_email.get(email) if email else None
        if existing is not None and by_email is not None and by_email.pk != existing.pk:
            self._error(
                number,
                "email",
                f"{email} belongs to a different person from the one with external_ref {ref}.",
            )
        elif existing is None and by_email is not None:
            if ref and by_email.external_ref and by_email.external_ref != ref:
                self._error(
                    number,
                    "external_ref",
                    f"{email} is already in the directory "
                    f"with external_ref {by_email.external_ref}.",
                )
            existing = by_email
        if existing is not None and kind in ("member", "officer") and existing.kind != kind:
            self._error(
                number,
                "kind",
                f"{existing.email} is already in the directory as "
                f"{'a member' if existing.kind == 'member' else 'an officer'}.",
            )
            return None
        if kind not in ("member", "officer"):
            return None
        other_columns = OFFICER_COLUMNS if kind == "member" else MEMBER_COLUMNS
        for column in other_columns:
            if cells.get(column):
                self._error(number, column, f"Leave this empty for a {kind}.")
        row = _Row(number=number, kind=kind, email=email, cells=cells, existing=existing)
        row.values = {
            "given_name": cells.get("given_name", ""),
            "family_name": cells.get("family_name", ""),
            "email": email,
            "phone": self._kept(row, "phone", existing.phone if existing else ""),
            "external_ref": self._kept(
                row, "external_ref", existing.external_ref if existing else None
            )
            or None,
        }
        return row

    @staticmethod
    def _kept(row: _Row, column: str, current: Any) -> Any:
        """The cell's value, or the current value when the column is not in the file."""
        return row.cells.get(column, current)

    def _date(self, row: _Row, column: str, current: dt.date | None, required: bool) -> Any:
        if column not in row.cells:
            if required and current is None:
                self._error(row, column, "Enter a date; this column is required for members.")
            return current
        value = row.cells[column]
        if not value:
            if required:
                self._error(row, column, "Enter a date; this column is required for members.")
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self._error(row, column, f"'{value}' is not a date; use YYYY-MM-DD or DD/MM/YYYY.")
        return parsed

    def _flag(self, row: _Row, column: str, current: bool) -> bool:
        value = row.cells.get(column)
        if value is None:
            return current
        if value.lower() in TRUE_WORDS:
            return True
        if value.lower() not in FALSE_WORDS:
            self._error(row, column, f"'{value}' is not yes or no; use yes/no, true/false or 1/0.")
        return False

    def _check_member(self, row: _Row) -> None:
        member = row.existing.member if row.existing else None
        values = row.values
        values["honorific"] = self._kept(
            row, "honorific", row.existing.honorific if row.existing else ""
        )
        values["term_starts_on"] = self._date(
            row, "term_starts_on", member.term_starts_on if member else None, required=True
        )
        values["term_ends_on"] = self._date(
            row, "term_ends_on", member.term_ends_on if member else None, required=False
        )
        starts, ends = values["term_starts_on"], values["term_ends_on"]
        if starts and ends and ends < starts:
            self._error(row, "term_ends_on", "The term cannot end before it starts.")
        values["is_co_opted"] = self._flag(row, "co_opted", member.is_co_opted if member else False)

        values["group"] = member.group if member else None
        if "group" in row.cells:
            code = row.cells["group"]
            values["group"] = self.groups.get(code.lower()) if code else None
            if code and values["group"] is None:
                self._error(row, "group", f"No political group has the short name '{code}'.")

        values["divisions"] = list(member.divisions.all()) if member else []
        if "divisions" in row.cells:
            codes = [c.strip() for c in row.cells["divisions"].split(";") if c.strip()]
            unknown = [c for c in codes if c.lower() not in self.divisions]
            if unknown:
                self._error(row, "divisions", f"Unknown division codes: {', '.join(unknown)}.")
            values["divisions"] = [self.divisions[c.lower()] for c in codes if c not in unknown]

    def _check_officer(self, row: _Row) -> None:
        officer = row.existing.officer if row.existing else None
        values = row.values
        values["directorate"] = officer.directorate if officer else None
        code = row.cells.get("directorate")
        if code:
            values["directorate"] = self.directorates.get(code.lower())
            if values["directorate"] is None:
                self._error(row, "directorate", f"No directorate has the code '{code}'.")
        elif code is not None or officer is None:
            self._error(row, "directorate", "Enter a directorate code; officers need one.")
        values["job_title"] = self._kept(row, "job_title", officer.job_title if officer else "")
        if not values["job_title"]:
            self._error(row, "job_title", "Enter a job title; officers need one.")
        values["is_cmt"] = self._flag(row, "cmt", officer.is_cmt if officer else False)
        if "line_manager_email" in row.cells:
            row.line_manager_email = row.cells["line_manager_email"].lower() or None
        elif officer is not None and officer.line_manager is not None:
            row.line_manager_email = officer.line_manager.person.email.lower()

    def _check_line_managers(self) -> None:
        """Managers may be other rows (in any order) or officers already in the directory."""
        officer_rows = {row.email: row for row in self.rows if row.kind == "officer"}
        # The reporting map as it will be after the import: the directory, overlaid by the file.
        self.managers: dict[str, str | None] = {
            email.lower(): (manager or "").lower() or None
            for email, manager in Officer.objects.values_list(
                "person__email", "line_manager__person__email"
            )
        }
        known_members = {row.email for row in self.rows if row.kind == "member"} | {
            e.lower()
            for e in Person.objects.filter(kind=Person.Kind.MEMBER).values_list("email", flat=True)
        }
        for email, row in officer_rows.items():
            manager = row.line_manager_email
            self.managers[email] = manager
            if manager is None:
                continue
            if manager == email:
                self._error(row, "line_manager_email", "An officer cannot manage themselves.")
            elif manager not in officer_rows and manager not in self.managers:
                where = (
                    "is a member, not an officer"
                    if manager in known_members
                    else ("is not an officer in this file or in the directory")
                )
                self._error(row, "line_manager_email", f"{manager} {where}.")
        for email, row in officer_rows.items():
            loop = self._loop_from(email)
            if loop:
                self._error(
                    row,
                    "line_manager_email",
                    "This makes a line management loop: " + " → ".join(loop) + ".",
                )

    def _loop_from(self, email: str) -> list[str]:
        path = [email]
        current = self.managers.get(email)
        while current is not None and current not in path:
            path.append(current)
            current = self.managers.get(current)
        return [*path, current] if current == email and len(path) > 1 else []

    def depth(self, email: str) -> int:
        """Steps from this officer to the top of their chain (loops are rejected earlier)."""
        steps, current, seen = 0, self.managers.get(email), {email}
        while current is not None and current not in seen:
            seen.add(current)
            steps += 1
            current = self.managers.get(current)
        return steps


def _column(field_name: str) -> str:
    return FIELD_TO_COLUMN.get(field_name, field_name)


def _last_event_seq() -> int:
    return last_event_seq()


def _error_order(error: RowError) -> tuple[int, int]:
    return error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1


def _write(actor: User | None, rows: Iterable[_Row], result: ImportResult) -> None:
    officers: dict[str, Officer] = {}

    def manager_for(email: str | None) -> Officer | None:
        if email is None:
            return None
        if email not in officers:
            officers[email] = Officer.objects.select_related("person").get(
                person__email__iexact=email
            )
        return officers[email]

    for row in rows:
        before = _last_event_seq()
        try:
            if row.kind == "member":
                if row.existing is None:
                    services.member_create(actor=actor, **row.values)
                else:
                    services.member_update(actor=actor, member=row.existing.member, **row.values)
            else:
                values = {**row.values, "line_manager": manager_for(row.line_manager_email)}
                if row.existing is None:
                    officer = services.officer_create(actor=actor, **values)
                else:
                    officer = services.officer_update(
                        actor=actor, officer=row.existing.officer, **values
                    )
                officers[row.email] = officer
        except ValidationFailed as failed:
            for item in failed.errors:
                result.errors.append(RowError(row.number, _column(item.field), item.message))
            continue
        if row.existing is None:
            result.created += 1
        elif _last_event_seq() != before:
            result.updated += 1
        else:
            result.unchanged += 1


def directory_import_csv(
    *, actor: User | None, file: TextIO, dry_run: bool = False
) -> ImportResult:
    """Import (or, with `dry_run`, only check) a CSV of members and officers. All or nothing."""
    result = ImportResult(dry_run=dry_run)
    problems = _Problems()
    reader = _Reader(file, problems)
    validator = _Validator(reader.rows, problems) if not problems.items else None
    result.errors = sorted(problems.items, key=_error_order)
    if validator is None or result.errors:
        return result

    # Members first, then officers with each manager written before the people they manage, so
    # every write sees its manager's chain as it will finally be.
    order = sorted(
        validator.rows,
        key=lambda row: (row.kind == "officer", validator.depth(row.email), row.number),
    )
    with transaction.atomic():
        _write(actor, order, result)
        if result.errors:
            result.errors.sort(key=_error_order)
            result.created = result.updated = result.unchanged = 0
            transaction.set_rollback(True)
            return result
        if dry_run:
            transaction.set_rollback(True)
            return result
        record(
            actor=actor,
            verb="directory.import_completed",
            data={
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rows": len(order),
            },
        )
    return result
