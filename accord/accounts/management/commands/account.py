"""`accord account create|disable|enable|list`: administer sign-in accounts from the command line.

The command acts as the system (audit events have no actor). `create` never prints a secret: an
account made without `--password-stdin` has no usable password, and its holder signs in with
single sign-on or chooses a password through "Forgotten your password?".
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accord.access.roles import roles_for_people
from accord.accounts import selectors, services
from accord.accounts.models import User
from accord.core.errors import AccordError

# Service field names as the person typing the command knows them.
ARGUMENTS = {
    "username": "USERNAME",
    "person": "--email",
    "email": "--email",
    "password": "--password-stdin",
    "reason": "--reason",
    "user": "USERNAME",
}
DEFAULT_ENABLE_REASON = "Enabled with the accord command"


def _describe(exc: AccordError) -> str:
    if not exc.errors:
        return exc.detail
    return "; ".join(f"{ARGUMENTS.get(e.field, e.field)}: {e.message}" for e in exc.errors)


def _when(user: User) -> str | None:
    return timezone.localtime(user.last_login).isoformat() if user.last_login else None


class Command(BaseCommand):
    help = "Create, disable, enable or list sign-in accounts."
    # Tests pass `stdin=` to call_command, as they pass `stdout=`.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Make an account for a directory person.")
        create.add_argument("username")
        create.add_argument("--email", required=True, help="The directory person's email address.")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read a password from standard input (otherwise none is set).",
        )
        disable = actions.add_parser("disable", help="Stop an account and end its sessions.")
        disable.add_argument("username")
        disable.add_argument("--reason", required=True, help="Why, for the audit trail.")
        enable = actions.add_parser("enable", help="Let a disabled account sign in again.")
        enable.add_argument("username")
        enable.add_argument("--reason", default=DEFAULT_ENABLE_REASON, help="Why.")
        listing = actions.add_parser("list", help="List every account.")
        listing.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(**options)
        except AccordError as exc:
            raise CommandError(_describe(exc)) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"USERNAME: no account has the username {username!r}.")
        return user

    def _create(
        self, *, username: str, email: str, password_stdin: bool, stdin: Any = None, **_: Any
    ) -> None:
        person = selectors.person_for_email(email)
        if person is None:
            raise CommandError(f"--email: nobody in the directory has the address {email!r}.")
        password = None
        if password_stdin:
            password = (stdin or sys.stdin).readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin: no password was given on standard input.")
        user = services.account_create(
            actor=None, person=person, username=username, password=password
        )
        self.stdout.write(f"Created account {user.username} for {person.full_name} ({user.email}).")
        if password is None:
            self.stdout.write(
                "It has no password: they sign in with single sign-on, or choose a password "
                'with "Forgotten your password?" on the sign-in page.'
            )

    def _disable(self, *, username: str, reason: str, **_: Any) -> None:
        user = self._user(username)
        ended = services.account_disable(actor=None, user=user, reason=reason)
        sessions = "session" if ended == 1 else "sessions"
        self.stdout.write(f"Disabled account {user.username}. Ended {ended} {sessions}.")

    def _enable(self, *, username: str, reason: str, **_: Any) -> None:
        user = self._user(username)
        services.account_enable(actor=None, user=user, reason=reason)
        self.stdout.write(f"Enabled account {user.username}.")

    def _list(self, *, as_json: bool, **_: Any) -> None:
        users = list(selectors.all_accounts())
        roles = roles_for_people(u.person_id for u in users if u.person_id)
        rows: list[dict[str, Any]] = [
            {
                "username": user.username,
                "person": user.person.full_name if user.person else None,
                "person_email": user.person.email if user.person else None,
                "roles": sorted(str(r) for r in roles.get(user.person_id or 0, frozenset())),
                "active": user.is_active,
                "two_factor": bool(getattr(user, "has_two_factor", False)),
                "last_sign_in": _when(user),
            }
            for user in users
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        self.stdout.write(
            f"{'USERNAME':<24} {'PERSON':<28} {'ACTIVE':<7} {'2FA':<4} {'LAST SIGN-IN':<17} ROLES"
        )
        for row in rows:
            last = str(row["last_sign_in"] or "-")[:16].replace("T", " ")
            self.stdout.write(
                f"{row['username']:<24} {row['person'] or '-':<28} "
                f"{'yes' if row['active'] else 'no':<7} {'yes' if row['two_factor'] else 'no':<4} "
                f"{last:<17} {', '.join(row['roles']) or '-'}"
            )
