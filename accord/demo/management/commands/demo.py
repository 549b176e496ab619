"""`accord demo`: migrate, seed the demo council, then serve it with a task worker alongside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.demo import data
from accord.demo.report import write_accounts
from accord.demo.selectors import demo_accounts
from accord.demo.supervisor import Supervisor, accord_command
from accord.library.tasks import schedule_activation
from accord.notifications.tasks import schedule_sweep as schedule_notification_sweep
from accord.procedures.tasks import schedule_expiry, schedule_sweep
from accord.profiles import shipped

DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Migrate, seed the demonstration council, and run the web server and the task worker "
        "until Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport",
            default=DEFAULT_ADDRPORT,
            help=f"Address and port for the web server (default {DEFAULT_ADDRPORT}).",
        )
        parser.add_argument(
            "--profile",
            default=shipped.DEFAULT,
            metavar="NAME",
            help=f"The shipped profile the council runs on: {', '.join(shipped.shipped_names())} "
            f"(default {shipped.DEFAULT}).",
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only migrate and seed, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
        serve = not options["no_serve"]
        # When serving, the accounts are listed once, after the address.
        call_command(
            "seed_demo",
            no_accounts=serve,
            profile=options["profile"],
            verbosity=verbosity,
            stdout=self.stdout,
        )
        if not serve:
            return

        # The worker runs the hourly sweep that fires any procedure timer whose task was lost,
        # the nightly deletion of ended cases whose retention has run out, and the sweep that
        # sends any email whose task was lost, and the daily run that puts in force protocol
        # versions approved to start that day.
        schedule_sweep()
        schedule_expiry()
        schedule_notification_sweep()
        schedule_activation()
        addrport: str = options["addrport"]
        # The demo serves assets from the app folders; an empty collected-assets folder keeps
        # WhiteNoise from warning that it is missing.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        supervisor = Supervisor(
            # Without the autoreloader the server runs in one process; --insecure serves the
            # static assets from the app folders, as the demo has no separate web server.
            server_args=accord_command("runserver", addrport, "--noreload", "--insecure"),
            worker_args=accord_command("db_worker", "--no-reload", "--queue-name", "*"),
        )
        supervisor.start()
        server_pid, worker_pid = supervisor.pids
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"{data.COUNCIL_NAME} demo: http://{_display(addrport)}/")
        )
        self.stdout.write(
            f"Web server process {server_pid}, task worker process {worker_pid}. "
            "Press Ctrl-C to stop both."
        )
        write_accounts(self.stdout, demo_accounts())
        self.stdout.write("")
        failed = supervisor.wait()
        if failed:
            raise CommandError(f"{failed} The demo has been stopped.")
        self.stdout.write("Stopped the web server and the task worker.")


def _display(addrport: str) -> str:
    if ":" not in addrport:
        return f"127.0.0.1:{addrport}"
    host, _, port = addrport.rpartition(":")
    return f"{'127.0.0.1' if host in {'', '0', '0.0.0.0'} else host}:{port}"  # noqa: S104
