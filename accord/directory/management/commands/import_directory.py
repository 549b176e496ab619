"""`accord import-directory FILE.csv`: load members and officers from a spreadsheet export."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.accounts.models import User
from accord.directory.importing import COLUMNS, directory_import_csv


class Command(BaseCommand):
    help = (
        "Import members and officers from a UTF-8 CSV file. Every row is checked first; if any "
        "row is wrong nothing is imported and every problem is listed by row and column. "
        f"Columns: {', '.join(COLUMNS)}."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Record the import in the audit trail as this account (default: the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"No account has the username {options['as_user']}.")
        try:
            # utf-8-sig drops the byte-order mark spreadsheet programs put at the start.
            with open(options["file"], encoding="utf-8-sig", newline="") as file:
                result = directory_import_csv(actor=actor, file=file, dry_run=options["dry_run"])
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{options['file']} is not UTF-8 text; save it as 'CSV UTF-8' and try again."
            ) from error

        if not result.ok:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(result.errors)} problem(s) found; nothing was imported.", returncode=1
            )
        self.stdout.write(result.summary())
