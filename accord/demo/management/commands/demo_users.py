"""`accord demo-users [--json]`: the demo sign-in accounts, read from the database."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.demo.report import write_accounts
from accord.demo.selectors import demo_accounts, demo_council_seeded


class Command(BaseCommand):
    help = "List the demo sign-in accounts (username, name, role, person id)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts() if demo_council_seeded() else []
        if not accounts:
            raise CommandError("The demo council is not seeded here; run `accord seed-demo`.")
        if options["json"]:
            self.stdout.write(json.dumps([a.as_dict() for a in accounts], indent=2))
        else:
            write_accounts(self.stdout, accounts)
