"""`accord retention list | run | schedule`: deleting ended cases whose retention ran out."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accord.procedures.retention import retention_due
from accord.procedures.services.retention import cases_expire
from accord.procedures.tasks import schedule_expiry


class Command(BaseCommand):
    help = "List or delete the ended cases whose retention period has run out."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "list", help="Count the ended cases due for deletion, by procedure and outcome."
        )
        actions.add_parser("run", help="Delete them now (safe to repeat; audited per case).")
        actions.add_parser("schedule", help="Queue the nightly run on the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "run":
            deleted = cases_expire()
            self.stdout.write(f"Deleted {deleted} case{'' if deleted == 1 else 's'}.")
        elif action == "schedule":
            schedule_expiry()
            self.stdout.write("The nightly retention run is queued on the task worker.")
        else:
            counts: dict[tuple[str, str], int] = {}
            for expiry in retention_due():
                key = (expiry.procedure, expiry.outcome)
                counts[key] = counts.get(key, 0) + 1
            if not counts:
                self.stdout.write("No case is due for deletion.")
            for (procedure, outcome), count in sorted(counts.items()):
                self.stdout.write(f"{procedure} ended '{outcome}': {count} due for deletion")
