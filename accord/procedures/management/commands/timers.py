"""`accord timers sweep | schedule | list`: the procedure engine's timers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accord.core import clock
from accord.procedures.selectors import timer_counts
from accord.procedures.services.timers import timers_sweep
from accord.procedures.tasks import schedule_sweep


class Command(BaseCommand):
    help = "Fire overdue procedure timers now, queue the hourly sweep, or list pending timers."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("sweep", help="Fire every overdue timer now (safe to repeat).")
        actions.add_parser(
            "schedule", help="Queue the hourly sweep on the task worker unless it is queued."
        )
        actions.add_parser("list", help="Count pending timers and how many are overdue.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "sweep":
            fired = timers_sweep()
            self.stdout.write(f"Fired {fired} overdue timer{'' if fired == 1 else 's'}.")
        elif action == "schedule":
            schedule_sweep()
            self.stdout.write("The hourly timer sweep is queued on the task worker.")
        else:
            counts = timer_counts(on=clock.today())
            self.stdout.write(f"{counts.pending} pending timers, {counts.overdue} overdue.")
