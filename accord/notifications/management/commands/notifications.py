"""`accord notifications list | send | retry ID | schedule`: the email outbox."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.core.errors import AccordError
from accord.notifications.selectors import notification_counts
from accord.notifications.services import notification_retry, notifications_sweep
from accord.notifications.tasks import schedule_sweep


class Command(BaseCommand):
    help = "Count the outbox by status, send what is due now, or retry a failed notification."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("list", help="Count notifications by status (never their content).")
        actions.add_parser("send", help="Send every notification that is due now.")
        retry = actions.add_parser("retry", help="Put a failed notification back in the queue.")
        retry.add_argument("id", type=int, metavar="ID")
        actions.add_parser(
            "schedule", help="Queue the regular sweep on the task worker unless it is queued."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            counts = notification_counts()
            self.stdout.write(", ".join(f"{n} {status}" for status, n in counts.items()) + ".")
        elif action == "send":
            sent = notifications_sweep()
            self.stdout.write(f"Sent {sent} notification{'' if sent == 1 else 's'}.")
        elif action == "retry":
            try:
                notification = notification_retry(actor=None, notification_id=options["id"])
            except AccordError as error:
                raise CommandError(error.detail) from error
            self.stdout.write(f"Notification {notification.pk} is queued again.")
        else:
            schedule_sweep()
            self.stdout.write("The notification sweep is queued on the task worker.")
