"""`accord seed-demo`: create the demonstration council, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.errors import ValidationFailed
from accord.demo import data
from accord.demo.report import write_accounts, write_summary
from accord.demo.selectors import demo_accounts
from accord.demo.services import demo_seed
from accord.profiles import shipped


class Command(BaseCommand):
    help = "Seed the fictional demonstration council; does nothing if it is already there."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-accounts", action="store_true", help="Do not list the demo sign-in accounts."
        )
        parser.add_argument(
            "--profile",
            default=shipped.DEFAULT,
            metavar="NAME",
            help=f"The shipped profile the council runs on: {', '.join(shipped.shipped_names())} "
            f"(default {shipped.DEFAULT}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = demo_seed(profile=options["profile"])
        except ValidationFailed as exc:
            raise CommandError(exc.detail) from exc
        if outcome.created:
            self.stdout.write(
                self.style.SUCCESS(f"Seeded {data.COUNCIL_NAME} in {outcome.seconds:.1f} s.")
            )
        else:
            if outcome.profile_changed:
                self.stdout.write(
                    f"{data.COUNCIL_NAME} is already seeded; it now runs on the profile "
                    f"'{outcome.profile}'. Cases already open keep the rules they opened under."
                )
            else:
                self.stdout.write(f"{data.COUNCIL_NAME} is already seeded; nothing was changed.")
        write_summary(self.stdout)
        if not options["no_accounts"]:
            write_accounts(self.stdout, demo_accounts())
